package io.ferry.archive.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/** Strict UTF-8 validation: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF. */
public final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    public static boolean isValid(byte[] bytes) {
        return isValid(bytes, 0, bytes.length);
    }

    /** Whether {@code bytes[offset, offset + length)} is well-formed UTF-8. */
    public static boolean isValid(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int i = offset;
        int end = offset + length;
        while (i < end) {
            // ASCII fast path: eight bytes at a time while none has its high bit set
            while (i + 8 <= end && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            while (i < end && bytes[i] >= 0) {
                i++;
            }
            if (i == end) {
                return true;
            }
            int sequence = sequenceLength(bytes, i, end);
            if (sequence == 0) {
                return false;
            }
            i += sequence;
        }
        return true;
    }

    /**
     * The length (2 to 4) of the well-formed multi-byte sequence starting at {@code bytes[i]}, a byte
     * with its high bit set, within {@code end}; 0 when it is malformed.
     */
    static int sequenceLength(byte[] bytes, int i, int end) {
        int lead = bytes[i] & 0xFF;
        if (lead < 0xC2) {
            return 0; // a continuation byte, or an overlong two-byte lead (C0, C1)
        } else if (lead < 0xE0) {
            return i + 1 < end && isContinuation(bytes[i + 1]) ? 2 : 0;
        } else if (lead < 0xF0) {
            if (i + 2 >= end) {
                return 0;
            }
            int second = bytes[i + 1] & 0xFF;
            int low = lead == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            int high = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be surrogates
            return second >= low && second <= high && isContinuation(bytes[i + 2]) ? 3 : 0;
        } else if (lead <= 0xF4) {
            if (i + 3 >= end) {
                return 0;
            }
            int second = bytes[i + 1] & 0xFF;
            int low = lead == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            int high = lead == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
            return second >= low && second <= high && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3])
                    ? 4
                    : 0;
        }
        return 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
