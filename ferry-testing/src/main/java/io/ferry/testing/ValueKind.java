package io.ferry.testing;

/**
 * A kind of record value the contract tests generate. A connector that cannot carry some kinds (a
 * line-oriented file cannot hold a line feed inside a value) leaves them out of its supported set.
 */
public enum ValueKind {
    /** Zero bytes. */
    EMPTY,
    /** A small JSON object in ASCII. */
    JSON_ASCII,
    /** Valid UTF-8 with two-, three- and four-byte sequences. */
    MULTIBYTE_UTF8,
    /** Bytes that are not valid UTF-8 (stray continuation bytes, overlong forms, encoded surrogates). */
    INVALID_UTF8,
    /** A JSON object followed by a carriage return, as a line of a CRLF file reads without its line feed. */
    TRAILING_CARRIAGE_RETURN,
    /** A JSON object of 64 KiB to 256 KiB, longer than typical read buffers. */
    LONG,
    /** Bytes that contain line feeds. */
    LINE_FEED
}
