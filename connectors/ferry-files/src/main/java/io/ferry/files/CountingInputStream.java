package io.ferry.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read from a raw file stream (progress of a compressed file) and remembers
 * whether the file itself failed, to tell a disk error from corrupt compressed data.
 */
final class CountingInputStream extends FilterInputStream {
    private long count;
    private boolean failed;

    CountingInputStream(InputStream in) {
        super(in);
    }

    long count() {
        return count;
    }

    boolean failed() {
        return failed;
    }

    @Override
    public int read() throws IOException {
        int b = guard(() -> in.read());
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int read = guard(() -> in.read(b, off, len));
        if (read > 0) {
            count += read;
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        count += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private interface IoRead {
        int read() throws IOException;
    }

    private int guard(IoRead read) throws IOException {
        try {
            return read.read();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }
}
