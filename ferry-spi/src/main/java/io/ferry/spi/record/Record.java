package io.ferry.spi.record;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.position.Position;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event as ferry moves it: key, value and headers exactly as read (null stays null), the
 * timestamp in epoch milliseconds or {@link #NO_TIMESTAMP}, where it came from, and the reader's
 * position just after it, which is what a checkpoint saves once the record is durable everywhere.
 */
// equals, hashCode and toString compare contents; the name is the domain's, and java.lang.Record is
// never named in code that uses this one
@SuppressWarnings({"ArrayRecordComponent", "JavaLangClash"})
public record Record(
        byte @Nullable [] key,
        byte @Nullable [] value,
        List<Header> headers,
        long timestamp,
        SourceCoordinates from,
        Position position) {
    public static final long NO_TIMESTAMP = -1;

    // An explicit canonical constructor: javac drops @Nullable from compact constructors' parameters
    // in the class file, and NullAway in other modules would then reject null keys and values.
    public Record(
            byte @Nullable [] key,
            byte @Nullable [] value,
            List<Header> headers,
            long timestamp,
            SourceCoordinates from,
            Position position) {
        if (timestamp < NO_TIMESTAMP) {
            throw new IllegalArgumentException("timestamp is negative: " + timestamp);
        }
        this.key = key;
        this.value = value;
        this.headers = List.copyOf(requireNonNull(headers, "headers is null"));
        this.timestamp = timestamp;
        this.from = requireNonNull(from, "from is null");
        this.position = requireNonNull(position, "position is null");
    }

    /** A record with only a value, no key, headers or timestamp. */
    public static Record ofValue(byte[] value, SourceCoordinates from, Position position) {
        return new Record(null, value, List.of(), NO_TIMESTAMP, from, position);
    }

    public long offset() {
        return from.offset();
    }

    /** Bytes of key, value and headers; what rates and object sizes are measured in. */
    public long sizeInBytes() {
        long size = (key == null ? 0L : key.length) + (value == null ? 0L : value.length);
        for (Header header : headers) {
            size += header.name().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Record that
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value)
                && headers.equals(that.headers)
                && timestamp == that.timestamp
                && from.equals(that.from)
                && position.equals(that.position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), headers, timestamp, from, position);
    }

    @Override
    public String toString() {
        return "Record[" + from + ", key=" + (key == null ? "null" : key.length + " bytes") + ", value="
                + (value == null ? "null" : value.length + " bytes") + ", headers=" + headers.size() + "]";
    }
}
