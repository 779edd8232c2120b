package io.ferry.archive;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.position.Position;

/**
 * Just after the {@code recordsInObject}-th record of the archive object {@code objectKey}, whose
 * offset is {@code offset}. Encoded as {@code <recordsInObject>:<offset>:<objectKey>}.
 */
public record ArchivePosition(String objectKey, long recordsInObject, long offset) implements Position {
    public ArchivePosition {
        requireNonNull(objectKey, "objectKey is null");
        if (objectKey.isEmpty()) {
            throw new IllegalArgumentException("objectKey is empty");
        }
        if (recordsInObject < 1) {
            throw new IllegalArgumentException("recordsInObject must be at least 1, got " + recordsInObject);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
    }

    @Override
    public String encode() {
        return recordsInObject + ":" + offset + ":" + objectKey;
    }

    /** Parses {@link #encode()}; fails with {@link IllegalArgumentException} naming the problem. */
    public static ArchivePosition decode(String encoded) {
        requireNonNull(encoded, "encoded is null");
        int first = encoded.indexOf(':');
        int second = first < 0 ? -1 : encoded.indexOf(':', first + 1);
        if (second < 0) {
            throw new IllegalArgumentException(
                    "archive position must look like '<records>:<offset>:<object key>', got '" + encoded + "'");
        }
        try {
            long records = Long.parseLong(encoded.substring(0, first));
            long offset = Long.parseLong(encoded.substring(first + 1, second));
            return new ArchivePosition(encoded.substring(second + 1), records, offset);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "archive position must look like '<records>:<offset>:<object key>', got '" + encoded + "'", e);
        }
    }
}
