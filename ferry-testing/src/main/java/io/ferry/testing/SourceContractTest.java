package io.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ferry.spi.error.ErrorKind;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What every source must do, as tests a connector's test class inherits by extending this class
 * and saying how to make a source holding given values.
 *
 * <p>The hooks: {@link #createSource} (required), {@link #supportedValues} for a source that cannot
 * carry every kind of value, {@link #recordCount}, and {@link #malformedPositions} to add
 * connector-specific garbage.
 *
 * @param <P> the source's position type
 */
public abstract class SourceContractTest<P extends Position> {
    /**
     * A new source whose {@link Source#plan()} has exactly one split holding {@code values} in this
     * order. Called once or more per test; each call may write new data (a new file, a new topic).
     */
    protected abstract Source<P> createSource(List<byte[]> values) throws Exception;

    /** The kinds of values this source can carry; all by default. */
    protected Set<ValueKind> supportedValues() {
        return EnumSet.allOf(ValueKind.class);
    }

    /**
     * Whether a stream without records is still a split. An archive holds no object for an empty
     * stream, so its source plans nothing for it and returns false.
     */
    protected boolean hasEmptySplits() {
        return true;
    }

    protected int recordCount() {
        return 2_500;
    }

    /** Strings that are not positions of this source; every one must be refused as user input. */
    protected List<String> malformedPositions() {
        return List.of("", " ", "garbage", "\u0000\u0001\u0002", "{\"offset\":", "%%%", "99999999999999999999999");
    }

    /** How long one {@link SourceReader#read} may wait. */
    protected Duration readWait() {
        return Duration.ofMillis(500);
    }

    /** How long reading a whole split may take before the test fails instead of hanging. */
    protected Duration readTimeout() {
        return Duration.ofSeconds(60);
    }

    protected final List<byte[]> testValues() {
        return TestRecords.values(TestRecords.DEFAULT_SEED, recordCount(), supportedValues());
    }

    @Test
    void planIsStableAcrossCalls() throws Exception {
        try (Source<P> source = createSource(testValues())) {
            List<Split> first = source.plan();
            assertEquals(1, first.size(), "a source made by createSource has exactly one split: " + first);
            assertEquals(first, source.plan(), "plan() changed between calls");
        }
    }

    @Test
    void readsEveryRecordExactlyOnceInOrder() throws Exception {
        List<byte[]> values = testValues();
        try (Source<P> source = createSource(values)) {
            Split split = onlySplit(source);
            List<Record> records;
            try (SourceReader<P> reader = source.open(split, Optional.empty())) {
                records = readToEnd(reader);
            }
            assertValues(values, records);
            long previous = -1;
            for (Record record : records) {
                assertTrue(
                        record.offset() > previous,
                        "offsets must increase strictly: " + record.offset() + " after " + previous);
                previous = record.offset();
                assertEquals(split.stream(), record.from().stream(), "stream of " + record);
                assertEquals(split.partition(), record.from().partition(), "partition of " + record);
            }
        }
    }

    @Test
    void readsNothingFromAnEmptySplit() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                hasEmptySplits(), "this source plans no split for a stream without records");
        try (Source<P> source = createSource(List.of())) {
            Split split = onlySplit(source);
            try (SourceReader<P> reader = source.open(split, Optional.empty())) {
                assertEquals(List.of(), readToEnd(reader));
                Optional<SplitSize> size = source.size(split);
                if (size.isPresent()) {
                    assertEquals(size.get().total(), reader.progress(), "progress at the end of an empty split");
                }
            }
        }
    }

    @Test
    void everyPositionSurvivesEncodingAndDecoding() throws Exception {
        try (Source<P> source = createSource(testValues())) {
            Split split = onlySplit(source);
            try (SourceReader<P> reader = source.open(split, Optional.empty())) {
                for (Record record : readToEnd(reader)) {
                    String encoded = record.position().encode();
                    P decoded = source.decodePosition(split, encoded);
                    assertEquals(record.position(), decoded, "position of " + record + " after decoding " + encoded);
                    assertEquals(encoded, decoded.encode(), "encoding is not stable for " + record);
                }
            }
        }
    }

    @Test
    void resumesAfterEveryCutPointWithExactlyTheRemainingRecords() throws Exception {
        List<byte[]> values = testValues();
        try (Source<P> source = createSource(values)) {
            Split split = onlySplit(source);
            List<Record> all;
            try (SourceReader<P> reader = source.open(split, Optional.empty())) {
                all = readToEnd(reader);
            }
            int n = all.size();
            for (int cut : cutPoints(n)) {
                // Stop mid-read, as a killed run does, keeping only the position of the cut record.
                String saved;
                try (SourceReader<P> reader = source.open(split, Optional.empty())) {
                    List<Record> partial = readAtLeast(reader, cut + 1);
                    assertEquals(all.get(cut), partial.get(cut), "record " + cut + " differs between two reads");
                    saved = partial.get(cut).position().encode();
                }
                P resumeAfter = source.decodePosition(split, saved);
                try (SourceReader<P> reader = source.open(split, Optional.of(resumeAfter))) {
                    List<Long> progress = new ArrayList<>();
                    List<Record> rest = readToEnd(reader, progress);
                    assertEquals(all.subList(cut + 1, n), rest, "records after resuming after record " + cut);
                    assertMonotonic(progress, "progress after resuming after record " + cut);
                    Optional<SplitSize> size = source.size(split);
                    if (size.isPresent()) {
                        assertEquals(
                                size.get().total(),
                                reader.progress(),
                                "progress at the end after resuming after record " + cut);
                    }
                }
            }
        }
    }

    @Test
    void progressIsMonotonicAndEndsAtTheSize() throws Exception {
        try (Source<P> source = createSource(testValues())) {
            Split split = onlySplit(source);
            Optional<SplitSize> size = source.size(split);
            try (SourceReader<P> reader = source.open(split, Optional.empty())) {
                List<Long> progress = new ArrayList<>();
                progress.add(reader.progress());
                readToEnd(reader, progress);
                assertMonotonic(progress, "progress");
                if (size.isPresent()) {
                    long total = size.get().total();
                    assertEquals(total, reader.progress(), "progress at the end must equal size " + size.get());
                    for (long p : progress) {
                        assertTrue(p <= total, "progress " + p + " beyond size " + total);
                    }
                }
            }
        }
    }

    @Test
    void theEndBatchIsTheLastAndReadingAfterItFails() throws Exception {
        try (Source<P> source = createSource(testValues())) {
            Split split = onlySplit(source);
            try (SourceReader<P> reader = source.open(split, Optional.empty())) {
                readToEnd(reader);
                assertThrows(
                        IllegalStateException.class,
                        () -> reader.read(readWait()),
                        "reading after the end batch must fail with IllegalStateException");
            }
        }
    }

    @Test
    void acknowledgingIsIdempotent() throws Exception {
        try (Source<P> source = createSource(testValues())) {
            Split split = onlySplit(source);
            try (SourceReader<P> reader = source.open(split, Optional.empty())) {
                List<Record> records = readToEnd(reader);
                for (Record record : List.of(records.get(records.size() / 2), records.getLast())) {
                    P position = source.decodePosition(split, record.position().encode());
                    reader.acknowledge(position);
                    reader.acknowledge(position);
                }
            }
        }
    }

    @Test
    void refusesMalformedPositionsAsUserInput() throws Exception {
        try (Source<P> source = createSource(testValues())) {
            Split split = onlySplit(source);
            for (String garbage : malformedPositions()) {
                FerryException error = assertThrows(
                        FerryException.class,
                        () -> source.decodePosition(split, garbage),
                        "decoding '" + garbage + "' must fail");
                assertEquals(ErrorKind.USER_INPUT, error.kind(), "kind of the error for '" + garbage + "'");
                String message = error.getMessage();
                assertTrue(message != null && !message.isBlank(), "message for '" + garbage + "'");
            }
        }
    }

    /** Reads batches until the end batch, failing the test after {@link #readTimeout()}. */
    protected final List<Record> readToEnd(SourceReader<P> reader) {
        return readToEnd(reader, new ArrayList<>());
    }

    /** As {@link #readToEnd(SourceReader)}, adding the reader's progress after every batch. */
    protected final List<Record> readToEnd(SourceReader<P> reader, List<Long> progress) {
        long deadline = System.nanoTime() + readTimeout().toNanos();
        List<Record> records = new ArrayList<>();
        while (true) {
            ReadBatch batch = reader.read(readWait());
            records.addAll(batch.records());
            progress.add(reader.progress());
            if (batch.end()) {
                return records;
            }
            if (System.nanoTime() > deadline) {
                fail("no end batch after " + readTimeout() + "; read " + records.size() + " records");
            }
        }
    }

    private List<Record> readAtLeast(SourceReader<P> reader, int count) {
        long deadline = System.nanoTime() + readTimeout().toNanos();
        List<Record> records = new ArrayList<>();
        while (records.size() < count) {
            ReadBatch batch = reader.read(readWait());
            records.addAll(batch.records());
            if (batch.end() && records.size() < count) {
                fail("split ended after " + records.size() + " records, expected at least " + count);
            }
            if (System.nanoTime() > deadline) {
                fail("read only " + records.size() + " of " + count + " records in " + readTimeout());
            }
        }
        return records;
    }

    private static Split onlySplit(Source<?> source) {
        List<Split> plan = source.plan();
        assertEquals(1, plan.size(), "a source made by createSource has exactly one split: " + plan);
        return plan.getFirst();
    }

    private static Set<Integer> cutPoints(int n) {
        Set<Integer> cuts = new TreeSet<>();
        for (int cut : new int[] {0, 1, n / 3, n / 2, n - 2, n - 1}) {
            if (cut >= 0 && cut < n) {
                cuts.add(cut);
            }
        }
        return cuts;
    }

    /** Asserts that {@code records} hold exactly {@code expected}, in order. */
    protected static void assertValues(List<byte[]> expected, List<Record> records) {
        assertEquals(expected.size(), records.size(), "number of records");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), records.get(i).value(), "value of record " + i);
        }
    }

    private static void assertMonotonic(List<Long> values, String what) {
        for (int i = 1; i < values.size(); i++) {
            assertTrue(
                    values.get(i) >= values.get(i - 1),
                    what + " went backwards: " + values.get(i - 1) + " then " + values.get(i));
        }
    }
}
