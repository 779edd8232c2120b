package io.ferry.edfi.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.api.ApiResponse;
import io.ferry.edfi.api.EdFiClient;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Downloads resources into {@code {data_dir}/{resource}.jsonl}: the count first, then the pages
 * concurrently (a bounded window ahead of the writer), written in page order so the file is the
 * same whatever order the answers come in. A page that fails is retried a few times, then the
 * resource fails and its file is left as it was.
 */
public final class Fetcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE_ATTEMPTS = 3;

    private final EdFiClient client;
    private final int pageSize;
    private final Set<String> keepKeys;
    private final Set<String> dropKeys;

    /** {@code keepKeys} empty or {@code *} keeps every key; {@code dropKeys} then removes some. */
    public Fetcher(EdFiClient client, int pageSize, Set<String> keepKeys, Set<String> dropKeys) {
        this.client = client;
        this.pageSize = pageSize;
        this.keepKeys = keepKeys.contains("*") ? Set.of() : Set.copyOf(keepKeys);
        this.dropKeys = Set.copyOf(dropKeys);
    }

    /** Writes {@code resource}'s records matching {@code query} to {@code directory}; returns how many. */
    public long fetch(ApiResource resource, Map<String, String> query, Path directory) {
        long total = new Counter(client).count(resource, query);
        if (total < 0) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR,
                    "the API gave no Total-Count for " + resource + ", so it cannot be fetched");
        }
        if (total == 0) {
            return 0;
        }
        int pages = (int) ((total + pageSize - 1) / pageSize);
        Path file = directory.resolve(resource.name() + ".jsonl");
        Path temporary = directory.resolve("." + resource.name() + ".jsonl.part");
        String base = client.urls().resourceUrl(resource) + "?" + Counter.queryString(query);
        int window = client.config().connection().poolSize() * 2;
        Semaphore ahead = new Semaphore(window);
        List<Future<List<JsonNode>>> futures = new ArrayList<>();
        long written = 0;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            Thread submitter = Thread.ofVirtual().start(() -> {
                for (int page = 0; page < pages; page++) {
                    ahead.acquireUninterruptibly();
                    String url = base + "offset=" + ((long) page * pageSize) + "&limit=" + pageSize;
                    synchronized (futures) {
                        futures.add(workers.submit(() -> page(resource, url)));
                        futures.notifyAll();
                    }
                }
            });
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                for (int page = 0; page < pages; page++) {
                    Future<List<JsonNode>> future;
                    synchronized (futures) {
                        while (futures.size() <= page) {
                            futures.wait();
                        }
                        future = futures.get(page);
                    }
                    for (JsonNode record : result(future)) {
                        writer.write(JSON.writeValueAsString(filter(record)));
                        writer.write('\n');
                        written++;
                    }
                    ahead.release();
                }
            } catch (IOException e) {
                throw new FerryException(
                        EdFiErrorCode.BAD_DATA, "cannot write " + temporary + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(EdFiErrorCode.API_ERROR, "interrupted while fetching " + resource, e);
            } finally {
                submitter.interrupt();
                ahead.release(window + pages);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FerryException(EdFiErrorCode.BAD_DATA, "cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // Only a leftover partial file; the next fetch replaces it.
            }
        }
        return written;
    }

    private List<JsonNode> page(ApiResource resource, String url) {
        ApiResponse answer = null;
        for (int attempt = 1; attempt <= PAGE_ATTEMPTS; attempt++) {
            answer = client.get(url);
            if (answer.isSuccess()) {
                try {
                    JsonNode body = JSON.readTree(answer.body());
                    if (body != null && body.isArray()) {
                        List<JsonNode> records = new ArrayList<>();
                        body.forEach(records::add);
                        return records;
                    }
                } catch (IOException e) {
                    // An unreadable page is retried like a failed one.
                }
            }
        }
        throw new FerryException(
                EdFiErrorCode.API_ERROR,
                "the page " + url + " of " + resource + " failed " + PAGE_ATTEMPTS + " times (last: HTTP "
                        + (answer == null ? 0 : answer.status()) + "); nothing of " + resource
                        + " was written, run fetch again");
    }

    private JsonNode filter(JsonNode record) {
        if (!(record instanceof ObjectNode object) || (keepKeys.isEmpty() && dropKeys.isEmpty())) {
            return record;
        }
        ObjectNode copy = object.deepCopy();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if ((!keepKeys.isEmpty() && !keepKeys.contains(name)) || dropKeys.contains(name)) {
                copy.remove(name);
            }
        }
        return copy;
    }

    static <T> T result(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new FerryException(EdFiErrorCode.API_ERROR, "a request failed: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(EdFiErrorCode.API_ERROR, "interrupted", e);
        }
    }
}
