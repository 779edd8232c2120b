package io.ferry.spi.position;

/**
 * Where a reader stands in its split, just after some record. Connector-defined and immutable; the
 * engine stores {@link #encode()} in checkpoints and hands it back through {@code
 * Source.decodePosition} on resume. Implementations should be records.
 */
public interface Position {
    /** A compact string form that the owning source can decode. */
    String encode();
}
