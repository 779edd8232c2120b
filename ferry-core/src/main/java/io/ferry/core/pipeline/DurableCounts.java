package io.ferry.core.pipeline;

import io.ferry.spi.record.Record;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Answers "how many records and bytes of this split are at or before offset X" for records read but
 * not yet durable in every destination, so a checkpoint can store exact counts even when a sink
 * makes data durable in the middle of a batch. Holds 16 bytes per pending record; entries are
 * dropped once every destination is past them.
 */
final class DurableCounts {
    private final Deque<Batch> pending = new ArrayDeque<>();
    private long baseRecords;
    private long baseBytes;

    DurableCounts(long records, long bytes) {
        this.baseRecords = records;
        this.baseBytes = bytes;
    }

    /**
     * Adds a batch of records (offsets increasing) and returns its bytes. The per-record loop lives
     * here, not in the split's loop, so the JIT compiles it on its own instead of compiling the whole
     * split loop, reads and writes inlined, again and again.
     */
    long add(List<Record> records) {
        int count = records.size();
        long[] offsets = new long[count];
        long[] cumulative = new long[count];
        long sum = 0;
        for (int i = 0; i < count; i++) {
            Record record = records.get(i);
            offsets[i] = record.offset();
            sum += record.sizeInBytes();
            cumulative[i] = sum;
        }
        long recordsBefore =
                pending.isEmpty() ? baseRecords : pending.peekLast().recordsAfter();
        long bytesBefore = pending.isEmpty() ? baseBytes : pending.peekLast().bytesAfter();
        pending.addLast(new Batch(offsets, cumulative, recordsBefore, bytesBefore));
        return sum;
    }

    /** Records and bytes at or before {@code offset}, counting from the split's start. */
    long[] through(long offset) {
        long records = baseRecords;
        long bytes = baseBytes;
        for (Batch batch : pending) {
            if (batch.offsets[0] > offset) {
                break;
            }
            int index = Arrays.binarySearch(batch.offsets, offset);
            int count = index >= 0 ? index + 1 : -index - 1;
            records = batch.recordsBefore + count;
            bytes = batch.bytesBefore + (count == 0 ? 0 : batch.cumulativeBytes[count - 1]);
            if (count < batch.offsets.length) {
                break;
            }
        }
        return new long[] {records, bytes};
    }

    /** Forgets batches wholly at or before {@code offset}. */
    void release(long offset) {
        while (!pending.isEmpty() && pending.peekFirst().lastOffset() <= offset) {
            Batch batch = pending.removeFirst();
            baseRecords = batch.recordsAfter();
            baseBytes = batch.bytesAfter();
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed; a record for its accessors
    private record Batch(long[] offsets, long[] cumulativeBytes, long recordsBefore, long bytesBefore) {
        long lastOffset() {
            return offsets[offsets.length - 1];
        }

        long recordsAfter() {
            return recordsBefore + offsets.length;
        }

        long bytesAfter() {
            return bytesBefore + cumulativeBytes[cumulativeBytes.length - 1];
        }
    }
}
