package io.ferry.core.progress;

import static java.util.Objects.requireNonNull;

import io.ferry.core.state.SplitState;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Collects the progress of a job's splits, written by the split threads and read by renderers.
 * Updates are lock-free field writes; {@link #snapshot()} computes rates over a sliding window of
 * recent samples so the time remaining follows the current speed, not the average since start.
 */
public final class ProgressTracker {
    private static final long WINDOW_NANOS = Duration.ofSeconds(10).toNanos();

    private final String job;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final Map<String, SplitTracker> splits = new ConcurrentHashMap<>();
    private final Deque<Sample> samples = new ArrayDeque<>();

    public ProgressTracker(String job) {
        this(job, System::nanoTime);
    }

    public ProgressTracker(String job, LongSupplier nanoClock) {
        this.job = requireNonNull(job, "job is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
        this.startNanos = nanoClock.getAsLong();
    }

    public String job() {
        return job;
    }

    /** Announces a split before it runs, so totals and counts include it from the start. */
    public SplitTracker register(
            Split split, Optional<SplitSize> size, long progress, long records, long bytes, SplitState state) {
        SplitTracker tracker = new SplitTracker(split.id(), size, progress, records, bytes, state);
        splits.put(split.id(), tracker);
        return tracker;
    }

    public synchronized ProgressSnapshot snapshot() {
        long now = nanoClock.getAsLong();
        long done = 0;
        long total = 0;
        boolean totalKnown = !splits.isEmpty();
        String unit = null;
        long records = 0;
        long bytes = 0;
        long recordsThisRun = 0;
        int splitsDone = 0;
        List<String> failed = new ArrayList<>();
        for (SplitTracker split : splits.values()) {
            done += split.progress;
            records += split.records;
            bytes += split.bytes;
            recordsThisRun += split.records - split.initialRecords;
            if (split.state == SplitState.DONE) {
                splitsDone++;
            } else if (split.state == SplitState.FAILED) {
                failed.add(split.id);
            }
            if (split.size.isPresent()) {
                String splitUnit = split.size.get().unit().name().toLowerCase(java.util.Locale.ROOT);
                if (unit == null) {
                    unit = splitUnit;
                } else if (!unit.equals(splitUnit)) {
                    totalKnown = false;
                }
                total += split.size.get().total();
            } else {
                totalKnown = false;
            }
        }
        samples.addLast(new Sample(now, done, bytes));
        while (samples.size() > 2 && now - samples.peekFirst().nanos() > WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample oldest = samples.peekFirst();
        OptionalDouble unitsPerSecond = OptionalDouble.empty();
        OptionalDouble bytesPerSecond = OptionalDouble.empty();
        double seconds = (now - oldest.nanos()) / 1e9;
        if (seconds >= 0.5) {
            unitsPerSecond = OptionalDouble.of((done - oldest.done()) / seconds);
            bytesPerSecond = OptionalDouble.of((bytes - oldest.bytes()) / seconds);
        }
        OptionalLong remaining = OptionalLong.empty();
        if (totalKnown && unitsPerSecond.isPresent() && unitsPerSecond.getAsDouble() > 0) {
            remaining = OptionalLong.of(Math.round(Math.max(0, total - done) / unitsPerSecond.getAsDouble()));
        }
        return new ProgressSnapshot(
                job,
                done,
                totalKnown ? OptionalLong.of(total) : OptionalLong.empty(),
                unit == null ? "records" : unit,
                records,
                bytes,
                recordsThisRun,
                Duration.ofNanos(now - startNanos),
                unitsPerSecond,
                bytesPerSecond,
                remaining,
                splitsDone,
                splits.size(),
                failed);
    }

    private record Sample(long nanos, long done, long bytes) {}

    /** One split's counters; written by the split's thread only. */
    public static final class SplitTracker {
        private final String id;
        private final Optional<SplitSize> size;
        private final long initialRecords;
        private volatile long progress;
        private volatile long records;
        private volatile long bytes;
        private volatile SplitState state;

        private SplitTracker(
                String id, Optional<SplitSize> size, long progress, long records, long bytes, SplitState state) {
            this.id = id;
            this.size = size;
            this.progress = progress;
            this.records = records;
            this.initialRecords = records;
            this.bytes = bytes;
            this.state = state;
        }

        public void advance(long progress, long records, long bytes) {
            this.progress = progress;
            this.records = records;
            this.bytes = bytes;
        }

        public void state(SplitState state) {
            this.state = state;
            if (state == SplitState.DONE && size.isPresent()) {
                this.progress = Math.max(progress, size.get().total());
            }
        }

        public long progress() {
            return progress;
        }

        public long records() {
            return records;
        }

        public long bytes() {
            return bytes;
        }
    }
}
