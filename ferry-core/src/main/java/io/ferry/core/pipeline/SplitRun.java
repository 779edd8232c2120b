package io.ferry.core.pipeline;

import static io.ferry.spi.error.StandardErrorCode.INTERNAL_ERROR;
import static java.util.Objects.requireNonNull;

import io.ferry.core.job.StopSignal;
import io.ferry.core.progress.ProgressTracker;
import io.ferry.core.state.Checkpoint;
import io.ferry.core.state.SplitProgress;
import io.ferry.core.state.SplitState;
import io.ferry.core.state.StateStore;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one split as one flat loop: read a batch, write it to every destination, ask each how far it
 * is durable, save that destination's checkpoint (at most once a second while running; always at
 * the end, on pause and after a failure), acknowledge the source up to the point durable
 * everywhere, report progress. A checkpoint is never ahead of what its destination made durable, so
 * a crash at any instant resumes with nothing lost; a destination that is ahead of the others on
 * resume skips what it already has, so nothing is written twice.
 *
 * @param <P> the source's position type
 */
public final class SplitRun<P extends Position> {
    private static final Logger log = LoggerFactory.getLogger(SplitRun.class);
    private static final Duration SPLIT_PROGRESS_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    private final String job;
    private final boolean resuming;
    private final Source<P> source;
    private final Split split;
    private final List<Sink> sinks;
    private final StateStore store;
    private final ProgressTracker progress;
    private final StopSignal stop;
    private final Duration maxWait;
    private final LiveSettings live;

    public SplitRun(
            String job,
            boolean resuming,
            Source<P> source,
            Split split,
            List<Sink> sinks,
            StateStore store,
            ProgressTracker progress,
            StopSignal stop,
            Duration maxWait) {
        this(job, resuming, source, split, sinks, store, progress, stop, maxWait, LiveSettings.unlimited());
    }

