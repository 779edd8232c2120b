package io.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.record.Record;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import io.ferry.spi.source.Split;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every sink must do, as tests a connector's test class inherits by extending this class and
 * saying how to make the sink and how to read back what it made durable.
 *
 * <p>The records written have offsets 0, 2, 4, ... (gaps on purpose) and {@link TestPosition}s.
 * The tests drive writers as the engine does: write a batch, flush, and on resume hand back the
 * state of the last receipt and write again from the record after the receipt's offset.
 */
public abstract class SinkContractTest {
    /**
     * A sink writing to this test's destination. Every call within one test must write to the same
     * place, so a sink made later sees what an earlier one left (that is how resuming is tested).
     */
    protected abstract Sink createSink() throws Exception;

    /**
     * The values of the records that {@code split}'s writers have left at the destination, in order:
     * what a reader would see after a crash. Empty when there is nothing.
     */
    protected abstract List<byte[]> readDurableValues(Split split) throws Exception;

    /** The split the tests write. */
    protected Split split() {
        return new Split("contract-split", "contract-stream", 0);
    }

    /** The kinds of values this sink can carry; all by default. */
    protected Set<ValueKind> supportedValues() {
        return EnumSet.allOf(ValueKind.class);
    }

    protected int recordCount() {
        return 2_000;
    }

    /** How many records one {@link SinkWriter#write} call gets. */
    protected int batchSize() {
        return 100;
    }

    protected String jobName() {
        return "contract-job";
    }

    /**
     * How many bytes of values the crash tests write without a forced flush: more than a sink
     * buffers in memory, so some of it reaches the destination and must be taken back.
     */
    protected long unflushedBytes() {
        return 12L << 20;
    }

    protected final List<Record> testRecords() {
        return TestRecords.records(
                split(), 0, TestRecords.values(TestRecords.DEFAULT_SEED, recordCount(), supportedValues()));
    }

    /** At least {@link #recordCount()} records, and at least {@code 2 * unflushedBytes()} of values. */
    protected final List<Record> largeTestRecords() {
        List<byte[]> values = new ArrayList<>();
        long bytes = 0;
        long seed = TestRecords.DEFAULT_SEED;
        while (values.size() < recordCount() || bytes < 2 * unflushedBytes()) {
            for (byte[] value : TestRecords.values(seed++, 1_000, supportedValues())) {
                values.add(value);
                bytes += value.length;
            }
        }
        return TestRecords.records(split(), 0, values);
    }

