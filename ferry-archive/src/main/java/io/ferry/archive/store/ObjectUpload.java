package io.ferry.archive.store;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
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

    /**
     * The error of a commit from {@link ObjectStore#createNew} that found {@code where} (the object,
     * as messages name it) taken by another writer.
     */
    static FerryException keyTaken(String where, Exception cause) {
        return new FerryException(
                StandardErrorCode.TARGET_EXISTS,
                where + " was written by someone else while this upload was open: another job, or this job run"
                        + " from another machine, is writing the same objects (it was left as it is). Run one job"
                        + " per stream partition and prefix",
                cause);
    }

    /** Aborts unless committed. */
    @Override
    void close();
}
