package io.ferry.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.spi.position.Position;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurableCountsTest {
    @Test
    void countsRecordsAndBytesThroughAnOffsetInsideABatchWithGaps() {
        DurableCounts counts = new DurableCounts(100, 1000);
        assertEquals(6, counts.add(batch(new long[] {10, 12, 14}, new int[] {1, 2, 3})));
        assertEquals(30, counts.add(batch(new long[] {20, 30}, new int[] {10, 20})));
        assertArrayEquals(new long[] {100, 1000}, counts.through(9));
        assertArrayEquals(new long[] {101, 1001}, counts.through(10));
        assertArrayEquals(new long[] {102, 1003}, counts.through(13));
        assertArrayEquals(new long[] {103, 1006}, counts.through(14));
        assertArrayEquals(new long[] {104, 1016}, counts.through(25));
        assertArrayEquals(new long[] {105, 1036}, counts.through(30));
    }

    @Test
    void releasedBatchesBecomeTheBase() {
        DurableCounts counts = new DurableCounts(0, 0);
        counts.add(batch(new long[] {0, 1}, new int[] {5, 5}));
        counts.add(batch(new long[] {2, 3}, new int[] {5, 5}));
        counts.release(1);
        assertArrayEquals(new long[] {2, 10}, counts.through(1));
        assertArrayEquals(new long[] {3, 15}, counts.through(2));
        counts.release(3);
        assertArrayEquals(new long[] {4, 20}, counts.through(99));
    }

    /** Records at {@code offsets} whose values have {@code sizes} bytes. */
    private static List<Record> batch(long[] offsets, int[] sizes) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            long offset = offsets[i];
            Position position = () -> Long.toString(offset);
            records.add(Record.ofValue(new byte[sizes[i]], new SourceCoordinates("s", 0, offset), position));
        }
        return records;
    }
}
