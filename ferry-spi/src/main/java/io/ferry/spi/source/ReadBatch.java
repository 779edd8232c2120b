package io.ferry.spi.source;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.record.Record;
import java.util.List;

/**
 * What one {@link SourceReader#read} returned: records in order (possibly none, when nothing arrived
 * in time) and whether the split is exhausted.
 */
public record ReadBatch(List<Record> records, boolean end) {
    public ReadBatch {
        records = List.copyOf(requireNonNull(records, "records is null"));
    }

    public static ReadBatch endOfSplit() {
        return new ReadBatch(List.of(), true);
    }
}
