package io.ferry.archive.store;

import java.io.OutputStream;

/**
 * An object being written. Nothing is visible under its key until {@link #commit()} returns; then
 * the whole object is durable and visible at once. Closing without committing aborts.
 */
public interface ObjectUpload extends AutoCloseable {
    /** Where the object's bytes go; closing it does not commit. */
    OutputStream stream();

    /**
     * Makes the object durable and visible under its key, replacing any object already there; for an
     * upload from {@link ObjectStore#createNew}, failing with {@code TARGET_EXISTS} instead where the
     * store can tell.
     */
    void commit();

    /** Discards what was written; idempotent, and a no-op after {@link #commit()}. */
    void abort();

    /** Aborts unless committed. */
    @Override
    void close();
}
