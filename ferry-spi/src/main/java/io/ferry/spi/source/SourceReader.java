package io.ferry.spi.source;

import io.ferry.spi.position.Position;
import java.time.Duration;

/**
 * Reads one split in order. Not thread safe: the engine drives each reader from one thread.
 *
 * @param <P> this source's position type
 */
public interface SourceReader<P extends Position> extends AutoCloseable {
    /**
     * Returns the next records, waiting at most {@code maxWait} for some to arrive. A batch marked
     * {@code end} is the last; reading after it is an error.
     */
    ReadBatch read(Duration maxWait);

    /**
     * Everything up to and including the record at {@code upTo} is durable in every destination and
     * checkpointed. A source finishes its side here: commit a consumer group, delete exported rows.
     * Must be idempotent.
     */
    void acknowledge(P upTo);

    /** How far this reader has read, in the unit of {@link Source#size}; monotonic. */
    long progress();

    @Override
    void close();
}