    @Test
    void makesEverythingWrittenDurableInOrderOnForcedFlush() throws Exception {
        List<Record> records = testRecords();
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(false), Optional.empty())) {
            writeInBatches(writer, records, false);
            assertReceiptCovers(records.getLast(), writer.flush(true));
        }
        assertDurable(records);
    }

    @Test
    void claimsNothingBeforeAnythingIsWritten() throws Exception {
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(false), Optional.empty())) {
            WriteReceipt receipt = writer.flush(true);
            assertEquals(-1, receipt.lastOffset(), "receipt of an empty writer: " + receipt);
            assertEquals(Optional.empty(), receipt.durablePosition(), "receipt of an empty writer: " + receipt);
        }
        assertDurable(List.of());
    }

    @Test
    void resumesFromAnEmptyReceiptWithEverything() throws Exception {
        List<Record> records = testRecords();
        WriteReceipt empty;
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(false), Optional.empty())) {
            empty = writer.flush(true);
        }
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(true), Optional.of(empty.state()))) {
            writeInBatches(writer, records, false);
            assertReceiptCovers(records.getLast(), writer.flush(true));
        }
        assertDurable(records);
    }

    @Test
    void flushWithoutForceNeverClaimsMoreThanWasWritten() throws Exception {
        List<Record> records = testRecords();
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(false), Optional.empty())) {
            long previous = -1;
            for (int from = 0; from < records.size(); from += batchSize()) {
                List<Record> batch = records.subList(from, Math.min(records.size(), from + batchSize()));
                writer.write(batch);
                WriteReceipt receipt = writer.flush(false);
                assertTrue(
                        receipt.lastOffset() <= batch.getLast().offset(),
                        "receipt " + receipt + " claims more than was written (" + batch.getLast() + ")");
                assertTrue(receipt.lastOffset() >= previous, "receipt went backwards: " + receipt);
                previous = receipt.lastOffset();
                if (receipt.lastOffset() >= 0) {
                    assertReceiptCovers(recordAt(records, receipt.lastOffset()), receipt);
                }
            }
            assertReceiptCovers(records.getLast(), writer.flush(true));
        }
        assertDurable(records);
    }

    @Test
    void resumesAfterAStopWithoutDuplicatesOrGaps() throws Exception {
        List<Record> records = testRecords();
        int n = records.size();
        WriteReceipt receipt = null;
        // Three runs, each stopped cleanly after a forced flush, each resumed from the last receipt.
        for (int run = 0; run < 3; run++) {
            int from = receipt == null ? 0 : indexAfter(records, receipt.lastOffset());
            int to = run == 2 ? n : n * (run + 1) / 3;
            try (Sink sink = createSink();
                    SinkWriter writer = sink.open(
                            context(run > 0), receipt == null ? Optional.empty() : Optional.of(receipt.state()))) {
                writeInBatches(writer, records.subList(from, to), false);
                receipt = writer.flush(true);
                assertReceiptCovers(records.get(to - 1), receipt);
            }
        }
        assertDurable(records);
    }

    @Test
    void resumesAfterACrashWithoutDuplicatesOrGaps() throws Exception {
        List<Record> records = largeTestRecords();
        int n = records.size();
        WriteReceipt last;
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(false), Optional.empty())) {
            writeInBatches(writer, records.subList(0, n / 3), false);
            last = writer.flush(true);
            // Keep going as the engine does, then die: closed without a forced flush.
            WriteReceipt later = writeInBatches(writer, records.subList(n / 3, 2 * n / 3), true);
            if (later.lastOffset() >= last.lastOffset()) {
                last = later;
            }
        }
        int from = indexAfter(records, last.lastOffset());
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(true), Optional.of(last.state()))) {
            writeInBatches(writer, records.subList(from, n), false);
            assertReceiptCovers(records.getLast(), writer.flush(true));
        }
        assertDurable(records);
    }

    @Test
    void closingWithoutFlushPublishesNothingBeyondTheLastReceipt() throws Exception {
        List<Record> records = largeTestRecords();
        int n = records.size();
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(false), Optional.empty())) {
            writeInBatches(writer, records.subList(0, n / 2), false);
            assertReceiptCovers(records.get(n / 2 - 1), writer.flush(true));
            writeInBatches(writer, records.subList(n / 2, n), false);
        }
        if (publishesOnlyOnFlush()) {
            assertDurable(records.subList(0, n / 2));
        } else {
            assertDurablePrefix(records, n / 2);
        }
    }

    @Test
    void closingWithoutAnyFlushPublishesNothing() throws Exception {
        List<Record> records = largeTestRecords();
        try (Sink sink = createSink();
                SinkWriter writer = sink.open(context(false), Optional.empty())) {
            writeInBatches(writer, records, false);
        }
        if (publishesOnlyOnFlush()) {
            assertDurable(List.of());
        } else {
            assertDurablePrefix(records, 0);
        }
    }

    /**
     * Whether nothing becomes visible between flushes. A sink that publishes whole units as they
     * complete (an object store rolling objects) returns false: what it published without a flush
     * must then be a gap-free prefix of what was written, which a rewrite from the last checkpoint
     * replaces.
     */
    protected boolean publishesOnlyOnFlush() {
        return true;
    }

    private void assertDurablePrefix(List<Record> written, int atLeast) throws Exception {
        List<byte[]> actual = readDurableValues(split());
        assertTrue(
                actual.size() >= atLeast && actual.size() <= written.size(),
                "durable records: " + actual.size() + ", expected between " + atLeast + " and " + written.size());
        for (int i = 0; i < actual.size(); i++) {
            assertArrayEquals(written.get(i).value(), actual.get(i), "value of durable record " + i);
        }
    }

    protected final SinkContext context(boolean resuming) {
        return new SinkContext(jobName(), split(), resuming);
    }

    /**
     * Writes {@code records} in batches of {@link #batchSize()}, calling {@code flush(false)} after
     * each when {@code flushEachBatch}; returns the last receipt (an empty one when none was asked).
     */
    protected final WriteReceipt writeInBatches(SinkWriter writer, List<Record> records, boolean flushEachBatch) {
        WriteReceipt receipt = WriteReceipt.nothingDurable("");
        for (int from = 0; from < records.size(); from += batchSize()) {
            writer.write(records.subList(from, Math.min(records.size(), from + batchSize())));
            if (flushEachBatch) {
                receipt = writer.flush(false);
            }
        }
        return receipt;
    }

    private void assertDurable(List<Record> expected) throws Exception {
        List<byte[]> actual = readDurableValues(split());
        assertEquals(expected.size(), actual.size(), "number of durable records");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).value(), actual.get(i), "value of durable record " + i);
        }
    }

    private static void assertReceiptCovers(Record last, WriteReceipt receipt) {
        assertEquals(last.offset(), receipt.lastOffset(), "last durable offset in " + receipt);
        assertEquals(Optional.of(last.position()), receipt.durablePosition(), "last durable position in " + receipt);
    }

    private static Record recordAt(List<Record> records, long offset) {
        return records.stream()
                .filter(record -> record.offset() == offset)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the receipt names offset " + offset + ", never written"));
    }

    /** The index of the first record after {@code offset}; 0 when {@code offset} is -1. */
    private static int indexAfter(List<Record> records, long offset) {
        int index = 0;
        while (index < records.size() && records.get(index).offset() <= offset) {
            index++;
        }
        return index;
    }
}
