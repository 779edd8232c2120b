package io.ferry.files;

import io.ferry.spi.position.Position;
import java.util.Optional;

/**
 * Where a JSONL reader stands just after a line: the byte offset in the uncompressed stream of the
 * next line's first byte, and that line's 0-based number. Encoded as {@code b=<byteOffset>;l=<nextLine>}.
 */
public record LinePosition(long byteOffset, long nextLine) implements Position {
    /** Before the first line. */
    public static final LinePosition START = new LinePosition(0, 0);

    public LinePosition {
        if (byteOffset < 0) {
            throw new IllegalArgumentException("byteOffset is negative: " + byteOffset);
        }
        if (nextLine < 0) {
            throw new IllegalArgumentException("nextLine is negative: " + nextLine);
        }
        // Every line before the position takes at least one byte: its line feed, or its last byte.
        if (nextLine > byteOffset) {
            throw new IllegalArgumentException("nextLine " + nextLine + " is beyond byteOffset " + byteOffset
                    + ": each line takes at least one byte");
        }
    }

    @Override
    public String encode() {
        return "b=" + byteOffset + ";l=" + nextLine;
    }

    /** Parses {@link #encode()}'s form exactly; empty for anything else. */
    public static Optional<LinePosition> parse(String encoded) {
        if (!encoded.startsWith("b=")) {
            return Optional.empty();
        }
        int separator = encoded.indexOf(";l=");
        if (separator < 0) {
            return Optional.empty();
        }
        long byteOffset = parseDigits(encoded, 2, separator);
        long nextLine = parseDigits(encoded, separator + 3, encoded.length());
        if (byteOffset < 0 || nextLine < 0 || nextLine > byteOffset) {
            return Optional.empty();
        }
        return Optional.of(new LinePosition(byteOffset, nextLine));
    }

    /** The non-negative decimal number in {@code text[from, to)}, or -1 when it is not one or overflows. */
    private static long parseDigits(String text, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
