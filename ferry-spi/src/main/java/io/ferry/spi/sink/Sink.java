package io.ferry.spi.sink;

import java.util.Optional;

/** A writable system: opens one writer per split. */
public interface Sink extends AutoCloseable {
    /**
     * A stable identifier of this destination within a job, such as {@code dir:/data/bucket}; each
     * destination keeps its own checkpoint under it.
     */
    String id();

    /**
     * Opens a writer for {@code context.split()}. {@code state} is the {@link WriteReceipt#state()}
     * of the last checkpoint this sink reached for the split, empty on a first run.
     */
    SinkWriter open(SinkContext context, Optional<String> state);

    @Override
    default void close() {}
}
