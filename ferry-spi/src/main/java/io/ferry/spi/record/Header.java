package io.ferry.spi.record;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One record header. A record holds its headers as an ordered list in which a name may repeat; the
 * value may be null (Kafka allows both).
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString compare contents
public record Header(String name, byte @Nullable [] value) {
    // Explicit rather than compact, so @Nullable on value survives into the class file (see Record).
    public Header(String name, byte @Nullable [] value) {
        this.name = requireNonNull(name, "name is null");
        this.value = value;
    }

    public static Header of(String name, String value) {
        return new Header(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Header that && name.equals(that.name) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header[" + name + "=" + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
