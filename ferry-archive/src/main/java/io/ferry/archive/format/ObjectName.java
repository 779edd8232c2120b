package io.ferry.archive.format;

import static java.util.Objects.requireNonNull;

/**
 * What an archive key says: the stream partition, the first offset, whether it is the data object
 * or its manifest, and (for data objects) the compression. Manifests have {@link Compression#NONE}.
 */
public record ObjectName(
        String stream, int partition, long firstOffset, ObjectName.Kind kind, Compression compression) {
    public enum Kind {
        OBJECT,
        MANIFEST
    }

    public ObjectName {
        requireNonNull(stream, "stream is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(compression, "compression is null");
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("stream is empty");
        }
        if (partition < 0 || firstOffset < 0) {
            throw new IllegalArgumentException(
                    "partition and firstOffset must not be negative, got " + partition + " and " + firstOffset);
        }
    }
}
