package io.ferry.archive;

import io.ferry.spi.position.Position;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records for tests, positioned by a {@link TestingPosition} that is just their offset. */
public final class TestingRecords {
    public record TestingPosition(long offset) implements Position {
        @Override
        public String encode() {
            return Long.toString(offset);
        }
    }

    private TestingRecords() {}

    public static Record record(String stream, int partition, long offset, String value) {
        return new Record(
                ("k" + offset).getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                List.of(Header.of("n", Long.toString(offset))),
                1_700_000_000_000L + offset,
                new SourceCoordinates(stream, partition, offset),
                new TestingPosition(offset));
    }

    /** {@code count} records at offsets {@code first, first + step, ...} with ~{@code valueBytes} values. */
    public static List<Record> records(String stream, int partition, long first, int count, long step, int valueBytes) {
        List<Record> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offset = first + i * step;
            String value = ("value-" + offset + "-").repeat(Math.max(1, valueBytes / 10));
            records.add(record(stream, partition, offset, value));
        }
        return records;
    }
}
