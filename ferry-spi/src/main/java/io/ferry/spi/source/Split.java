package io.ferry.spi.source;

import static java.util.Objects.requireNonNull;

/**
 * An independently resumable unit of a source: one file, one topic partition, one stream partition
 * of an archive. {@code id} is stable across runs of the same job; checkpoints are keyed by it.
 */
public record Split(String id, String stream, int partition) {
    public Split {
        requireNonNull(id, "id is null");
        requireNonNull(stream, "stream is null");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id is empty");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition is negative: " + partition);
        }
    }
}
