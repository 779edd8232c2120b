package io.ferry.files;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Collects encoded lines and hands them to a {@link Drain} in large writes: when full, and on
 * {@link #drain()}. Counts every byte accepted, drained or not.
 */
final class WriteBuffer extends OutputStream {
    /** Where full buffers go: a file channel, an output stream. */
    interface Drain {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    private final Drain drain;
    private final byte[] buffer;
    private int count;
    private long accepted;

    WriteBuffer(Drain drain, int capacity) {
        this.drain = drain;
        this.buffer = new byte[capacity];
    }

    /** Bytes accepted since creation, including those still buffered. */
    long accepted() {
        return accepted;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            drain();
        }
        buffer[count++] = (byte) b;
        accepted++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.length - count) {
            drain();
        }
        if (length >= buffer.length) {
            drain.write(bytes, offset, length);
        } else {
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }
        accepted += length;
    }

    /** Hands everything buffered to the drain. */
    void drain() throws IOException {
        if (count > 0) {
            drain.write(buffer, 0, count);
            count = 0;
        }
    }

    /** Forgets what is buffered (it is never drained); {@link #accepted()} is not rewound. */
    void discard() {
        count = 0;
    }

    /** Does nothing: draining is explicit, so a caller's {@code flush()} cannot publish early. */
    @Override
    public void flush() {}
}
