package io.ferry.archive.format;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads back the envelopes an {@link EnvelopeWriter} wrote into a stored (compressed) object. A
 * malformed line, or an object that cannot be decompressed (truncated, corrupt), fails with {@code
 * BAD_ARCHIVE} naming the object key and the line; a failure to read the stored bytes themselves
 * fails with {@code IO_ERROR}. Closing closes the stored stream.
 */
public final class EnvelopeReader implements Closeable {
    /** Gives a record read back its position: just after it, the {@code recordsRead}-th of its object. */
    @FunctionalInterface
    public interface Positions {
        Position after(SourceCoordinates from, long recordsRead);
    }

    private final String objectKey;
    private final StoredStream stored;
    private final InputStream decompressed;
    private final JsonParser parser;
    private long records;
    private boolean ended;

    public EnvelopeReader(InputStream stored, Compression compression, String objectKey) {
        this.objectKey = requireNonNull(objectKey, "objectKey is null");
        this.stored = new StoredStream(requireNonNull(stored, "stored is null"));
        try {
            this.decompressed = compression.decompress(this.stored);
            this.parser = Json.FACTORY.createParser(decompressed);
        } catch (IOException e) {
            closeQuietly(this.stored);
            throw failure(e);
        }
    }

    /**
     * Decodes one envelope given as a line of user input (without its line feed), such as a line of
     * {@code ferry import --format envelope} output. Fails with {@code BAD_RECORD} saying what is
     * wrong with it; the caller adds where the line came from.
     */
    public static Record decodeLine(byte[] line) {
        try (EnvelopeReader reader = new EnvelopeReader(new java.io.ByteArrayInputStream(line), Compression.NONE, "")) {
            Optional<Record> record = reader.next(LINE_POSITIONS);
            if (record.isEmpty()) {
                throw new FerryException(StandardErrorCode.BAD_RECORD, "an empty line is not an envelope");
            }
            if (reader.skip()) {
                throw new FerryException(StandardErrorCode.BAD_RECORD, "more than one envelope on one line");
            }
            return record.get();
        }
    }

    private static final Positions LINE_POSITIONS = (from, recordsRead) -> () -> "line";

    /** Stored (compressed) bytes consumed so far. */
    public long storedBytesRead() {
        return stored.count;
    }

    /** Envelopes read or skipped so far. */
    public long records() {
        return records;
    }

    /** The next record, or empty at the end of the object. */
    public Optional<Record> next(Positions positions) {
        try {
            if (!startNext()) {
                return Optional.empty();
            }
            Record record = parseRecord(positions);
            return Optional.of(record);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Skips the next envelope without decoding it; false at the end of the object. */
    public boolean skip() {
        try {
            if (!startNext()) {
                return false;
            }
            parser.skipChildren();
            records++;
            return true;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private boolean startNext() throws IOException {
        if (ended) {
            return false;
        }
        JsonToken token = parser.nextToken();
        if (token == null) {
            ended = true;
            return false;
        }
        long line = parser.currentTokenLocation().getLineNr();
        if (token != JsonToken.START_OBJECT) {
            throw malformed(line, "expected an envelope (a JSON object), got " + token);
        }
        if (line != records + 1) {
            throw malformed(line, "expected one envelope per line, but envelope " + (records + 1) + " starts here");
        }
        return true;
    }

    private Record parseRecord(Positions positions) throws IOException {
        long line = records + 1;
        @Nullable String stream = null;
        int partition = -1;
        long offset = -1;
        long timestamp = Record.NO_TIMESTAMP;
        byte @Nullable [] key = null;
        byte @Nullable [] value = null;
        List<Header> headers = List.of();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            switch (field) {
                case "stream" -> {
                    expect(valueToken, JsonToken.VALUE_STRING, field, line);
                    stream = parser.getText();
                }
                case "partition" -> {
                    expect(valueToken, JsonToken.VALUE_NUMBER_INT, field, line);
                    partition = parser.getIntValue();
                }
                case "offset" -> {
                    expect(valueToken, JsonToken.VALUE_NUMBER_INT, field, line);
                    offset = parser.getLongValue();
                }
                case "timestamp" -> {
                    if (valueToken != JsonToken.VALUE_NULL) {
                        expect(valueToken, JsonToken.VALUE_NUMBER_INT, field, line);
                        timestamp = parser.getLongValue();
                    }
                }
                case "key" -> key = readBytes(field, line);
                case "value" -> value = readBytes(field, line);
                case "headers" -> headers = readHeaders(line);
                default -> parser.skipChildren(); // a field from a later format version
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw malformed(line, "expected a field name or the end of the envelope, got " + token);
        }
        if (stream == null || partition < 0 || offset < 0) {
            throw malformed(line, "an envelope needs 'stream', a non-negative 'partition' and 'offset'");
        }
        records++;
        try {
            SourceCoordinates from = new SourceCoordinates(stream, partition, offset);
            return newRecord(key, value, headers, timestamp, from, positions.after(from, records));
        } catch (IllegalArgumentException e) {
            throw malformed(line, e.getMessage());
        }
    }

    private static Record newRecord(
            byte @Nullable [] key,
            byte @Nullable [] value,
            List<Header> headers,
            long timestamp,
            SourceCoordinates from,
            Position position) {
        return new Record(key, value, headers, timestamp, from, position);
    }

    private static Header newHeader(String name, byte @Nullable [] value) {
        return new Header(name, value);
    }

    private List<Header> readHeaders(long line) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        expect(parser.currentToken(), JsonToken.START_ARRAY, "headers", line);
        List<Header> headers = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
            @Nullable String name = null;
            byte @Nullable [] value = null;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                switch (field) {
                    case "name" -> {
                        expect(valueToken, JsonToken.VALUE_STRING, "headers.name", line);
                        name = parser.getText();
                    }
                    case "value" -> value = readBytes("headers.value", line);
                    default -> parser.skipChildren();
                }
            }
            if (name == null) {
                throw malformed(line, "a header has no 'name'");
            }
            headers.add(newHeader(name, value));
        }
        if (token != JsonToken.END_ARRAY) {
            throw malformed(line, "expected a header object or the end of 'headers', got " + token);
        }
        return headers;
    }

    private byte @Nullable [] readBytes(String field, long line) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (token == JsonToken.START_OBJECT
                && parser.nextToken() == JsonToken.FIELD_NAME
                && parser.currentName().equals("base64")
                && parser.nextToken() == JsonToken.VALUE_STRING) {
            byte[] bytes = parser.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
            if (parser.nextToken() == JsonToken.END_OBJECT) {
                return bytes;
            }
        }
        throw malformed(line, "field '" + field + "' must be null, a string or {\"base64\": \"...\"}");
    }

