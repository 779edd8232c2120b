package io.ferry.core.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The last point one destination made durable for one split: the offset and encoded source
 * position of the last durable record, the destination's own resume state, and how many records
 * and bytes of the split are durable there.
 */
public record Checkpoint(
        String job,
        String split,
        String sink,
        long lastOffset,
        String position,
        String sinkState,
        long records,
        long bytes,
        Instant updatedAt) {
    public Checkpoint {
        requireNonNull(job, "job is null");
        requireNonNull(split, "split is null");
        requireNonNull(sink, "sink is null");
        requireNonNull(position, "position is null");
        requireNonNull(sinkState, "sinkState is null");
        requireNonNull(updatedAt, "updatedAt is null");
        if (records < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative counts: records=" + records + ", bytes=" + bytes);
        }
    }
}
