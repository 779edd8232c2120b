package io.ferry.spi.record;

import static java.util.Objects.requireNonNull;

/**
 * Where a record came from: its stream (topic, file), partition and offset. Offsets increase
 * strictly within one stream partition but may have gaps (a compacted topic), so they order records
 * and never count them.
 */
public record SourceCoordinates(String stream, int partition, long offset) {
    public SourceCoordinates {
        requireNonNull(stream, "stream is null");
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("stream is empty");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition is negative: " + partition);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
    }

    @Override
    public String toString() {
        return stream + "/" + partition + "@" + offset;
    }
}
