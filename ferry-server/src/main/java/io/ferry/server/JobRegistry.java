package io.ferry.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.core.job.StopSignal;
import io.ferry.core.progress.ProgressSnapshot;
import io.ferry.core.progress.ProgressTracker;
import io.ferry.core.state.Checkpoint;
import io.ferry.core.state.JobState;
import io.ferry.core.state.ServedJob;
import io.ferry.core.state.SplitProgress;
import io.ferry.core.state.SplitState;
import io.ferry.core.state.SqliteStateStore;
import io.ferry.spi.error.FerryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's jobs: creates them (after validating the whole request), runs each on its own
 * thread, pauses, resumes, cancels and retunes them, and keeps them in the state store so that a
 * restarted server shows every job and resumes those that were running.
 */
public final class JobRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STOP_WAIT_MILLIS = 30_000;
    private static final List<String> REQUEST_FIELDS = List.of("kind", "from", "to", "options", "limits");

    private final SqliteStateStore store;
    private final Path lockDirectory;
    private final Map<String, JobKind> kinds = new LinkedHashMap<>();
    private final JobEvents events;
    private final Map<String, TrackedJob> jobs = new LinkedHashMap<>();
    private final ScheduledExecutorService sampler;
    private final ScheduledFuture<?> sampling;
    private volatile boolean closing;

    public JobRegistry(SqliteStateStore store, Path lockDirectory, List<JobKind> kinds, JobEvents events) {
        this.store = requireNonNull(store, "store is null");
        this.lockDirectory = requireNonNull(lockDirectory, "lockDirectory is null");
        for (JobKind kind : kinds) {
            this.kinds.put(kind.name(), kind);
        }
        this.events = requireNonNull(events, "events is null");
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ferry-job-sampler");
            thread.setDaemon(true);
            return thread;
        });
        this.sampling = sampler.scheduleAtFixedRate(this::sample, 250, 250, TimeUnit.MILLISECONDS);
    }

    public List<JobKind> kinds() {
        return List.copyOf(kinds.values());
    }

    /**
     * Loads every stored job and starts again those that were running when the server stopped
     * (paused, failed and finished ones stay as they were). Call once, before serving.
     */
    public void recover() {
        List<TrackedJob> toResume = new ArrayList<>();
        for (ServedJob stored : store.servedJobs()) {
            JobKind kind = kinds.get(stored.kind());
            if (kind == null) {
                log.warn(
                        "Served job {} is of kind '{}', which this server does not run; skipped",
                        stored.id(),
                        stored.kind());
                continue;
            }
            JobRequest request;
            try {
                request = JobRequest.fromJson(JSON.readTree(stored.request()));
            } catch (JsonProcessingException e) {
                log.warn("Served job {} has an unreadable request; skipped", stored.id(), e);
                continue;
            }
            Limits limits;
            try {
                limits = Limits.fromJson(JSON.readTree(stored.limits()));
            } catch (JsonProcessingException e) {
                limits = Limits.NONE;
            }
            TrackedJob job = new TrackedJob(
                    stored.id(),
                    kind,
                    request,
                    ServedState.parse(stored.state()),
                    limits,
                    stored.createdAt(),
                    stored.updatedAt(),
                    stored.lastError(),
                    stored.report());
            synchronized (jobs) {
                jobs.put(job.id(), job);
            }
            if (job.state() == ServedState.RUNNING) {
                toResume.add(job);
            }
        }
        for (TrackedJob job : toResume) {
            launch(job, "recovered");
        }
    }

    /** Validates {@code body} completely and starts the job; a bad request lists every bad field. */
    public TrackedJob create(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw new HttpProblem(
                    400,
                    "The request body must be a JSON object such as"
                            + " {\"kind\": \"export\", \"from\": \"/data/orders.jsonl\", \"to\": \"/archive/orders\"}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!REQUEST_FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a request field; the fields are " + REQUEST_FIELDS));
            }
        }
        JsonNode kindNode = body.path("kind");
        JobKind kind = kindNode.isTextual() ? kinds.get(kindNode.asText()) : null;
        if (kind == null) {
            errors.add(new FieldError(
                    "kind",
                    (kindNode.isMissingNode() ? "is missing" : "is " + kindNode) + "; use one of " + kinds.keySet()
                            + " (example: \"kind\": \"export\")"));
        }
        JsonNode from = body.path("from");
        if (!from.isMissingNode() && !from.isNull() && !from.isTextual()) {
            errors.add(new FieldError("from", "must be a string, got " + from));
        }
        List<String> to = new ArrayList<>();
        JsonNode toNode = body.path("to");
        if (toNode.isTextual()) {
            to.add(toNode.asText());
        } else if (toNode.isArray()) {
            for (int i = 0; i < toNode.size(); i++) {
                if (toNode.get(i).isTextual()) {
                    to.add(toNode.get(i).asText());
                } else {
                    errors.add(new FieldError("to[" + i + "]", "must be a string, got " + toNode.get(i)));
                }
            }
        } else if (!toNode.isMissingNode() && !toNode.isNull()) {
            errors.add(new FieldError("to", "must be a string or a list of strings, got " + toNode));
        }
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            errors.add(new FieldError("options", "must be an object such as {\"compression\": \"gzip\"}"));
        }
        Limits limits = Limits.NONE.merge(body.path("limits"), "limits", errors);
        JobRequest request = new JobRequest(
                kind == null ? kindNode.asText("") : kind.name(),
                from.isTextual() ? from.asText() : null,
                to,
                options instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode());
        if (kind != null) {
            errors.addAll(kind.validate(request));
        }
        if (!errors.isEmpty()) {
            throw new HttpProblem(400, "The job request has " + errors.size() + " problem(s)", errors);
        }
        return create(requireNonNull(kind), request, limits);
    }

    /** Starts a job of {@code kind} for an already validated {@code request}. */
    public TrackedJob create(JobKind kind, JobRequest request, Limits limits) {
        if (closing) {
            throw new HttpProblem(503, "The server is shutting down; create the job after it restarts");
        }
        Instant now = Instant.now();
        TrackedJob job;
        synchronized (jobs) {
            String id;
            do {
                id = kind.name() + "-"
                        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            } while (jobs.containsKey(id));
            job = new TrackedJob(id, kind, request, ServedState.RUNNING, limits, now, now, null, null);
            jobs.put(id, job);
        }
        synchronized (job) {
            persist(job);
        }
        emit("created", job);
        launch(job, "started");
        return job;
    }

    public List<TrackedJob> list(Optional<ServedState> state) {
        List<TrackedJob> all;
        synchronized (jobs) {
            all = new ArrayList<>(jobs.values());
        }
        return state.isEmpty()
                ? all
                : all.stream().filter(job -> job.state() == state.get()).toList();
    }

    public Optional<TrackedJob> find(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    /** Asks the job to stop at its next checkpoint and waits until it has. */
    public TrackedJob pause(TrackedJob job) {
        synchronized (job) {
            StopSignal stop = job.stop;
            if (job.thread == null || stop == null) {
                throw new HttpProblem(
                        409, "Job " + job.id() + " is " + job.state.label() + "; only a running job can be paused");
            }
            job.pauseRequested = true;
            stop.requestPause();
            awaitStopped(job);
            return job;
        }
    }

    /** Runs a paused or failed job again from its checkpoints. */
    public TrackedJob resume(TrackedJob job) {
        synchronized (job) {
            if (job.thread != null || !(job.state == ServedState.PAUSED || job.state == ServedState.FAILED)) {
                throw new HttpProblem(
                        409,
                        "Job " + job.id() + " is " + job.state.label()
                                + (job.thread != null ? " (still stopping)" : "")
                                + "; only a paused or failed job can be resumed");
            }
        }
        launch(job, "resumed");
        return job;
    }

    /** Stops the job for good: a running one at its next checkpoint. */
    public TrackedJob cancel(TrackedJob job) {
        synchronized (job) {
            if (job.state.finished()) {
                throw new HttpProblem(409, "Job " + job.id() + " is already " + job.state.label());
            }
            StopSignal stop = job.stop;
            if (job.thread != null && stop != null) {
                job.cancelRequested = true;
                stop.requestPause();
                awaitStopped(job);
                return job;
            }
            job.state = ServedState.CANCELLED;
            persist(job);
        }
        emit("cancelled", job);
        return job;
    }

    /** Changes the job's live limits; a running job follows them from its next batch. */
    public TrackedJob retune(TrackedJob job, JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw new HttpProblem(
                    400, "The body must be an object such as {\"limits\": {\"records_per_second\": 5000}}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("limits")) {
                errors.add(new FieldError(
                        name,
                        "cannot change while the job exists; only \"limits\" is live (create a new job instead)"));
            }
        }
        synchronized (job) {
            Limits limits = job.limits.merge(body.path("limits"), "limits", errors);
            if (!errors.isEmpty()) {
                throw new HttpProblem(400, "The change has " + errors.size() + " problem(s)", errors);
            }
            if (job.state.finished()) {
                throw new HttpProblem(409, "Job " + job.id() + " is " + job.state.label() + "; nothing to retune");
            }
            job.limits = limits;
            job.live().retune(limits.recordsPerSecond(), limits.bytesPerSecond());
            job.live().retuneObjectSize(limits.objectSizeBytes());
            job.live().retuneConcurrency(limits.concurrency());
            job.clearSamples();
            persist(job);
        }
        emit("retuned", job);
        return job;
    }

    private void awaitStopped(TrackedJob job) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        while (job.thread != null) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            try {
                job.wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void launch(TrackedJob job, String event) {
        synchronized (job) {
            StopSignal stop = new StopSignal();
            ProgressTracker tracker = new ProgressTracker(job.id());
            job.stop = stop;
            job.tracker = tracker;
            job.state = ServedState.RUNNING;
            job.pauseRequested = false;
            job.cancelRequested = false;
            job.lastError = null;
            job.clearSamples();
            persist(job);
            JobContext context = new JobContext(job.id(), store, lockDirectory, stop, job.live(), tracker, job.report);
            Thread thread = Thread.ofPlatform()
                    .name("ferry-job-" + job.id())
                    .daemon(true)
                    .unstarted(() -> runOnce(job, context));
            job.thread = thread;
            thread.start();
        }
        emit(event, job);
    }

    private void runOnce(TrackedJob job, JobContext context) {
        JobResult result;
        try {
            result = job.kind().run(job.request(), context);
        } catch (FerryException e) {
            result = new JobResult(JobState.FAILED, null, e.getMessage());
        } catch (RuntimeException | Error e) {
            log.error("Job {} failed unexpectedly", job.id(), e);
            result = new JobResult(JobState.FAILED, null, "ferry failed unexpectedly: " + e);
        }
        String event;
        synchronized (job) {
            boolean stoppedByServer =
                    closing && result.state() == JobState.PAUSED && !job.pauseRequested && !job.cancelRequested;
            if (stoppedByServer) {
                job.state = ServedState.RUNNING; // resumes when the server starts again
                event = "stopped-with-server";
            } else if (job.cancelRequested && result.state() != JobState.SUCCEEDED) {
                job.state = ServedState.CANCELLED;
                event = "cancelled";
            } else {
                job.state = switch (result.state()) {
                    case SUCCEEDED -> ServedState.SUCCEEDED;
                    case PAUSED -> ServedState.PAUSED;
                    case FAILED, RUNNING -> ServedState.FAILED;
                };
                event = job.state.label();
            }
            if (result.report() != null) {
                job.report = result.report();
            }
            job.lastError = result.error();
            ProgressTracker tracker = job.tracker;
            if (tracker != null) {
                job.sample(System.nanoTime(), tracker.snapshot().records());
            }
            job.thread = null;
            persist(job);
            job.notifyAll();
        }
        emit(event, job);
    }

    private void persist(TrackedJob job) {
        job.updatedAt = Instant.now();
        store.saveServedJob(new ServedJob(
                job.id(),
                job.kind().name(),
                job.request().toJson().toString(),
                job.state.name(),
                job.limits.toJson().toString(),
                job.createdAt(),
                job.updatedAt,
                job.lastError,
                job.report));
    }

    private void emit(String event, TrackedJob job) {
        Totals totals = totals(job);
        String error;
        ServedState state;
        synchronized (job) {
            error = job.lastError;
            state = job.state;
        }
        events.emit(event, job.id(), job.kind().name(), state, totals.records, totals.bytes, error);
    }

    private void sample() {
        try {
            long now = System.nanoTime();
            for (TrackedJob job : list(Optional.empty())) {
                if (job.running()) {
                    Optional<ProgressTracker> tracker = job.findTracker();
                    if (tracker.isPresent()) {
                        job.sample(now, tracker.get().snapshot().records());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.debug("Sampling job progress failed", e);
        }
    }

    /** Records, bytes, progress and rates of a job, from its tracker when it ran here, else from the store. */
    record Totals(
            long records,
            long bytes,
            long done,
            long total, // -1 when unknown
            String unit,
            double recordsPerSecond,
            double bytesPerSecond,
            long secondsRemaining, // -1 when unknown
            int splitsDone,
            int splitsTotal,
            int failedSplits) {
        @Nullable
        Double percent() {
            if (total < 0) {
                return null;
            }
            return total == 0 ? 100.0 : Math.min(100.0, 100.0 * done / total);
        }
    }

    Totals totals(TrackedJob job) {
        Optional<ProgressTracker> tracker = job.findTracker();
        boolean running = job.running();
        if (tracker.isPresent()) {
            ProgressSnapshot snapshot = tracker.get().snapshot();
            if (snapshot.splitsTotal() > 0 || running) {
                return new Totals(
                        snapshot.records(),
                        snapshot.bytes(),
                        snapshot.done(),
                        snapshot.total().orElse(-1),
                        snapshot.unit(),
                        running ? job.recordsPerSecond() : 0,
                        running ? snapshot.bytesPerSecond().orElse(0) : 0,
                        running ? snapshot.secondsRemaining().orElse(-1) : -1,
                        snapshot.splitsDone(),
                        snapshot.splitsTotal(),
                        snapshot.failedSplits().size());
            }
        }
        long records = 0;
        long bytes = 0;
        long done = 0;
        long total = 0;
        boolean totalKnown = true;
        String unit = "records";
        int splitsDone = 0;
        int failed = 0;
        List<SplitProgress> splits = store.splits(job.id());
        for (SplitProgress split : splits) {
            records += split.records();
            bytes += split.bytes();
            done += split.progress();
            if (split.knownTotal().isPresent()) {
                total += split.total();
                if (split.unit() != null) {
                    unit = split.unit();
                }
            } else {
                totalKnown = false;
            }
            if (split.state() == SplitState.DONE) {
                splitsDone++;
            } else if (split.state() == SplitState.FAILED) {
                failed++;
            }
        }
        if (splits.isEmpty()) {
            totalKnown = false;
        }
        if (job.state() == ServedState.SUCCEEDED && splits.isEmpty()) {
            done = 1;
            total = 1;
            totalKnown = true;
        }
        return new Totals(
                records, bytes, done, totalKnown ? total : -1, unit, 0, 0, -1, splitsDone, splits.size(), failed);
    }

    /** The job as the API shows it; {@code detailed} adds its splits and their positions. */
    public ObjectNode view(TrackedJob job, boolean detailed) {
        Totals totals = totals(job);
        ObjectNode json = JSON.createObjectNode();
        synchronized (job) {
            json.put("id", job.id());
            json.put("kind", job.kind().name());
            json.put("state", job.state.label());
            json.put("stopping", job.thread != null && (job.pauseRequested || job.cancelRequested));
            json.put("created_at", job.createdAt().toString());
            json.put("updated_at", job.updatedAt.toString());
            json.set("request", Secrets.mask(job.request().toJson()));
            json.set("limits", job.limits.toJson());
            if (job.lastError == null) {
                json.putNull("last_error");
            } else {
                json.put("last_error", Secrets.mask(job.lastError));
            }
        }
        ObjectNode progress = json.putObject("progress");
        progress.put("records", totals.records());
        progress.put("bytes", totals.bytes());
        progress.put("done", totals.done());
        if (totals.total() < 0) {
            progress.putNull("total");
        } else {
            progress.put("total", totals.total());
        }
        progress.put("unit", totals.unit());
        Double percent = totals.percent();
        if (percent == null) {
            progress.putNull("percent");
        } else {
            progress.put("percent", Math.round(percent * 10) / 10.0);
        }
        progress.put("records_per_second", Math.round(totals.recordsPerSecond()));
        progress.put("bytes_per_second", Math.round(totals.bytesPerSecond()));
        if (totals.secondsRemaining() < 0) {
            progress.putNull("eta_seconds");
        } else {
            progress.put("eta_seconds", totals.secondsRemaining());
        }
        progress.put("splits_done", totals.splitsDone());
        progress.put("splits_total", totals.splitsTotal());
        progress.put("failed_splits", totals.failedSplits());
        if (detailed) {
            Map<String, ObjectNode> positions = new LinkedHashMap<>();
            for (Checkpoint checkpoint : store.checkpoints(job.id())) {
                positions
                        .computeIfAbsent(checkpoint.split(), split -> JSON.createObjectNode())
                        .put(checkpoint.sink(), checkpoint.position());
            }
            ArrayNode splits = json.putArray("splits");
            for (SplitProgress split : store.splits(job.id())) {
                ObjectNode node = splits.addObject();
                node.put("split", split.split());
                node.put("state", split.state().name().toLowerCase(java.util.Locale.ROOT));
                node.put("progress", split.progress());
                if (split.knownTotal().isPresent()) {
                    node.put("total", split.total());
                } else {
                    node.putNull("total");
                }
                node.put("records", split.records());
                node.put("bytes", split.bytes());
                node.set("positions", positions.getOrDefault(split.split(), JSON.createObjectNode()));
                if (split.lastError() == null) {
                    node.putNull("error");
                } else {
                    node.put("error", Secrets.mask(split.lastError()));
                }
            }
        }
        return json;
    }

    /**
     * Stops taking jobs and pauses the running ones at a checkpoint, leaving them marked running so
     * that the next start resumes them.
     */
    @Override
    public void close() {
        closing = true;
        sampling.cancel(false);
        sampler.shutdownNow();
        List<TrackedJob> all = list(Optional.empty());
        for (TrackedJob job : all) {
            synchronized (job) {
                if (job.stop != null && job.thread != null) {
                    job.stop.requestPause();
                }
            }
        }
        for (TrackedJob job : all) {
            synchronized (job) {
                awaitStopped(job);
            }
        }
    }
}
