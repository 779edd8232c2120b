package io.ferry.spi.source;

import static java.util.Objects.requireNonNull;

/**
 * The known extent of a split, in the unit its reader reports progress in ({@link
 * SourceReader#progress()}): bytes of a file, offsets of a partition.
 */
public record SplitSize(long total, Unit unit) {
    public enum Unit {
        BYTES,
        RECORDS
    }

    public SplitSize {
        requireNonNull(unit, "unit is null");
        if (total < 0) {
            throw new IllegalArgumentException("total is negative: " + total);
        }
    }
}
