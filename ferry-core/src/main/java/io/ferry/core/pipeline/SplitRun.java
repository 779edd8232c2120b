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
 * is durable, save that destination's checkpoint, acknowledge the source up to the point durable
 * everywhere, report progress. A checkpoint is never ahead of what its destination made durable, so
 * a crash at any instant resumes with nothing lost; a destination that is ahead of the others on
 * resume skips what it already has, so nothing is written twice.
 *
 * @param <P> the source's position type
 */
public final class SplitRun<P extends Position> {
    private static final Logger log = LoggerFactory.getLogger(SplitRun.class);
    private static final Duration SPLIT_PROGRESS_INTERVAL = Duration.ofSeconds(1);

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

            DurableCounts counts = new DurableCounts(baseRecords, baseBytes);
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
                    long[] offsets = new long[records.size()];
                    long[] sizes = new long[records.size()];
                    for (int i = 0; i < offsets.length; i++) {
                        Record record = records.get(i);
                        offsets[i] = record.offset();
                        sizes[i] = record.sizeInBytes();
                        batchBytes += sizes[i];
                    }
                    bytesThisRun += batchBytes;
                    recordsThisRun += offsets.length;
                    counts.add(offsets, sizes);
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

    private void checkpointDurable(List<Destination> destinations, DurableCounts counts, boolean force) {
        for (Destination destination : destinations) {
            WriteReceipt receipt = destination.writer.flush(force);
            Position position = receipt.lastPosition();
            if (position != null && receipt.lastOffset() > destination.durableOffset()) {
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
            }
        }
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

        Destination(String sinkId, SinkWriter writer, @Nullable Checkpoint checkpoint) {
            this.sinkId = sinkId;
            this.writer = writer;
            this.checkpoint = checkpoint;
            this.skipThrough = checkpoint == null ? -1 : checkpoint.lastOffset();
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
