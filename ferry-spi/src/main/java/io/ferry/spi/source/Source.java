package io.ferry.spi.source;

import io.ferry.spi.position.Position;
import java.util.List;
import java.util.Optional;

/**
 * A readable system: plans independently resumable splits and opens a reader for each.
 *
 * @param <P> this source's position type
 */
public interface Source<P extends Position> extends AutoCloseable {
    /** A short description for messages and job names, such as {@code file:orders.jsonl}. */
    String describe();

    /** The splits to read, in a stable order. Called once per run. */
    List<Split> plan();

    /**
     * Opens a reader for {@code split} that starts just after {@code resumeAfter}, or at the split's
     * start when empty.
     */
    SourceReader<P> open(Split split, Optional<P> resumeAfter);

    /** The split's extent when known, so the engine can show progress and time remaining. */
    Optional<SplitSize> size(Split split);

    /** Decodes a position this source encoded; fails with a user error when it is not one. */
    P decodePosition(Split split, String encoded);

    @Override
    default void close() {}
}
