package io.ferry.archive.format;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes one envelope line straight from its bytes, without Jackson, for the shapes an {@link
 * EnvelopeWriter} writes and a little more (fields in any order, spaces and tabs between tokens,
 * every JSON string escape). It never reports what is wrong: {@link #decode} returns -1 for
 * anything it does not take (an unknown field, a duplicate field, a number with a fraction, a
 * lone surrogate escape, invalid UTF-8, bad base64, trailing bytes, a missing required field...),
 * and the caller then parses that line with Jackson, which either accepts it or says what is wrong.
 * When it succeeds, the fields hold exactly what the Jackson path would have read. Not thread
 * safe; reuses the stream name and header names of the previous line when their bytes repeat.
 */
final class EnvelopeDecoder {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long SPACES = 0x2020202020202020L;

    private static final byte[] STREAM = ascii("stream");
    private static final byte[] PARTITION = ascii("partition");
    private static final byte[] OFFSET = ascii("offset");
    private static final byte[] TIMESTAMP = ascii("timestamp");
    private static final byte[] KEY = ascii("key");
    private static final byte[] VALUE = ascii("value");
    private static final byte[] HEADERS = ascii("headers");
    private static final byte[] NAME = ascii("name");
    private static final byte[] BASE64 = ascii("base64");
    private static final byte[] NULL = ascii("null");

    private static final int HAS_STREAM = 1;
    private static final int HAS_PARTITION = 1 << 1;
    private static final int HAS_OFFSET = 1 << 2;
    private static final int HAS_TIMESTAMP = 1 << 3;
    private static final int HAS_KEY = 1 << 4;
    private static final int HAS_VALUE = 1 << 5;
    private static final int HAS_HEADERS = 1 << 6;
    private static final int REQUIRED = HAS_STREAM | HAS_PARTITION | HAS_OFFSET;
    private static final int CACHED_HEADER_NAMES = 32;

    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    // The last decoded envelope, valid after decode succeeded.
    private String stream = "";
    private int partition;
    private long offset;
    private long timestamp;
    private byte @Nullable [] key;
    private byte @Nullable [] value;
    private final ArrayList<Header> headers = new ArrayList<>();

    // The line being decoded and the cursor in it.
    private byte[] bytes = new byte[0];
    private int at;
    private int end; // exclusive

    // The last string scanned: its content [stringStart, stringEnd) and whether it has escapes.
    private int stringStart;
    private int stringEnd;
    private boolean stringEscaped;
    private byte @Nullable [] decoded; // the last byte field decoded

    private byte[] scratch = new byte[0];
    private byte[] streamBytes = new byte[0];
    private final byte[][] headerNameBytes = new byte[CACHED_HEADER_NAMES][];
    private final String[] headerNames = new String[CACHED_HEADER_NAMES];

    String stream() {
        return stream;
    }

    int partition() {
        return partition;
    }

    long offset() {
        return offset;
    }

    long timestamp() {
        return timestamp;
    }

    byte @Nullable [] key() {
        return key;
    }

    byte @Nullable [] value() {
        return value;
    }

    /** The headers of the last envelope. */
    List<Header> headers() {
        return headers.isEmpty() ? List.of() : List.copyOf(headers);
    }

    /**
     * Decodes the envelope of the line starting at {@code bytes[start]}, looking no further than
     * {@code end}: the index of the line feed that ends that line, or {@code end} if {@code
     * endsLine} and the line ends there; -1 if the line is anything but one envelope of the shapes
     * this decoder takes, or does not end before {@code end}. A carriage return just before the line
     * end is allowed.
     */
    int decode(byte[] bytes, int start, int end, boolean endsLine) {
        this.bytes = bytes;
        this.at = start;
        this.end = end;
        this.key = null;
        this.value = null;
        this.timestamp = Record.NO_TIMESTAMP;
        this.headers.clear();
        if (!envelope()) {
            return -1;
        }
        if (at < end && bytes[at] == '\r') {
            at++; // a CRLF line end
        }
        return (at < end && bytes[at] == '\n') || (at == end && endsLine) ? at : -1;
    }

    private boolean envelope() {
        skipSpace();
        if (!consume('{')) {
            return false;
        }
        int seen = 0;
        skipSpace();
        while (true) {
            if (!scanString() || stringEscaped) {
                return false;
            }
            int nameStart = stringStart;
            int nameLength = stringEnd - stringStart;
            skipSpace();
            if (!consume(':')) {
                return false;
            }
            skipSpace();
            int field = field(nameStart, nameLength);
            if (field == 0 || (seen & field) != 0) {
                return false; // unknown or duplicate: Jackson decides
            }
            seen |= field;
            if (!fieldValue(field)) {
                return false;
            }
            skipSpace();
            if (consume('}')) {
                break;
            }
            if (!consume(',')) {
                return false;
            }
            skipSpace();
        }
        skipSpace();
        return (seen & REQUIRED) == REQUIRED;
    }

    private int field(int start, int length) {
        return switch (length) {
            case 3 -> matches(start, KEY) ? HAS_KEY : 0;
            case 5 -> matches(start, VALUE) ? HAS_VALUE : 0;
            case 6 -> matches(start, STREAM) ? HAS_STREAM : matches(start, OFFSET) ? HAS_OFFSET : 0;
            case 7 -> matches(start, HEADERS) ? HAS_HEADERS : 0;
            case 9 -> matches(start, PARTITION) ? HAS_PARTITION : matches(start, TIMESTAMP) ? HAS_TIMESTAMP : 0;
            default -> 0;
        };
    }

    private boolean fieldValue(int field) {
        switch (field) {
            case HAS_STREAM -> {
                String name = cachedStream();
                if (name == null) {
                    return false;
                }
                stream = name;
                return true;
            }
            case HAS_PARTITION -> {
                long number = nonNegative(Integer.MAX_VALUE);
                partition = (int) number;
                return number >= 0;
            }
            case HAS_OFFSET -> {
                offset = nonNegative(Long.MAX_VALUE);
                return offset >= 0;
            }
            case HAS_TIMESTAMP -> {
                if (literalNull()) {
                    return true;
                }
                timestamp = nonNegative(Long.MAX_VALUE);
                return timestamp >= 0;
            }
            case HAS_KEY -> {
                if (!bytesValue()) {
                    return false;
                }
                key = decoded;
                return true;
            }
            case HAS_VALUE -> {
                if (!bytesValue()) {
                    return false;
                }
                value = decoded;
                return true;
            }
            case HAS_HEADERS -> {
                return headerList();
            }
            default -> {
                return false;
            }
        }
    }

    private boolean headerList() {
        if (literalNull()) {
            return true;
        }
        if (!consume('[')) {
            return false;
        }
        skipSpace();
        if (consume(']')) {
            return true;
        }
        while (true) {
            if (!header()) {
                return false;
            }
            skipSpace();
            if (consume(']')) {
                return true;
            }
            if (!consume(',')) {
                return false;
            }
            skipSpace();
        }
    }

    private boolean header() {
        if (!consume('{')) {
            return false;
        }
        @Nullable String name = null;
        byte @Nullable [] headerValue = null;
        boolean hasValue = false;
        skipSpace();
        while (true) {
            if (!scanString() || stringEscaped) {
                return false;
            }
            int nameStart = stringStart;
            int nameLength = stringEnd - stringStart;
            skipSpace();
            if (!consume(':')) {
                return false;
            }
            skipSpace();
            if (nameLength == 4 && matches(nameStart, NAME) && name == null) {
                name = cachedHeaderName(headers.size());
                if (name == null) {
                    return false;
                }
            } else if (nameLength == 5 && matches(nameStart, VALUE) && !hasValue) {
                if (!bytesValue()) {
                    return false;
                }
                headerValue = decoded;
                hasValue = true;
            } else {
                return false;
            }
            skipSpace();
            if (consume('}')) {
                break;
            }
            if (!consume(',')) {
                return false;
            }
            skipSpace();
        }
        if (name == null) {
            return false;
        }
        headers.add(new Header(name, headerValue));
        return true;
    }

    /** Null, a string or {@code {"base64":"..."}} into {@link #decoded}. */
    private boolean bytesValue() {
        if (literalNull()) {
            decoded = null;
            return true;
        }
        if (at < end && bytes[at] == '"') {
            return stringValue();
        }
        if (!consume('{')) {
            return false;
        }
        skipSpace();
        if (!scanString() || stringEscaped || !matches(stringStart, stringEnd - stringStart, BASE64)) {
            return false;
        }
        skipSpace();
        if (!consume(':')) {
            return false;
        }
        skipSpace();
        if (!scanString() || stringEscaped) {
            return false;
        }
        int length = stringEnd - stringStart;
        if (length % 4 != 0) {
            return false; // Jackson requires the padding; java.util.Base64 would not
        }
        try {
            ByteBuffer out = BASE64_DECODER.decode(ByteBuffer.wrap(bytes, stringStart, length));
            byte[] array = out.array();
            decoded = out.arrayOffset() == 0 && out.position() == 0 && out.remaining() == array.length
                    ? array
                    : Arrays.copyOfRange(array, out.arrayOffset() + out.position(), out.arrayOffset() + out.limit());
        } catch (IllegalArgumentException e) {
            return false;
        }
        skipSpace();
        return consume('}');
    }

    private boolean literalNull() {
        if (at + 4 <= end && Arrays.equals(bytes, at, at + 4, NULL, 0, 4)) {
            at += 4;
            return true;
        }
        return false;
    }

    /**
     * A non-negative JSON integer at most {@code max}; -1 for anything else (a sign, a leading zero,
     * overflow), which the caller hands to Jackson. A fraction or exponent makes the caller fail on
     * the next byte.
     */
    private long nonNegative(long max) {
        int i = at;
        if (i >= end) {
            return -1;
        }
        int first = bytes[i] - '0';
        if (first < 0 || first > 9) {
            return -1;
        }
        long number = first;
        i++;
        while (i < end) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            if (first == 0 || number > (max - digit) / 10) {
                return -1;
            }
            number = number * 10 + digit;
            i++;
        }
        at = i;
        return number;
    }

    /**
     * Scans a string starting at the cursor's quote: sets its content range and whether it has
     * escapes, and moves past the closing quote; false if there is no string or it holds a raw
     * control character or has no end.
     */
    private boolean scanString() {
        byte[] b = bytes;
        int limit = end;
        int i = at;
        if (i >= limit || b[i] != '"') {
            return false;
        }
        i++;
        int start = i;
        boolean escaped = false;
        while (true) {
            while (i + 8 <= limit) {
                long special = specialBytes((long) LONGS.get(b, i));
                if (special != 0) {
                    i += Long.numberOfTrailingZeros(special) >>> 3;
                    break;
                }
                i += 8;
            }
            // i is at a special byte or in the last 8 bytes
            while (i < limit) {
                byte c = b[i];
                if (c == '"') {
                    stringStart = start;
                    stringEnd = i;
                    stringEscaped = escaped;
                    at = i + 1;
                    return true;
                }
                if (c == '\\') {
                    escaped = true;
                    i += 2;
                    break;
                }
                if (c >= 0 && c < 0x20) {
                    return false;
                }
                i++;
            }
            if (i >= limit) {
                return false;
            }
        }
    }

    /**
     * Decodes the string at the cursor's quote into {@link #decoded} and moves past it; false if
     * Jackson should decide (no string, a raw control character, no end, an unknown escape, a lone
     * surrogate, invalid UTF-8). Scans once: up to the first escape without copying, then copying
     * eight bytes at a time while decoding the escapes.
     */
    private boolean stringValue() {
        byte[] b = bytes;
        int limit = end;
        int i = at;
        if (i >= limit || b[i] != '"') {
            return false;
        }
        i++;
        int start = i;
        long highBits = 0; // of raw bytes: escapes decode to valid characters
        while (true) {
            while (i + 8 <= limit) {
                long word = (long) LONGS.get(b, i);
                long special = specialBytes(word);
                if (special != 0) {
                    int before = Long.numberOfTrailingZeros(special) >>> 3;
                    highBits |= word & ((1L << (before << 3)) - 1);
                    i += before;
                    break;
                }
                highBits |= word;
                i += 8;
            }
            if (i >= limit) {
                return false;
            }
            byte c = b[i];
            if (c == '"') {
                at = i + 1;
                if ((highBits & HIGH_BITS) != 0 && !Utf8.isValid(b, start, i - start)) {
                    return false;
                }
                decoded = Arrays.copyOfRange(b, start, i);
                return true;
            }
            if (c == '\\') {
                break;
            }
            if (c >= 0 && c < 0x20) {
                return false;
            }
            highBits |= c;
            i++;
        }
        // from the first escape on: decode into scratch
        int n = i - start;
        byte[] out = ensureScratch(0, n + 16);
        System.arraycopy(b, start, out, 0, n);
        while (true) {
            while (i + 8 <= limit) {
                if (n + 8 > out.length) {
                    out = ensureScratch(n, 8);
                }
                long word = (long) LONGS.get(b, i);
                LONGS.set(out, n, word); // all of it; what follows a special byte is overwritten
                long special = specialBytes(word);
                if (special != 0) {
                    int before = Long.numberOfTrailingZeros(special) >>> 3;
                    highBits |= word & ((1L << (before << 3)) - 1);
                    i += before;
                    n += before;
                    break;
                }
                highBits |= word;
                i += 8;
                n += 8;
            }
            if (i >= limit) {
                return false;
            }
            if (n + 4 > out.length) {
                out = ensureScratch(n, 4);
            }
            byte c = b[i];
            if (c == '"') {
                at = i + 1;
                // escapes decode to whole, valid characters and never to a continuation byte, so
                // the result is valid exactly when the raw bytes are
                if ((highBits & HIGH_BITS) != 0 && !Utf8.isValid(out, 0, n)) {
                    return false;
                }
                decoded = Arrays.copyOf(out, n);
                return true;
            }
            if (c >= 0 && c < 0x20) {
                return false;
            }
            if (c != '\\') {
                highBits |= c;
                out[n++] = c;
                i++;
                continue;
            }
            if (i + 1 >= limit) {
                return false;
            }
            i += 2;
            switch (b[i - 1]) {
                case '"' -> out[n++] = '"';
                case '\\' -> out[n++] = '\\';
                case '/' -> out[n++] = '/';
                case 'b' -> out[n++] = '\b';
                case 'f' -> out[n++] = '\f';
                case 'n' -> out[n++] = '\n';
                case 'r' -> out[n++] = '\r';
                case 't' -> out[n++] = '\t';
                case 'u' -> {
                    int unit = hex4(b, i, limit);
                    if (unit < 0) {
                        return false;
                    }
                    i += 4;
                    if (unit >= 0xD800 && unit <= 0xDFFF) {
                        int low = unit <= 0xDBFF && i + 6 <= limit && b[i] == '\\' && b[i + 1] == 'u'
                                ? hex4(b, i + 2, limit)
                                : -1;
                        if (low < 0xDC00 || low > 0xDFFF) {
                            return false; // a lone surrogate: Jackson's (lossy) reading applies
                        }
                        i += 6;
                        int codePoint = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        out[n++] = (byte) (0xF0 | (codePoint >>> 18));
                        out[n++] = (byte) (0x80 | ((codePoint >>> 12) & 0x3F));
                        out[n++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3F));
                        out[n++] = (byte) (0x80 | (codePoint & 0x3F));
                    } else if (unit < 0x80) {
                        out[n++] = (byte) unit;
                    } else if (unit < 0x800) {
                        out[n++] = (byte) (0xC0 | (unit >>> 6));
                        out[n++] = (byte) (0x80 | (unit & 0x3F));
                    } else {
                        out[n++] = (byte) (0xE0 | (unit >>> 12));
                        out[n++] = (byte) (0x80 | ((unit >>> 6) & 0x3F));
                        out[n++] = (byte) (0x80 | (unit & 0x3F));
                    }
                }
                default -> {
                    return false;
                }
            }
        }
    }

    /** {@link #scratch} holding its first {@code used} bytes and room for {@code more}. */
    private byte[] ensureScratch(int used, int more) {
        if (scratch.length < used + more) {
            scratch = Arrays.copyOf(scratch, Math.max(used + more, 2 * scratch.length));
        }
        return scratch;
    }

    /** The stream name at the cursor: the previous one if the bytes are the same. */
    private @Nullable String cachedStream() {
        int quote = at;
        if (!scanString()) {
            return null;
        }
        if (!stringEscaped && Arrays.equals(bytes, stringStart, stringEnd, streamBytes, 0, streamBytes.length)) {
            return stream;
        }
        at = quote;
        if (!stringValue()) {
            return null;
        }
        byte[] name = requireNonNull(decoded);
        streamBytes = stringEscaped ? new byte[] {'"'} : name; // escaped names are never reused
        return new String(name, StandardCharsets.UTF_8);
    }

    /** The name of header {@code index} at the cursor, reusing the previous line's. */
    private @Nullable String cachedHeaderName(int index) {
        int quote = at;
        if (!scanString()) {
            return null;
        }
        boolean cached = index < CACHED_HEADER_NAMES && !stringEscaped;
        if (cached) {
            byte[] previous = headerNameBytes[index];
            if (previous != null && Arrays.equals(bytes, stringStart, stringEnd, previous, 0, previous.length)) {
                return headerNames[index];
            }
        }
        at = quote;
        if (!stringValue()) {
            return null;
        }
        byte[] name = requireNonNull(decoded);
        String text = new String(name, StandardCharsets.UTF_8);
        if (cached) {
            headerNameBytes[index] = name;
            headerNames[index] = text;
        }
        return text;
    }

    private static int hex4(byte[] b, int i, int limit) {
        if (i + 4 > limit) {
            return -1;
        }
        int value = 0;
        for (int j = i; j < i + 4; j++) {
            int digit = Character.digit(b[j], 16);
            if (digit < 0) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    /** The index of the first line feed in {@code b[from, to)}, or -1. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = indexOf(b, from, to, NEWLINES, (byte) '\n');
        return i == to ? -1 : i;
    }

    /** The index of the first {@code target} in {@code b[from, to)}, or {@code to}. */
    private static int indexOf(byte[] b, int from, int to, long targets, byte target) {
        int i = from;
        while (i + 8 <= to) {
            long found = zeroBytes((long) LONGS.get(b, i) ^ targets);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        while (i < to && b[i] != target) {
            i++;
        }
        return i;
    }

    /**
     * The high bit of each quote, backslash or control byte, exact up to the lowest one set (as
     * {@link #zeroBytes}; a byte with its high bit set is none of them, hence the one {@code ~word}).
     */
    private static long specialBytes(long word) {
        return (((word ^ QUOTES) - ONES) | ((word ^ BACKSLASHES) - ONES) | (word - SPACES)) & ~word & HIGH_BITS;
    }

    /**
     * The high bit of each zero byte of {@code word} set; bits above the lowest zero byte may be
     * wrong (a borrow), but the lowest set bit always marks the first zero byte.
     */
    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }

    private void skipSpace() {
        while (at < end && (bytes[at] == ' ' || bytes[at] == '\t')) {
            at++;
        }
    }

    private boolean consume(char expected) {
        if (at < end && bytes[at] == expected) {
            at++;
            return true;
        }
        return false;
    }

    private boolean matches(int start, byte[] name) {
        return Arrays.equals(bytes, start, start + name.length, name, 0, name.length);
    }

    private boolean matches(int start, int length, byte[] name) {
        return length == name.length && matches(start, name);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
