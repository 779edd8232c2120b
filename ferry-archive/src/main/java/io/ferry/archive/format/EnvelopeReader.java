package io.ferry.archive.format;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads back the envelopes an {@link EnvelopeWriter} wrote into a stored (compressed) object. A
 * malformed line, or an object that cannot be decompressed (truncated, corrupt), fails with {@code
 * BAD_ARCHIVE} naming the object key and the line; a failure to read the stored bytes themselves
 * fails with {@code IO_ERROR}. Closing closes the stored stream.
 *
 * <p>By default ({@link EnvelopeDecoding#FAST}) it reads the decompressed bytes in large chunks,
 * finds each line and decodes it with an {@link EnvelopeDecoder}; a line that decoder does not take
 * is parsed with Jackson exactly as {@link EnvelopeDecoding#JACKSON} parses every line, so both read
 * the same records and report the same errors. Jackson counts lines as it always has (a blank line
 * or a bare carriage return outside strings is one more line, so the next envelope is not where one
 * envelope per line puts it); when a line leaves Jackson anything but spaces before its end (a second
 * envelope, garbage), Jackson reads the rest of the object. Memory is a 128 KiB buffer, grown to hold
 * the longest line.
 */
public final class EnvelopeReader implements Closeable {
    /** Gives a record read back its position: just after it, the {@code recordsRead}-th of its object. */
    @FunctionalInterface
    public interface Positions {
        Position after(SourceCoordinates from, long recordsRead);
    }

    private static final int CHUNK_BYTES = 128 * 1024;
    private static final int MAX_LINE_BYTES = Integer.MAX_VALUE - 8;
    private static final byte[] NO_BYTES = {};
    private static final Pattern JACKSON_LINE =
            Pattern.compile("(\\[Source: [^\\]]*; line: )([0-9]{1,18})(, column: )([0-9]{1,18})");

    private final String objectKey;
    private final StoredStream stored;
    private final InputStream decompressed;
    private final EnvelopeDecoder decoder = new EnvelopeDecoder();
    private long records;
    private boolean ended;
    private long linesForJackson; // lines the fast decoder handed to Jackson
    private long decoderRefusals; // lines the fast path handed the decoder that it did not take

    // Jackson, when it reads the rest of the object (JACKSON, or a line that left more than spaces)
    // or the current line only (lineInput set, until resumeFast).
    private @Nullable JsonParser parser;
    private long parserFirstLine = 1; // the object's line number of the parser's first line
    private int parserPrefix; // spaces before that line, in bytes
    private @Nullable LineInput lineInput;

    // FAST: buffer[pos, limit) is decompressed and not consumed yet; [pos, scanned) has no line feed.
    private byte[] buffer = NO_BYTES;
    private int pos;
    private int limit;
    private int scanned;
    // buffer[.., wholeLinesEnd) ends with a line feed: the fast path decodes no further, so the
    // decoder never meets a line cut short by the end of the decompressed bytes (those lines made it
    // fail at a different field each time, and C2 recompiled it for every such rare branch)
    private int wholeLinesEnd;
    private long bufferOffset; // the decompressed offset of buffer[0]
    private boolean drained; // no more bytes from the decompressed stream: its end or readFailure
    private @Nullable IOException readFailure; // thrown once the lines read before it are used up
    private long line = 1; // Jackson's line number of buffer[pos]
    // the line found by nextLine: buffer[lineStart, lineEnd), then a line feed if lineFeed
    private int lineStart;
    private int lineEnd;
    private boolean lineFeed;

    public EnvelopeReader(InputStream stored, Compression compression, String objectKey) {
        this(stored, compression, objectKey, EnvelopeDecoding.FAST);
    }

    /** Like {@link #EnvelopeReader(InputStream, Compression, String)}, decoding as {@code decoding} says. */
    public EnvelopeReader(InputStream stored, Compression compression, String objectKey, EnvelopeDecoding decoding) {
        this.objectKey = requireNonNull(objectKey, "objectKey is null");
        this.stored = new StoredStream(requireNonNull(stored, "stored is null"));
        requireNonNull(decoding, "decoding is null");
        try {
            this.decompressed = compression.decompress(this.stored);
            switch (decoding) {
                case FAST -> this.buffer = new byte[CHUNK_BYTES];
                case JACKSON -> this.parser = Json.FACTORY.createParser(decompressed);
            }
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
        EnvelopeDecoder decoder = new EnvelopeDecoder();
        if (decoder.decode(line, 0, line.length, true) == line.length) {
            try {
                return decoded(decoder, LINE_POSITIONS, 1);
            } catch (IllegalArgumentException e) {
                throw malformed("", 1, e.getMessage());
            }
        }
        try (EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(line), Compression.NONE, "")) {
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

    /** Lines the fast decoder did not take, so that Jackson parsed them (and perhaps the rest). */
    long linesForJackson() {
        return linesForJackson;
    }

    /** Lines the decoder was handed without looking for their end first, and did not take. */
    long decoderRefusals() {
        return decoderRefusals;
    }

    /** The next record, or empty at the end of the object. */
    public Optional<Record> next(Positions positions) {
        try {
            JsonParser jackson = parser;
            if (jackson != null) {
                return startNext(jackson) ? Optional.of(parseRecord(jackson, positions)) : Optional.empty();
            }
            int whole = drained ? limit : wholeLinesEnd;
            if (line == records + 1 && pos < whole) {
                // the common case, without looking for the line end first: the decoder stops there
                int end = decoder.decode(buffer, pos, whole, drained);
                if (end >= 0) {
                    lineStart = pos;
                    lineEnd = end;
                    lineFeed = end < limit;
                    consumeLine(line + 1);
                    return Optional.of(decodedRecord(positions));
                }
                decoderRefusals++;
            }
            if (!nextLine()) {
                return Optional.empty();
            }
            if (line == records + 1 && decoder.decode(buffer, lineStart, lineEnd, true) == lineEnd) {
                consumeLine(line + 1);
                return Optional.of(decodedRecord(positions));
            }
            jackson = openLineParser();
            if (!startNext(jackson)) {
                return Optional.empty();
            }
            Record record = parseRecord(jackson, positions);
            resumeFast(jackson);
            return Optional.of(record);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Skips the next envelope without decoding it; false at the end of the object. */
    public boolean skip() {
        try {
            JsonParser jackson = parser;
            if (jackson == null) {
                if (!nextLine()) {
                    return false;
                }
                if (line == records + 1 && startsEnvelope()) {
                    consumeLine(line + 1);
                    records++;
                    return true;
                }
                jackson = openLineParser();
            }
            if (!startNext(jackson)) {
                return false;
            }
            jackson.skipChildren();
            records++;
            if (lineInput != null) {
                resumeFast(jackson);
            }
            return true;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Finds the next line; false at the end of the object. */
    private boolean nextLine() throws IOException {
        if (ended) {
            return false;
        }
        while (true) {
            int feed = EnvelopeDecoder.indexOfNewline(buffer, scanned, limit);
            if (feed >= 0) {
                lineStart = pos;
                lineEnd = feed;
                lineFeed = true;
                return true;
            }
            scanned = limit;
            if (drained) {
                IOException failure = readFailure;
                if (failure != null) {
                    throw failure;
                }
                if (pos == limit) {
                    ended = true;
                    return false;
                }
                lineStart = pos;
                lineEnd = limit;
                lineFeed = false;
                return true;
            }
            fill();
        }
    }

    /** Reads more decompressed bytes, after the unconsumed ones; grows the buffer when they fill it. */
    private void fill() {
        if (pos > 0) {
            int kept = limit - pos;
            System.arraycopy(buffer, pos, buffer, 0, kept);
            bufferOffset += pos;
            scanned -= pos;
            wholeLinesEnd = Math.max(0, wholeLinesEnd - pos);
            limit = kept;
            pos = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length >= MAX_LINE_BYTES) {
                throw malformed(records + 1, "the line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_LINE_BYTES, 2L * buffer.length));
        }
        try {
            int read = decompressed.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                drained = true;
            } else {
                int from = limit;
                limit += read;
                for (int i = limit - 1; i >= from; i--) {
                    if (buffer[i] == '\n') {
                        wholeLinesEnd = i + 1;
                        break;
                    }
                }
            }
        } catch (IOException e) {
            readFailure = e;
            drained = true;
        }
    }

    private void consumeLine(long nextLine) {
        pos = lineFeed ? lineEnd + 1 : lineEnd;
        scanned = pos;
        line = nextLine;
    }

    /** Whether the current line starts like an envelope and Jackson would count it as one line. */
    private boolean startsEnvelope() {
        int i = lineStart;
        while (i < lineEnd && (buffer[i] == ' ' || buffer[i] == '\t')) {
            i++;
        }
        if (i == lineEnd || buffer[i] != '{') {
            return false;
        }
        for (; i < lineEnd - 1; i++) {
            if (buffer[i] == '\r') {
                return false;
            }
        }
        return true;
    }

    /** A Jackson parser that reads the current line, and the rest of the object only if it must. */
    private JsonParser openLineParser() throws IOException {
        int lineLimit = lineFeed ? lineEnd + 1 : lineEnd;
        // Jackson detects the encoding from an object's first bytes; mid-object, only UTF-8 applies.
        boolean prefixed = bufferOffset + lineStart != 0 && confusesEncodingDetection(lineStart, lineLimit);
        LineInput input = new LineInput(lineLimit, prefixed ? 2 : 0);
        JsonParser jackson = Json.FACTORY.createParser(input);
        linesForJackson++;
        lineInput = input;
        parser = jackson;
        parserFirstLine = line;
        parserPrefix = input.prefix;
        return jackson;
    }

    private boolean confusesEncodingDetection(int start, int end) {
        if (end - start < 4) {
            return true;
        }
        int first = buffer[start] & 0xFF;
        return first == 0xEF
                || first == 0xFE
                || first == 0xFF
                || buffer[start] == 0
                || buffer[start + 1] == 0
                || buffer[start + 2] == 0
                || buffer[start + 3] == 0;
    }

    /**
     * After Jackson read one envelope of the current line: back to the fast decoder from the next
     * line, unless Jackson read past this line or only spaces follow the envelope on it.
     */
    private void resumeFast(JsonParser jackson) throws IOException {
        LineInput input = requireNonNull(lineInput, "lineInput is null");
        if (input.spilled) {
            lineInput = null; // Jackson reads the rest of the object
            return;
        }
        JsonLocation location = jackson.currentLocation();
        long byteOffset = location.getByteOffset();
        long after = lineStart + byteOffset - input.prefix;
        if (byteOffset < 0 || after > lineEnd || !onlySpaceUntilLineEnd((int) after)) {
            lineInput = null;
            return;
        }
        jackson.close();
        parser = null;
        lineInput = null;
        consumeLine(parserFirstLine + location.getLineNr()); // the lines Jackson counted, and this line's end
    }

    /** Spaces and tabs from {@code from} to the line's end, then perhaps the CR of a CRLF. */
    private boolean onlySpaceUntilLineEnd(int from) {
        int i = from;
        while (i < lineEnd && (buffer[i] == ' ' || buffer[i] == '\t')) {
            i++;
        }
        return i == lineEnd || (i == lineEnd - 1 && buffer[i] == '\r');
    }

    private Record decodedRecord(Positions positions) {
        long line = records + 1;
        records++;
        try {
            return decoded(decoder, positions, records);
        } catch (IllegalArgumentException e) {
            throw malformed(line, e.getMessage());
        }
    }

    /** The record {@code decoder} just decoded; IllegalArgumentException when its fields do not make one. */
    private static Record decoded(EnvelopeDecoder decoder, Positions positions, long recordsRead) {
        SourceCoordinates from = new SourceCoordinates(decoder.stream(), decoder.partition(), decoder.offset());
        return newRecord(
                decoder.key(),
                decoder.value(),
                decoder.headers(),
                decoder.timestamp(),
                from,
                positions.after(from, recordsRead));
    }

    private boolean startNext(JsonParser parser) throws IOException {
        if (ended) {
            return false;
        }
        JsonToken token = parser.nextToken();
        if (token == null) {
            ended = true;
            return false;
        }
        long line = parserFirstLine + parser.currentTokenLocation().getLineNr() - 1;
        if (token != JsonToken.START_OBJECT) {
            throw malformed(line, "expected an envelope (a JSON object), got " + token);
        }
        if (line != records + 1) {
            throw malformed(line, "expected one envelope per line, but envelope " + (records + 1) + " starts here");
        }
        return true;
    }

    private Record parseRecord(JsonParser parser, Positions positions) throws IOException {
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
                case "key" -> key = readBytes(parser, field, line);
                case "value" -> value = readBytes(parser, field, line);
                case "headers" -> headers = readHeaders(parser, line);
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

    private List<Header> readHeaders(JsonParser parser, long line) throws IOException {
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
                    case "value" -> value = readBytes(parser, "headers.value", line);
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

    private byte @Nullable [] readBytes(JsonParser parser, String field, long line) throws IOException {
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
        return malformed(objectKey, line, problem);
    }

    private static FerryException malformed(String objectKey, long line, @Nullable String problem) {
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
            String problem = objectLines(String.valueOf(json.getOriginalMessage()));
            if (objectKey.isEmpty()) {
                return new FerryException(StandardErrorCode.BAD_RECORD, "not valid JSON: " + problem, e);
            }
            return new FerryException(
                    StandardErrorCode.BAD_ARCHIVE,
                    "archive object '" + objectKey + "' line " + line + " is not valid JSON: "
                            + problem
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

    /**
     * Jackson's message with the line numbers of the locations it quotes ("start marker at [Source:
     * ...; line: 1, column: 1]") counted from the object's start, as when one parser read it all,
     * rather than from the line a fallback parser started at.
     */
    private String objectLines(String message) {
        long shift = parserFirstLine - 1;
        if (shift == 0) {
            return message;
        }
        Matcher matcher = JACKSON_LINE.matcher(message);
        StringBuilder shifted = new StringBuilder(message.length() + 8);
        while (matcher.find()) {
            long line = Long.parseLong(matcher.group(2));
            long column = Long.parseLong(matcher.group(4));
            matcher.appendReplacement(shifted, "");
            shifted.append(matcher.group(1))
                    .append(line + shift)
                    .append(matcher.group(3))
                    .append(line == 1 ? column - parserPrefix : column);
        }
        return matcher.appendTail(shifted).toString();
    }

    @Override
    public void close() {
        try {
            JsonParser jackson = parser;
            if (jackson != null) {
                jackson.close();
            }
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

    /**
     * What a line's Jackson parser reads: {@code prefix} spaces, the current line with its line feed,
     * then (spilled) the rest of the buffer and of the decompressed stream.
     */
    private final class LineInput extends InputStream {
        final int prefix;
        private final int lineLimit;
        private int prefixLeft;
        private int at;
        boolean spilled;

        LineInput(int lineLimit, int prefix) {
            this.lineLimit = lineLimit;
            this.prefix = prefix;
            this.prefixLeft = prefix;
            this.at = lineStart;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            if (prefixLeft > 0) {
                int n = Math.min(length, prefixLeft);
                Arrays.fill(into, offset, offset + n, (byte) ' ');
                prefixLeft -= n;
                return n;
            }
            if (at >= lineLimit) {
                spilled = true;
            }
            int end = spilled ? limit : lineLimit;
            if (at < end) {
                int n = Math.min(length, end - at);
                System.arraycopy(buffer, at, into, offset, n);
                at += n;
                return n;
            }
            IOException failure = readFailure;
            if (failure != null) {
                throw failure;
            }
            return drained ? -1 : decompressed.read(into, offset, length);
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
