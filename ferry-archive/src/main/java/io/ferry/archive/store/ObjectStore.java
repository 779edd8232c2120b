package io.ferry.archive.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A bucket of immutable objects addressed by '/'-separated keys that never start with '/'. Objects
 * appear atomically (see {@link ObjectUpload}). Failures are {@code FerryException}s with code
 * {@code IO_ERROR}.
 */
public interface ObjectStore extends AutoCloseable {
    /** A short description for messages and sink ids, such as {@code dir:/data/bucket}. */
    String describe();

    /** Every committed object whose key starts with {@code prefix}, at any depth, sorted by key. */
    List<StoredObject> list(String prefix);

    /** The committed object under {@code key}, if any. */
    Optional<StoredObject> stat(String key);

    /** Reads the whole object; fails with {@code NOT_FOUND} when there is none under {@code key}. */
    InputStream open(String key);

    /** Starts writing an object under {@code key}; nothing is visible until it is committed. */
    ObjectUpload create(String key);

    /**
     * Starts writing an object that must be new: its commit fails with {@code TARGET_EXISTS}, leaving
     * the object there untouched, when one appeared under {@code key} in the meantime (another writer
     * of the same key). Stores that cannot check that atomically at commit commit as {@link #create}
     * does.
     */
    default ObjectUpload createNew(String key) {
        return create(key);
    }

    /** Deletes the object under {@code key}; a no-op when there is none. */
    void delete(String key);

    /** Removes the incomplete uploads a crashed writer left under {@code prefix}. */
    void abortIncompleteUploads(String prefix);

    @Override
    default void close() {}
}
