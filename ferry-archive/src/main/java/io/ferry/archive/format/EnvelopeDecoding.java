package io.ferry.archive.format;

/** How an {@link EnvelopeReader} decodes envelopes; both read the same records and fail the same way. */
public enum EnvelopeDecoding {
    /**
     * Lines found in large decompressed chunks and decoded straight from their bytes; Jackson parses
     * only the lines that decoder does not take (later format versions' fields, unusual escapes,
     * malformed lines). The default.
     */
    FAST,
    /** Jackson streaming over the whole object: the reference the fast decoder must agree with. */
    JACKSON
}
