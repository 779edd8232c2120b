package io.ferry.edfi.send;

/**
 * Hears of a send's progress. Called from many threads; implementations must be fast and never
 * throw. Every method does nothing by default.
 */
public interface SendListener {
    SendListener NONE = new SendListener() {};

    /** A resource starts; {@code lines} is its number of payload lines. */
    default void started(String resource, long lines) {}

    /** One more payload of {@code resource} is done (answered, failed or skipped). */
    default void progressed(String resource, long done, long lines) {}

    default void finished(ResourceResults results) {}
}
