package io.ferry.testing;

import io.ferry.spi.position.Position;

/** The position of a generated record: just after the record at {@code offset}. */
public record TestPosition(long offset) implements Position {
    private static final String PREFIX = "test-offset=";

    public TestPosition {
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
    }

    @Override
    public String encode() {
        return PREFIX + offset;
    }

    /** Decodes {@link #encode()}; throws {@link IllegalArgumentException} for anything else. */
    public static TestPosition decode(String encoded) {
        if (!encoded.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a test position: '" + encoded + "'");
        }
        return new TestPosition(Long.parseLong(encoded.substring(PREFIX.length())));
    }
}
