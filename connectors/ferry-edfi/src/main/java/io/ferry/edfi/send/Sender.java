package io.ferry.edfi.send;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.api.ApiResponse;
import io.ferry.edfi.api.EdFiClient;
import io.ferry.edfi.data.ResourceFiles;
import io.ferry.edfi.state.PayloadHash;
import io.ferry.edfi.state.PayloadState;
import io.ferry.edfi.state.SentRecord;
import io.ferry.spi.error.FerryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the payload lines of each resource, one resource after the other in dependency order, with
 * up to pool_size POSTs in flight. A line whose hash the state knows is skipped unless the resend
 * criteria select it. Each answer is recorded in the state as it arrives. A line that is not a JSON
 * object is not sent and counts as failed (status 0).
 */
public final class Sender {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EdFiClient client;
    private final @Nullable Path stateDir;
    private final ResendCriteria criteria;
    private final SendListener listener;
    private final BooleanSupplier stopRequested;

    public Sender(EdFiClient client, @Nullable Path stateDir, ResendCriteria criteria, SendListener listener) {
        this(client, stateDir, criteria, listener, () -> false);
    }

    /**
     * A sender that, once {@code stopRequested} answers true, reads no further line: the payloads in
     * flight are answered and recorded, then {@link #send} returns false. Sending again later skips
     * every line already answered, so a stopped send resumes where it stopped.
     */
    public Sender(
            EdFiClient client,
            @Nullable Path stateDir,
            ResendCriteria criteria,
            SendListener listener,
            BooleanSupplier stopRequested) {
        this.client = client;
        this.stateDir = stateDir;
        this.criteria = criteria;
        this.listener = listener;
        this.stopRequested = stopRequested;
    }

    /** Sends every resource in order; false when a stop was requested before all lines were handled. */
    public boolean send(List<ResourceFiles> resources, RunResults results) {
        for (ResourceFiles resource : resources) {
            if (stopRequested.getAsBoolean()
                    || !sendResource(
                            resource, results.resource(resource.resource().name()))) {
                return false;
            }
        }
        return true;
    }

    private boolean sendResource(ResourceFiles resource, ResourceResults results) {
        String name = resource.resource().name();
        String url = client.urls().resourceUrl(resource.resource());
        long lines = resource.payloadLines();
        listener.started(name, lines);
        long total = lines;
        AtomicLong done = new AtomicLong();
        AtomicReference<@Nullable RuntimeException> fatal = new AtomicReference<>();
        boolean stopped = false;
        int window = client.config().connection().poolSize() * 4;
        Semaphore pending = new Semaphore(window);
        try (PayloadState state = stateDir == null ? PayloadState.untracked() : PayloadState.open(stateDir, name);
                ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Path file : resource.files()) {
                if (stopped) {
                    break;
                }
                String fileName = file.toString();
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    long lineNumber = 0;
                    while (fatal.get() == null) {
                        if (stopRequested.getAsBoolean()) {
                            stopped = true;
                            break;
                        }
                        String raw = reader.readLine();
                        if (raw == null) {
                            break;
                        }
                        lineNumber++;
                        String line = raw.strip();
                        if (line.isEmpty()) {
                            continue;
                        }
                        PayloadHash hash = PayloadHash.of(line);
                        SentRecord last = state.find(hash).orElse(null);
                        if (last != null && !criteria.selects(last)) {
                            results.skipped();
                            listener.progressed(name, done.incrementAndGet(), total);
                            continue;
                        }
                        String problem = jsonObjectProblem(line);
                        if (problem != null) {
                            log.warn("{} line {}: {}; not sent", fileName, lineNumber, problem);
                            results.failed(0, "not sent: " + problem, fileName, lineNumber);
                            listener.progressed(name, done.incrementAndGet(), total);
                            continue;
                        }
                        byte[] body = line.getBytes(StandardCharsets.UTF_8);
                        long number = lineNumber;
                        pending.acquireUninterruptibly();
                        workers.execute(() -> {
                            try {
                                post(url, body, hash, fileName, number, state, results);
                            } catch (RuntimeException e) {
                                fatal.compareAndSet(null, e);
                            } finally {
                                pending.release();
                                listener.progressed(name, done.incrementAndGet(), total);
                            }
                        });
                    }
                } catch (IOException e) {
                    throw new FerryException(
                            EdFiErrorCode.BAD_DATA, "cannot read data file " + file + ": " + e.getMessage(), e);
                }
            }
            pending.acquireUninterruptibly(window);
        }
        RuntimeException failure = fatal.get();
        if (failure != null) {
            throw failure;
        }
        if (stopped) {
            return false;
        }
        listener.finished(results);
        return true;
    }

    private void post(
            String url,
            byte[] body,
            PayloadHash hash,
            String file,
            long line,
            PayloadState state,
            ResourceResults results) {
        ApiResponse response;
        try {
            response = client.post(url, body);
        } catch (FerryException e) {
            if (e.code() == EdFiErrorCode.API_UNREACHABLE) {
                results.failed(0, "no answer: " + e.getMessage(), file, line);
                return;
            }
            throw e;
        }
        state.record(hash, new SentRecord(Instant.now().getEpochSecond(), response.status()));
        if (response.isSuccess()) {
            results.succeeded(response.status());
        } else {
            results.failed(response.status(), response.status() + ": " + response.conciseBody(2000), file, line);
        }
    }

    /** Why {@code line} is not one JSON object, or null when it is. */
    static @Nullable String jsonObjectProblem(String line) {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "not a JSON object";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return "text after the JSON object at column "
                        + parser.currentLocation().getColumnNr();
            }
            return null;
        } catch (JsonProcessingException e) {
            return "invalid JSON at column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage();
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
