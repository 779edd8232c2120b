package io.ferry.archive.format;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes records as envelopes, one JSON object per {@code \n}-terminated UTF-8 line:
 *
 * <pre>{@code
 * {"stream":"orders","partition":0,"offset":12,"timestamp":1700000000000,"key":null,"value":"...","headers":[{"name":"h","value":"v"}]}
 * }</pre>
 *
 * <p>{@code timestamp} is null for {@link Record#NO_TIMESTAMP}. Byte fields are null, a JSON string
 * when the bytes are valid UTF-8 (an exact round trip), or {@code {"base64":"..."}} otherwise.
 * Headers keep their order and duplicates. Never flushes or closes the stream it writes to, so a
 * compressor underneath is not forced to end blocks early; {@link #finish()} hands over everything
 * written.
 *
 * <p>The text is the same, byte for byte, as Jackson's generator wrote it before (see {@link
 * EnvelopeEncoder}), written without it: the field names are constants, the stream and header names
 * are encoded once, and byte fields are validated and escaped in one pass.
 */
public final class EnvelopeWriter implements Closeable {
    private static final byte[] STREAM = ascii("{\"stream\":");
    private static final byte[] PARTITION = ascii(",\"partition\":");
    private static final byte[] OFFSET = ascii(",\"offset\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] NO_TIMESTAMP = ascii(",\"timestamp\":null");
    private static final byte[] KEY = ascii(",\"key\":");
    private static final byte[] VALUE = ascii(",\"value\":");
    private static final byte[] HEADERS = ascii(",\"headers\":[");
    private static final byte[] FIRST_HEADER = ascii("{\"name\":");
    private static final byte[] NEXT_HEADER = ascii(",{\"name\":");
    private static final byte[] END = ascii("]}\n");

    /** Distinct header names remembered encoded; past this many the cache starts over. */
    private static final int HEADER_NAMES_CACHED = 256;

    private final EnvelopeEncoder encoder;
    private final Map<String, byte[]> headerNames = new HashMap<>();
    private String stream = "";
    private byte[] streamQuoted = EnvelopeEncoder.quoted("", "a stream name");
    private long records;
    private boolean closed;

    public EnvelopeWriter(OutputStream out) throws IOException {
        this.encoder = new EnvelopeEncoder(Objects.requireNonNull(out, "out is null"));
    }

    public void write(Record record) throws IOException {
        if (closed) {
            throw new IOException("the envelope writer is closed; write every record before closing it");
        }
        SourceCoordinates from = record.from();
        EnvelopeEncoder e = encoder;
        e.raw(STREAM);
        e.raw(quotedStream(from.stream()));
        e.raw(PARTITION);
        e.number(from.partition());
        e.raw(OFFSET);
        e.number(from.offset());
        if (record.timestamp() == Record.NO_TIMESTAMP) {
            e.raw(NO_TIMESTAMP);
        } else {
            e.raw(TIMESTAMP);
            e.number(record.timestamp());
        }
        e.raw(KEY);
        e.bytes(record.key());
        e.raw(VALUE);
        e.bytes(record.value());
        e.raw(HEADERS);
        List<Header> headers = record.headers();
        for (int i = 0; i < headers.size(); i++) {
            Header header = headers.get(i);
            e.raw(i == 0 ? FIRST_HEADER : NEXT_HEADER);
            e.raw(quotedHeaderName(header.name()));
            e.raw(VALUE);
            e.bytes(header.value());
            e.raw((byte) '}');
        }
        e.raw(END);
        records++;
    }

    private byte[] quotedStream(String name) {
        if (!name.equals(stream)) {
            streamQuoted = EnvelopeEncoder.quoted(name, "a stream name");
            stream = name;
        }
        return streamQuoted;
    }

    private byte[] quotedHeaderName(String name) {
        byte[] quoted = headerNames.get(name);
        if (quoted == null) {
            if (headerNames.size() >= HEADER_NAMES_CACHED) {
                headerNames.clear();
            }
            quoted = EnvelopeEncoder.quoted(name, "a header name");
            headerNames.put(name, quoted);
        }
        return quoted;
    }

    /** Envelopes written so far. */
    public long records() {
        return records;
    }

    /** Uncompressed bytes written so far, including those still buffered here. */
    public long bytes() {
        return encoder.count();
    }

    /** Hands everything written to the underlying stream, without flushing that stream. */
    public void finish() throws IOException {
        encoder.handOver();
    }

    /** Finishes; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            encoder.handOver();
            closed = true;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }
}
