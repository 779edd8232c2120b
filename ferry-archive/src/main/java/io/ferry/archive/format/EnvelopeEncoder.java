package io.ferry.archive.format;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The byte level of {@link EnvelopeWriter}: JSON text written into its own buffer, which grows up to
 * {@link #MAX_BUFFER_BYTES} and is then handed to the stream whenever it is full. The text is byte
 * for byte what Jackson's UTF-8 generator writes with its default settings: {@code "} and {@code \}
 * escaped with a backslash, control characters as {@code \b \t \n \f \r} or <code>&#92;u00XX</code>
 * (uppercase hex), everything else (0x7F and non-ASCII) as it is; in Java strings every surrogate
 * char, paired or not, as <code>&#92;uXXXX</code>; base64 in the standard alphabet, padded, one line.
 */
final class EnvelopeEncoder {
    static final int MAX_BUFFER_BYTES = 64 * 1024;

    /** Enough for one small envelope, so a writer made for a single record stays cheap. */
    private static final int FIRST_BUFFER_BYTES = 4 * 1024;

    /**
     * Byte values up to this size are escaped in one pass that also validates them, into the buffer,
     * which has room for their worst case (every byte as <code>&#92;u00XX</code>, and the quotes); the pass is
     * undone when they turn out not to be UTF-8. Larger ones are validated first, then escaped in
     * pieces.
     */
    static final int ONE_PASS_MAX_BYTES = (MAX_BUFFER_BYTES - 2) / 6;

    /** Input bytes per piece of a large value; each piece's worst case fits the buffer. */
    private static final int PIECE_BYTES = 8 * 1024;

    /** Input bytes per piece of a large base64 value: a multiple of 3, so only the last piece pads. */
    private static final int BASE64_PIECE_BYTES = 3 * 4 * 1024;

    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    /** Per ASCII byte: 0 as it is, -1 as <code>&#92;u00XX</code>, otherwise the letter after a backslash. */
    private static final byte[] ESCAPES = escapes();

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] BASE64_START = {'{', '"', 'b', 'a', 's', 'e', '6', '4', '"', ':', '"'};
    private static final byte[] BASE64_END = {'"', '}'};
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final OutputStream out;
    private byte[] buffer = new byte[FIRST_BUFFER_BYTES];
    private int position;
    private long handedOver;
    private byte[] base64Input = new byte[0];
    private byte[] base64Output = new byte[0];

    EnvelopeEncoder(OutputStream out) {
        this.out = out;
    }

    /** Bytes written so far, including those still buffered. */
    long count() {
        return handedOver + position;
    }

    /** Hands the buffered bytes to the stream, without flushing it. */
    void handOver() throws IOException {
        if (position > 0) {
            out.write(buffer, 0, position);
            handedOver += position;
            position = 0;
        }
    }

    void raw(byte b) throws IOException {
        if (position == buffer.length) {
            makeRoom(1);
        }
        buffer[position++] = b;
    }

    void raw(byte[] bytes) throws IOException {
        raw(bytes, 0, bytes.length);
    }

    void raw(byte[] bytes, int offset, int length) throws IOException {
        if (length <= buffer.length - position) {
            System.arraycopy(bytes, offset, buffer, position, length);
            position += length;
            return;
        }
        int at = offset;
        int left = length;
        while (left > 0) {
            ensure(Math.min(left, MAX_BUFFER_BYTES));
            int n = Math.min(left, buffer.length - position);
            System.arraycopy(bytes, at, buffer, position, n);
            position += n;
            at += n;
            left -= n;
        }
    }

    /** A JSON number: ASCII digits, a minus sign when negative. */
    void number(long value) throws IOException {
        ensure(20); // "-9223372036854775808"
        byte[] buf = buffer;
        int p = position;
        long negative = value; // digits come from the negative value, which holds Long.MIN_VALUE too
        if (value < 0) {
            buf[p++] = '-';
        } else {
            negative = -value;
        }
        int digits = 1;
        for (long bound = -10; digits < 19 && negative <= bound; bound *= 10) {
            digits++;
        }
        int end = p + digits;
        int at = end;
        while (negative <= -10) {
            long quotient = negative / 10;
            buf[--at] = (byte) ('0' + (quotient * 10 - negative));
            negative = quotient;
        }
        buf[--at] = (byte) ('0' - negative);
        position = end;
    }

    /**
     * A byte field: {@code null}, a JSON string when the bytes are valid UTF-8 (see {@link Utf8}), or
     * else {@code {"base64":"..."}}.
     */
    void bytes(byte @Nullable [] value) throws IOException {
        if (value == null) {
            raw(NULL);
            return;
        }
        int length = value.length;
        if (length <= ONE_PASS_MAX_BYTES) {
            ensure(6 * length + 2);
            int start = position;
            buffer[position++] = '"';
            if (escapeUtf8(value, 0, length)) {
                buffer[position++] = '"';
                return;
            }
            position = start; // not UTF-8: undo, and write base64 instead
            base64(value);
        } else if (Utf8.isValid(value, 0, length)) {
            raw((byte) '"');
            int at = 0;
            while (at < length) {
                ensure(6 * PIECE_BYTES);
                int end = Math.min(length, at + (buffer.length - position) / 6);
                while (end < length && (value[end] & 0xC0) == 0x80) {
                    end--; // never split a character, so each piece is valid on its own
                }
                if (!escapeUtf8(value, at, end)) {
                    throw new IllegalStateException("bytes " + at + " to " + end + " of a " + length
                            + "-byte value are not UTF-8 after all of it was: a bug in EnvelopeEncoder");
                }
                at = end;
            }
            raw((byte) '"');
        } else {
            base64(value);
        }
    }

    private void base64(byte[] value) throws IOException {
        int length = value.length;
        raw(BASE64_START);
        if (length <= BASE64_PIECE_BYTES) {
            base64Piece(value);
        } else {
            if (base64Input.length != BASE64_PIECE_BYTES) {
                base64Input = new byte[BASE64_PIECE_BYTES];
            }
            for (int at = 0; at < length; at += BASE64_PIECE_BYTES) {
                int n = Math.min(BASE64_PIECE_BYTES, length - at);
                byte[] piece = n == BASE64_PIECE_BYTES ? base64Input : new byte[n];
                System.arraycopy(value, at, piece, 0, n);
                base64Piece(piece);
            }
        }
        raw(BASE64_END);
    }

    /** All of {@code bytes} as base64: Base64.Encoder writes only whole arrays, from their start. */
    private void base64Piece(byte[] bytes) throws IOException {
        int encodedLength = 4 * ((bytes.length + 2) / 3);
        if (base64Output.length < encodedLength) {
            base64Output = new byte[Math.max(encodedLength, 2 * base64Output.length)];
        }
        int written = BASE64.encode(bytes, base64Output);
        raw(base64Output, 0, written);
    }

    /**
     * Escapes {@code src[from, to)} into the buffer at {@link #position}, which must have room for 6
     * bytes each. Returns false, leaving {@link #position} as it was, when they are not valid UTF-8 by
     * the same rules as {@link Utf8#isValid}.
     */
    private boolean escapeUtf8(byte[] src, int from, int to) {
        byte[] buf = buffer;
        int p = position;
        int i = from;
        int lastWord = to - 8;
        while (true) {
            // eight bytes at a time: copy them all; keep those before the first one that needs work
            while (i <= lastWord) {
                long word = (long) LONGS.get(src, i);
                LONGS.set(buf, p, word);
                long attention = attention(word);
                if (attention != 0) {
                    int plain = Long.numberOfTrailingZeros(attention) >>> 3;
                    i += plain;
                    p += plain;
                    break;
                }
                i += 8;
                p += 8;
            }
            if (i >= to) {
                break;
            }
            int b = src[i];
            if (b >= 0) {
                byte escape = ESCAPES[b];
                if (escape == 0) {
                    buf[p++] = (byte) b;
                } else if (escape > 0) {
                    buf[p] = '\\';
                    buf[p + 1] = escape;
                    p += 2;
                } else {
                    buf[p] = '\\';
                    buf[p + 1] = 'u';
                    buf[p + 2] = '0';
                    buf[p + 3] = '0';
                    buf[p + 4] = HEX[b >> 4];
                    buf[p + 5] = HEX[b & 0xF];
                    p += 6;
                }
                i++;
                continue;
            }
            int sequence = Utf8.sequenceLength(src, i, to);
            if (sequence == 0) {
                return false;
            }
            System.arraycopy(src, i, buf, p, sequence);
            i += sequence;
            p += sequence;
        }
        position = p;
        return true;
    }

    /**
     * The high bit of each byte of {@code word} that is not ASCII, a control character, {@code "} or
     * {@code \}. Bytes above the lowest such byte may be flagged wrongly (borrows), but the lowest
     * flagged byte is always exactly the first that needs work, and no flag at all means none does:
     * below it, every byte is in 0x20..0x7F, so none of the subtractions borrows or sets a high bit.
     */
    private static long attention(long word) {
        long quote = word ^ 0x2222222222222222L; // zero where '"'
        long backslash = word ^ 0x5C5C5C5C5C5C5C5CL; // zero where '\'
        return ((word - 0x2020202020202020L) | word | (quote - ONES) | (backslash - ONES)) & HIGH_BITS;
    }

    /**
     * {@code s} as a quoted JSON string in UTF-8, escaped like Jackson's {@code writeString}; made
     * once per distinct stream or header name, so it favours simplicity over speed.
     */
    static byte[] quoted(String s, String what) {
        long length = 2;
        for (int i = 0; i < s.length(); i++) {
            length += escapedLength(s.charAt(i));
        }
        if (length > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException(
                    what + " of " + s.length() + " chars is too long for an envelope; shorten it to under 300 million");
        }
        byte[] bytes = new byte[(int) length];
        int p = 0;
        bytes[p++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    bytes[p++] = (byte) c;
                } else if (escape > 0) {
                    bytes[p++] = '\\';
                    bytes[p++] = escape;
                } else {
                    p = unicodeEscape(bytes, p, c);
                }
            } else if (c < 0x800) {
                bytes[p++] = (byte) (0xC0 | (c >> 6));
                bytes[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                p = unicodeEscape(bytes, p, c);
            } else {
                bytes[p++] = (byte) (0xE0 | (c >> 12));
                bytes[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        bytes[p] = '"';
        return bytes;
    }

    private static int escapedLength(char c) {
        if (c < 0x80) {
            byte escape = ESCAPES[c];
            return escape == 0 ? 1 : escape > 0 ? 2 : 6;
        } else if (c < 0x800) {
            return 2;
        } else if (Character.isSurrogate(c)) {
            return 6;
        }
        return 3;
    }

    private static int unicodeEscape(byte[] bytes, int at, char c) {
        bytes[at] = '\\';
        bytes[at + 1] = 'u';
        bytes[at + 2] = HEX[c >> 12];
        bytes[at + 3] = HEX[(c >> 8) & 0xF];
        bytes[at + 4] = HEX[(c >> 4) & 0xF];
        bytes[at + 5] = HEX[c & 0xF];
        return at + 6;
    }

    /** Makes room for {@code n} more bytes, {@code n <= MAX_BUFFER_BYTES}. */
    private void ensure(int n) throws IOException {
        if (buffer.length - position < n) {
            makeRoom(n);
        }
    }

    private void makeRoom(int n) throws IOException {
        if (buffer.length < MAX_BUFFER_BYTES) {
            int grown = Math.min(MAX_BUFFER_BYTES, Math.max(2 * buffer.length, position + n));
            if (grown - position >= n) {
                buffer = Arrays.copyOf(buffer, grown);
                return;
            }
        }
        handOver();
        if (buffer.length < n) {
            buffer = new byte[Math.min(MAX_BUFFER_BYTES, Math.max(2 * buffer.length, n))];
        }
    }

    private static byte[] escapes() {
        byte[] escapes = new byte[128];
        for (int c = 0; c < 0x20; c++) {
            escapes[c] = -1;
        }
        escapes['\b'] = 'b';
        escapes['\t'] = 't';
        escapes['\n'] = 'n';
        escapes['\f'] = 'f';
        escapes['\r'] = 'r';
        escapes['"'] = '"';
        escapes['\\'] = '\\';
        return escapes;
    }
}
