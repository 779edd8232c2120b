package io.ferry.server;

import static java.util.Objects.requireNonNull;

import io.ferry.core.job.StopSignal;
import io.ferry.core.pipeline.LiveSettings;
import io.ferry.core.progress.ProgressTracker;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A served job in memory: what was asked, where it stands, and while it runs its stop signal,
 * progress tracker and thread. Guarded by its own monitor; {@link JobRegistry} changes it.
 */
public final class TrackedJob {
    private static final long RATE_WINDOW_NANOS = 3_000_000_000L;

    private final String id;
    private final JobKind kind;
    private final JobRequest request;
    private final Instant createdAt;
    private final LiveSettings live;

    ServedState state;
    Instant updatedAt;
    Limits limits;

    @Nullable
    String lastError;

    @Nullable
    String report;

    @Nullable
    StopSignal stop;

    @Nullable
    ProgressTracker tracker;

    @Nullable
    Thread thread;

    boolean pauseRequested;
    boolean cancelRequested;

    private final Deque<long[]> samples = new ArrayDeque<>(); // {nanoTime, records}

    TrackedJob(
            String id,
            JobKind kind,
            JobRequest request,
            ServedState state,
            Limits limits,
            Instant createdAt,
            Instant updatedAt,
            @Nullable String lastError,
            @Nullable String report) {
        this.id = requireNonNull(id, "id is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.request = requireNonNull(request, "request is null");
        this.state = requireNonNull(state, "state is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.createdAt = requireNonNull(createdAt, "createdAt is null");
        this.updatedAt = requireNonNull(updatedAt, "updatedAt is null");
        this.lastError = lastError;
        this.report = report;
        this.live = new LiveSettings(limits.recordsPerSecond(), limits.bytesPerSecond());
        this.live.retuneObjectSize(limits.objectSizeBytes());
        this.live.retuneConcurrency(limits.concurrency());
    }

    public String id() {
        return id;
    }

    public JobKind kind() {
        return kind;
    }

    public JobRequest request() {
        return request;
    }

    public Instant createdAt() {
        return createdAt;
    }

    LiveSettings live() {
        return live;
    }

    public synchronized ServedState state() {
        return state;
    }

    public synchronized Optional<String> findReport() {
        return Optional.ofNullable(report);
    }

    synchronized Optional<ProgressTracker> findTracker() {
        return Optional.ofNullable(tracker);
    }

    synchronized boolean running() {
        return thread != null;
    }

    /** Records a sample of the records moved so far, for the records-per-second figure. */
    synchronized void sample(long nanos, long records) {
        samples.addLast(new long[] {nanos, records});
        while (samples.size() > 2 && nanos - samples.peekFirst()[0] > RATE_WINDOW_NANOS) {
            samples.removeFirst();
        }
    }

    /** Records per second over the last few seconds of samples; 0 when not running. */
    synchronized double recordsPerSecond() {
        if (thread == null || samples.size() < 2) {
            return 0;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        double seconds = (last[0] - first[0]) / 1e9;
        return seconds <= 0 ? 0 : (last[1] - first[1]) / seconds;
    }

    synchronized void clearSamples() {
        samples.clear();
    }
}
