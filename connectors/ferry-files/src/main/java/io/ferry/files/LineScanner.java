package io.ferry.files;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Splits a byte stream into lines at line feeds, over one reusable buffer that grows only for lines
 * longer than it. The hot path of reading JSONL: no decoding, no strings, one copy per line.
 */
final class LineScanner {
    static final int INITIAL_BUFFER_BYTES = 1 << 20;

    // Larger reads gain nothing and make channels allocate temporary direct buffers as large.
    private static final int MAX_READ_BYTES = 1 << 20;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LINE_FEEDS = 0x0A0A_0A0A_0A0A_0A0AL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buffer;
    private int start; // first byte not yet returned
    private int end; // exclusive end of the bytes read into the buffer
    private long bufferOffset; // stream offset of buffer[0]
    private boolean endOfStream;
    private boolean lastTerminated = true;

    /** Scans {@code in}, whose first byte is at {@code streamOffset} of the whole stream. */
    LineScanner(InputStream in, long streamOffset, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.buffer = new byte[INITIAL_BUFFER_BYTES];
        this.bufferOffset = streamOffset;
    }

    /**
     * The next line without its line feed (a carriage return before it stays), or null at the end
     * of the stream. A last line without a line feed is returned too; {@link #lastTerminated()}
     * then says false.
     */
    byte @Nullable [] nextLine() throws IOException, LineTooLongException {
        int searchFrom = start;
        while (true) {
            int lineFeed = indexOfLineFeed(buffer, searchFrom, end);
            if (lineFeed >= 0) {
                int length = lineFeed - start;
                if (length > maxLineBytes) {
                    throw new LineTooLongException(length, true);
                }
                byte[] line = Arrays.copyOfRange(buffer, start, lineFeed);
                start = lineFeed + 1;
                lastTerminated = true;
                return line;
            }
            if (end - start > maxLineBytes) {
                throw new LineTooLongException(end - start, false);
            }
            if (endOfStream) {
                if (start == end) {
                    return null;
                }
                byte[] line = Arrays.copyOfRange(buffer, start, end);
                start = end;
                lastTerminated = false;
                return line;
            }
            int scanned = end - start;
            fill();
            searchFrom = start + scanned;
        }
    }

    /** Whether the line last returned ended with a line feed. */
    boolean lastTerminated() {
        return lastTerminated;
    }

    /** Stream offset just after the line last returned (after its line feed, if it had one). */
    long offset() {
        return bufferOffset + start;
    }

    /** Whether the stream is known to be exhausted without reading further. */
    boolean exhausted() {
        return endOfStream && start == end;
    }

    /** Reads at least one more byte or reaches the end, first making room by compacting or growing. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            bufferOffset += start;
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            // Only reached while the buffered partial line is at most maxLineBytes long.
            int grown = (int) Math.min(2L * buffer.length, maxLineBytes + 1L);
            buffer = Arrays.copyOf(buffer, grown);
        }
        int read;
        do {
            read = in.read(buffer, end, Math.min(buffer.length - end, MAX_READ_BYTES));
        } while (read == 0);
        if (read < 0) {
            endOfStream = true;
        } else {
            end += read;
        }
    }

    /** Index of the first line feed in {@code bytes[from, to)}, or -1; eight bytes per step. */
    static int indexOfLineFeed(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ LINE_FEEDS;
            // Nonzero exactly when some byte of word is zero; the lowest set bit marks the first one.
            long zeroBytes = (word - ONES) & ~word & HIGH_BITS;
            if (zeroBytes != 0) {
                return i + (Long.numberOfTrailingZeros(zeroBytes) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
