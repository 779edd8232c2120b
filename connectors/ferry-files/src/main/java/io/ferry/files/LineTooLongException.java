package io.ferry.files;

/** A line is longer than the configured maximum; the reader turns it into a message naming the file. */
final class LineTooLongException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final boolean exact;

    /** {@code exact}: the line's full length is known; otherwise it is at least {@code length}. */
    LineTooLongException(long length, boolean exact) {
        super((exact ? "" : "at least ") + length + " bytes", null, false, false);
        this.length = length;
        this.exact = exact;
    }

    long length() {
        return length;
    }

    boolean exact() {
        return exact;
    }
}
