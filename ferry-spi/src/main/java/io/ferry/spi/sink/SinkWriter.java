package io.ferry.spi.sink;

import io.ferry.spi.record.Record;
import java.util.List;

/**
 * Writes the records of one split, in offset order. Not thread safe: the engine drives each writer
 * from one thread.
 */
public interface SinkWriter extends AutoCloseable {
    /** Accepts records; they may be buffered until {@link #flush}. */
    void write(List<Record> records);

    /**
     * Makes durable what this sink makes durable at this point and reports how far that is. With
     * {@code force}, everything written so far must be durable when this returns (end of split, a
     * pause). Without it the sink may report an earlier point (an object still being filled), and
     * should return quickly: the engine calls this after every batch.
     */
    WriteReceipt flush(boolean force);

    /** Releases resources. Work not made durable by {@link #flush} is discarded, never published. */
    @Override
    void close();
}