    private void expect(@Nullable JsonToken actual, JsonToken expected, String field, long line) {
        if (actual != expected) {
            throw malformed(line, "field '" + field + "' must be " + describe(expected) + ", got " + actual);
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case START_ARRAY -> "an array";
            default -> token.toString();
        };
    }

    private FerryException malformed(long line, @Nullable String problem) {
        if (objectKey.isEmpty()) {
            return new FerryException(StandardErrorCode.BAD_RECORD, "not a valid envelope: " + problem);
        }
        return new FerryException(
                StandardErrorCode.BAD_ARCHIVE,
                "archive object '" + objectKey + "' line " + line + " is not a valid envelope: " + problem
                        + "; the object is corrupt: restore it from a copy or re-export that range, and run 'ferry verify'");
    }

    private FerryException failure(IOException e) {
        if (e instanceof JsonProcessingException json) {
            long line = records + 1; // the envelope being read; the parser may already be past its line
            if (objectKey.isEmpty()) {
                return new FerryException(
                        StandardErrorCode.BAD_RECORD, "not valid JSON: " + json.getOriginalMessage(), e);
            }
            return new FerryException(
                    StandardErrorCode.BAD_ARCHIVE,
                    "archive object '" + objectKey + "' line " + line + " is not valid JSON: "
                            + json.getOriginalMessage()
                            + "; the object is corrupt: restore it from a copy or re-export that range, and run 'ferry verify'",
                    e);
        }
        if (e instanceof StoreReadException) {
            return new FerryException(
                    StandardErrorCode.IO_ERROR,
                    "could not read archive object '" + objectKey + "': " + e.getCause()
                            + "; check that the store is reachable and re-run",
                    e.getCause());
        }
        return new FerryException(
                StandardErrorCode.BAD_ARCHIVE,
                "archive object '" + objectKey + "' cannot be decompressed after " + records + " records ("
                        + e.getMessage()
                        + "): it is truncated or corrupt; restore it from a copy or re-export that range, and run 'ferry verify'",
                e);
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // nothing read after this point depends on a clean close
        } finally {
            closeQuietly(decompressed);
            closeQuietly(stored);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // already done with it
        }
    }

    /** An IOException of the stored bytes themselves, as opposed to of their contents. */
    private static final class StoreReadException extends IOException {
        private static final long serialVersionUID = 1L;

        StoreReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Counts stored bytes and marks failures to read them. */
    private static final class StoredStream extends FilterInputStream {
        long count;

        StoredStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = in.read();
                if (b >= 0) {
                    count++;
                }
                return b;
            } catch (IOException e) {
                throw new StoreReadException(e);
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            try {
                int read = in.read(bytes, offset, length);
                if (read > 0) {
                    count += read;
                }
                return read;
            } catch (IOException e) {
                throw new StoreReadException(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                long skipped = in.skip(n);
                count += skipped;
                return skipped;
            } catch (IOException e) {
                throw new StoreReadException(e);
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