    /** A split run whose pace follows {@code live}, which may change while it runs. */
    public SplitRun(
            String job,
            boolean resuming,
            Source<P> source,
            Split split,
            List<Sink> sinks,
            StateStore store,
            ProgressTracker progress,
            StopSignal stop,
            Duration maxWait,
            LiveSettings live) {
        this.live = requireNonNull(live, "live is null");
        this.job = requireNonNull(job, "job is null");
        this.resuming = resuming;
        this.source = requireNonNull(source, "source is null");
        this.split = requireNonNull(split, "split is null");
        this.sinks = List.copyOf(sinks);
        this.store = requireNonNull(store, "store is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.stop = requireNonNull(stop, "stop is null");
        this.maxWait = requireNonNull(maxWait, "maxWait is null");
    }

    public SplitOutcome run() {
        Map<String, Checkpoint> checkpoints = new HashMap<>();
        for (Checkpoint checkpoint : store.checkpoints(job)) {
            if (checkpoint.split().equals(split.id())) {
                checkpoints.put(checkpoint.sink(), checkpoint);
            }
        }
        // Resume from the destination that is furthest behind; a destination with no checkpoint
        // needs the split from its start.
        @Nullable Checkpoint resumeFrom = null;
        boolean fromStart = false;
        for (Sink sink : sinks) {
            Checkpoint checkpoint = checkpoints.get(sink.id());
            if (checkpoint == null) {
                fromStart = true;
            } else if (resumeFrom == null || checkpoint.lastOffset() < resumeFrom.lastOffset()) {
                resumeFrom = checkpoint;
            }
        }
        Optional<P> resumeAfter = fromStart || resumeFrom == null
                ? Optional.empty()
                : Optional.of(source.decodePosition(split, resumeFrom.position()));
        long baseRecords = resumeAfter.isPresent() && resumeFrom != null ? resumeFrom.records() : 0;
        long baseBytes = resumeAfter.isPresent() && resumeFrom != null ? resumeFrom.bytes() : 0;

        Optional<SplitSize> size = source.size(split);
        List<Destination> destinations = new ArrayList<>();
        ProgressTracker.SplitTracker tracker = null;
        SplitState state = SplitState.RUNNING;
        FerryException failure = null;
        long recordsThisRun = 0;
        long bytesThisRun = 0;
        DurableCounts counts = new DurableCounts(baseRecords, baseBytes);
        try (SourceReader<P> reader = source.open(split, resumeAfter)) {
            for (Sink sink : sinks) {
                Checkpoint checkpoint = checkpoints.get(sink.id());
                SinkWriter writer = sink.open(
                        new SinkContext(job, split, resuming),
                        Optional.ofNullable(checkpoint).map(Checkpoint::sinkState));
                destinations.add(new Destination(sink.id(), writer, checkpoint));
            }
            tracker = progress.register(split, size, reader.progress(), baseRecords, baseBytes, SplitState.RUNNING);
            saveSplit(SplitState.RUNNING, reader.progress(), size, baseRecords, baseBytes, null);

            long acknowledged = fromStart || resumeFrom == null ? -1 : resumeFrom.lastOffset();
            Instant lastSplitSave = Instant.now();
            while (true) {
                if (stop.pauseRequested()) {
                    state = SplitState.PAUSED;
                    break;
                }
                ReadBatch batch = reader.read(maxWait);
                List<Record> records = batch.records();
                long batchBytes = 0;
                if (!records.isEmpty()) {
                    batchBytes = counts.add(records);
                    bytesThisRun += batchBytes;
                    recordsThisRun += records.size();
                    for (Destination destination : destinations) {
                        destination.write(records);
                    }
                }
                checkpointDurable(destinations, counts, batch.end());
                long everywhere = durableEverywhere(destinations);
                if (everywhere > acknowledged) {
                    acknowledgeThrough(reader, destinations, everywhere);
                    counts.release(everywhere);
                    acknowledged = everywhere;
                }
                tracker.advance(reader.progress(), baseRecords + recordsThisRun, baseBytes + bytesThisRun);
                if (batch.end()) {
                    state = SplitState.DONE;
                    break;
                }
                if (!records.isEmpty()) {
                    try {
                        live.pace(records.size(), batchBytes, stop);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        state = SplitState.PAUSED;
                        break;
                    }
                }
                Instant now = Instant.now();
                if (Duration.between(lastSplitSave, now).compareTo(SPLIT_PROGRESS_INTERVAL) >= 0) {
                    saveSplit(
                            SplitState.RUNNING,
                            reader.progress(),
                            size,
                            baseRecords + recordsThisRun,
                            baseBytes + bytesThisRun,
                            null);
                    lastSplitSave = now;
                }
            }
            if (state == SplitState.PAUSED) {
                checkpointDurable(destinations, counts, true);
                long everywhere = durableEverywhere(destinations);
                if (everywhere > acknowledged) {
                    acknowledgeThrough(reader, destinations, everywhere);
                }
            }
            tracker.state(state);
            saveSplit(
                    state,
                    state == SplitState.DONE ? size.map(SplitSize::total).orElse(reader.progress()) : reader.progress(),
                    size,
                    baseRecords + recordsThisRun,
                    baseBytes + bytesThisRun,
                    null);
        } catch (FerryException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new FerryException(INTERNAL_ERROR, "Unexpected failure in split " + split.id() + ": " + e, e);
        } finally {
            for (Destination destination : destinations) {
                try {
                    destination.writer.close();
                } catch (RuntimeException e) {
                    log.warn("Closing the writer of {} for split {} failed", destination.sinkId, split.id(), e);
                }
            }
        }
        if (failure != null) {
            // What the destinations made durable before the failure, so that a resume does not redo it.
            try {
                for (Destination destination : destinations) {
                    saveHeldBack(destination, counts, System.nanoTime());
                }
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            state = SplitState.FAILED;
            if (tracker == null) {
                tracker = progress.register(split, size, 0, baseRecords, baseBytes, SplitState.FAILED);
            }
            tracker.state(SplitState.FAILED);
            try {
                saveSplit(
                        SplitState.FAILED,
                        tracker.progress(),
                        size,
                        baseRecords + recordsThisRun,
                        baseBytes + bytesThisRun,
                        failure.getMessage());
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        Map<String, String> positions = new LinkedHashMap<>();
        for (Destination destination : destinations) {
            if (destination.checkpoint != null) {
                positions.put(destination.sinkId, destination.checkpoint.position());
            }
        }
        return new SplitOutcome(
                split.id(),
                state,
                recordsThisRun,
                bytesThisRun,
                baseRecords + recordsThisRun,
                baseBytes + bytesThisRun,
                positions,
                failure);
    }

    /**
     * Saves the checkpoint of each destination that made more records durable, at most once per
     * {@link #CHECKPOINT_INTERVAL} unless {@code force}: every save is a synchronous commit of the
     * state store, and a later one only shortens what a resume redoes.
     */
    private void checkpointDurable(List<Destination> destinations, DurableCounts counts, boolean force) {
        long now = System.nanoTime();
        for (Destination destination : destinations) {
            WriteReceipt receipt = destination.writer.flush(force);
            if (receipt.lastPosition() != null && receipt.lastOffset() > destination.durableOffset()) {
                destination.heldBack = receipt;
                if (force || destination.checkpointDue(now)) {
                    saveHeldBack(destination, counts, now);
                }
            }
        }
    }

    /** Saves the checkpoint of the destination's latest receipt, if one is held back. */
    private void saveHeldBack(Destination destination, DurableCounts counts, long now) {
        WriteReceipt receipt = destination.heldBack;
        Position position = receipt == null ? null : receipt.lastPosition();
        if (receipt == null || position == null) {
            return;
        }
        long[] through = counts.through(receipt.lastOffset());
        Checkpoint checkpoint = new Checkpoint(
                job,
                split.id(),
                destination.sinkId,
                receipt.lastOffset(),
                position.encode(),
                receipt.state(),
                through[0],
                through[1],
                Instant.now());
        store.saveCheckpoint(checkpoint);
        destination.checkpoint = checkpoint;
        destination.heldBack = null;
        destination.savedAt = now;
    }

    private static long durableEverywhere(List<Destination> destinations) {
        long min = Long.MAX_VALUE;
        for (Destination destination : destinations) {
            min = Math.min(min, destination.durableOffset());
        }
        return min;
    }

    private void acknowledgeThrough(SourceReader<P> reader, List<Destination> destinations, long offset) {
        for (Destination destination : destinations) {
            Checkpoint checkpoint = destination.checkpoint;
            if (checkpoint != null && checkpoint.lastOffset() == offset) {
                reader.acknowledge(source.decodePosition(split, checkpoint.position()));
                return;
            }
        }
    }

    private void saveSplit(
            SplitState state,
            long readProgress,
            Optional<SplitSize> size,
            long records,
            long bytes,
            @Nullable String error) {
        store.saveSplit(new SplitProgress(
                job,
                split.id(),
                state,
                readProgress,
                size.map(SplitSize::total).orElse(SplitProgress.UNKNOWN_TOTAL),
                size.map(s -> s.unit().name().toLowerCase(java.util.Locale.ROOT))
                        .orElse(null),
                records,
                bytes,
                error,
                Instant.now()));
    }

    /** One destination of this split: its writer and the last checkpoint it reached. */
    private static final class Destination {
        private final String sinkId;
        private final SinkWriter writer;
        private @Nullable Checkpoint checkpoint;
        private final long skipThrough;
        private @Nullable WriteReceipt heldBack; // durable past the checkpoint, saved when due
        private long savedAt; // System.nanoTime() of the last checkpoint saved by this run

        Destination(String sinkId, SinkWriter writer, @Nullable Checkpoint checkpoint) {
            this.sinkId = sinkId;
            this.writer = writer;
            this.checkpoint = checkpoint;
            this.skipThrough = checkpoint == null ? -1 : checkpoint.lastOffset();
            this.savedAt = System.nanoTime() - CHECKPOINT_INTERVAL.toNanos(); // the first is due at once
        }

        /** Whether a checkpoint may be saved at {@code now}: the last one was an interval ago. */
        boolean checkpointDue(long now) {
            return now - savedAt >= CHECKPOINT_INTERVAL.toNanos();
        }

        long durableOffset() {
            return checkpoint == null ? -1 : checkpoint.lastOffset();
        }

        /** Writes the records this destination does not already hold. */
        void write(List<Record> records) {
            if (records.get(records.size() - 1).offset() <= skipThrough) {
                return;
            }
            if (records.get(0).offset() > skipThrough) {
                writer.write(records);
                return;
            }
            int first = 0;
            while (records.get(first).offset() <= skipThrough) {
                first++;
            }
            writer.write(records.subList(first, records.size()));
        }
    }
}
