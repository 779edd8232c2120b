package io.ferry.archive.store;

import static java.util.Objects.requireNonNull;

/** An object in a store: its key ('/'-separated, never starting with '/') and its stored size in bytes. */
public record StoredObject(String key, long size) {
    public StoredObject {
        requireNonNull(key, "key is null");
        if (key.isEmpty() || key.startsWith("/")) {
            throw new IllegalArgumentException(
                    "object key must be non-empty and not start with '/', got '" + key + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size of '" + key + "' is negative: " + size);
        }
    }
}
