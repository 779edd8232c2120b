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
     * of the last checkpoint this sink reached for the split, empty when it has none.
     *
     * <p>A sink may have made more durable than its last checkpoint says (the process died between
     * the two), and the engine will write those records again. So writing from a checkpoint must not
     * duplicate: either the sink discards what lies beyond {@code state} here (truncate a file to the
     * checkpointed length), or re-writing replaces what is there (objects named by their first
     * offset).
     */
    SinkWriter open(SinkContext context, Optional<String> state);

    /**
     * What this sink writes that no other job may write at the same time, such as a topic or an
     * output file; the engine leases each for the duration of a run and refuses a second writer.
     * Empty (the default) when concurrent writers cannot collide.
     */
    default java.util.List<String> exclusiveTargets() {
        return java.util.List.of();
    }

    @Override
    default void close() {}
}
