package io.ferry.kafka;

/**
 * The record headers ferry writes to Kafka. {@link #ORIGIN} and {@link #JOB} are on every record
 * the sink writes; the {@code ferry.chunk.*} headers are on each event of a record split into
 * chunks, and the source removes them when it puts the record back together.
 */
public final class FerryHeaders {
    /** Where the record came from: {@code stream/partition/offset} of the source record. */
    public static final String ORIGIN = "ferry.origin";

    /** The name of the import job that wrote the record. */
    public static final String JOB = "ferry.job";

    /** Identifies the chunks of one record; the same for a record written again after a crash. */
    public static final String CHUNK_ID = "ferry.chunk.id";

    /** The chunk's index, from 0, in decimal. */
    public static final String CHUNK_INDEX = "ferry.chunk.index";

    /** How many chunks the record has, in decimal. */
    public static final String CHUNK_COUNT = "ferry.chunk.count";

    /** The length of the whole value in bytes, in decimal. */
    public static final String CHUNK_SIZE = "ferry.chunk.size";

    /** The SHA-256 of the whole value, in lowercase hex. */
    public static final String CHUNK_SHA256 = "ferry.chunk.sha256";

    /** The prefix of every chunk header. */
    public static final String CHUNK_PREFIX = "ferry.chunk.";

    private FerryHeaders() {}
}
