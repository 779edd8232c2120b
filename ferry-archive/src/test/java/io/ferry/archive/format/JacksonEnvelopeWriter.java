package io.ferry.archive.format;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The Jackson-based envelope writer that {@link EnvelopeWriter} replaced, kept unchanged as the
 * reference its output must equal byte for byte (and the benchmarks compare with).
 */
public final class JacksonEnvelopeWriter implements Closeable {
    private static final SerializedString STREAM = new SerializedString("stream");
    private static final SerializedString PARTITION = new SerializedString("partition");
    private static final SerializedString OFFSET = new SerializedString("offset");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString HEADERS = new SerializedString("headers");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString BASE64 = new SerializedString("base64");

    private final CountingOutputStream counted;
    private final JsonGenerator generator;
    private long records;

    public JacksonEnvelopeWriter(OutputStream out) throws IOException {
        this.counted = new CountingOutputStream(out);
        this.generator = Json.FACTORY.createGenerator(counted);
        generator.setRootValueSeparator(null);
    }

    public void write(Record record) throws IOException {
        SourceCoordinates from = record.from();
        JsonGenerator g = generator;
        g.writeStartObject();
        g.writeFieldName(STREAM);
        g.writeString(from.stream());
        g.writeFieldName(PARTITION);
        g.writeNumber(from.partition());
        g.writeFieldName(OFFSET);
        g.writeNumber(from.offset());
        g.writeFieldName(TIMESTAMP);
        if (record.timestamp() == Record.NO_TIMESTAMP) {
            g.writeNull();
        } else {
            g.writeNumber(record.timestamp());
        }
        g.writeFieldName(KEY);
        writeBytes(record.key());
        g.writeFieldName(VALUE);
        writeBytes(record.value());
        g.writeFieldName(HEADERS);
        g.writeStartArray();
        for (Header header : record.headers()) {
            g.writeStartObject();
            g.writeFieldName(NAME);
            g.writeString(header.name());
            g.writeFieldName(VALUE);
            writeBytes(header.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        records++;
    }

    private void writeBytes(byte @Nullable [] bytes) throws IOException {
        if (bytes == null) {
            generator.writeNull();
        } else if (Utf8.isValid(bytes, 0, bytes.length)) {
            generator.writeUTF8String(bytes, 0, bytes.length);
        } else {
            generator.writeStartObject();
            generator.writeFieldName(BASE64);
            generator.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
            generator.writeEndObject();
        }
    }

    /** Envelopes written so far. */
    public long records() {
        return records;
    }

    /** Uncompressed bytes written so far, including those still buffered here. */
    public long bytes() {
        return counted.count() + generator.getOutputBuffered();
    }

    /** Hands everything written to the underlying stream, without flushing that stream. */
    public void finish() throws IOException {
        generator.flush();
    }

    /** Finishes; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        generator.close();
    }
}
