package io.ferry.archive.format;

import static io.ferry.archive.TestingAssertions.assertMessageContains;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.TestingRecords.TestingPosition;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeReaderTest {
    private static final EnvelopeReader.Positions POSITIONS = (from, n) -> new TestingPosition(n);
    private static final String GOOD = "{\"stream\":\"s\",\"partition\":1,\"offset\":2,\"timestamp\":3,\"key\":\"k\","
            + "\"value\":\"v\",\"headers\":[{\"name\":\"h\",\"value\":\"x\"}]}";

    /** What reading a whole object gave: the records before any failure, and the failure. */
    private record Outcome(List<Record> records, String failure) {}

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsRandomRecordsIncludingLinesLongerThanTheBuffer(Compression compression) throws IOException {
        Random random = new Random(11);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            records.add(randomRecord(random, i + 1));
        }
        byte[] big = new byte[3 * 1024 * 1024];
        random.nextBytes(big);
        records.add(1000, withValue(records.get(1000), big));
        byte[] bigText = "ünïcödé 😀 \"quoted\" \\ tab\t nul\0 ".repeat(200_000).getBytes(UTF_8);
        records.add(2000, withValue(records.get(2000), bigText));
        for (int i = 0; i < records.size(); i++) {
            records.set(i, positioned(records.get(i), i + 1));
        }
        byte[] stored = EnvelopeTest.write(records, compression);

        try (EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(stored), compression, "k")) {
            List<Record> read = new ArrayList<>();
            for (Optional<Record> next = reader.next(POSITIONS); next.isPresent(); next = reader.next(POSITIONS)) {
                read.add(next.get());
            }
            assertEquals(records.size(), read.size());
            for (int i = 0; i < records.size(); i++) {
                assertEquals(records.get(i), read.get(i), "record " + (i + 1));
            }
            assertEquals(records.size(), reader.records());
            assertEquals(stored.length, reader.storedBytesRead());
            assertEquals(0, reader.linesForJackson(), "what the writer writes never needs Jackson");
            // a line cut short by the end of the bytes decompressed so far is never decoded: each one
            // failed at another field, and the JIT recompiled the decoder for every such rare branch
            assertEquals(0, reader.decoderRefusals(), "lines the decoder was handed and did not take");
        }
        assertEquals(
                readAll(stored, compression, EnvelopeDecoding.JACKSON, "k"),
                readAll(stored, compression, EnvelopeDecoding.FAST, "k"));
    }

    @Test
    void decodesHandWrittenLinesAsJacksonDoes() {
        List<String> lines = List.of(
                "{\"value\":\"v\",\"offset\":5,\"partition\":1,\"stream\":\"s\"}",
                " { \"stream\" : \"s\" ,\t\"partition\":1, \"offset\":2 , \"timestamp\" : null , \"key\" : null,"
                        + " \"value\" : { \"base64\" : \"/w==\" } , \"headers\" : [ { \"value\" : \"x\" , \"name\" : \"n\" } ] }\t ",
                "{\"stream\":\"s\",\"future\":{\"a\":[1,{\"b\":null}],\"c\":\"\\\"}\"},\"partition\":0,\"offset\":1,\"value\":\"v\"}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"headers\":[{\"name\":\"h\",\"value\":\"v\",\"extra\":[1,{}]}]}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"value\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u00e9\\u20AC\\ud83d\\ude00\"}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"value\":\"lone \\ud800 and \\udc00\"}",
                "{\"str\\u0065am\":\"s\",\"partition\":0,\"offset\":1}",
                "{\"stream\":\"a\",\"stream\":\"b\",\"partition\":0,\"offset\":1,\"offset\":2}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"timestamp\":5,\"timestamp\":null}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"timestamp\":-1}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"headers\":null}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"key\":{\"base64\":\"\\/w==\"},\"value\":{\"base64\":\"\"}}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"key\":{\"base64\":\"AB==\"},\"value\":{\"base64\":\"AAB=\"}}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"key\":{\"base64\":\"/w\"}}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"key\":{\"base64\":\"AA==AAAA\"}}",
                "{\"stream\":\"\\u65e5\\u672c\",\"partition\":0,\"offset\":1,\"headers\":[{\"name\":\"\\u00fc\",\"value\":null}]}",
                "{\"stream\":\"s\",\"partition\":2147483647,\"offset\":9223372036854775807,\"timestamp\":9223372036854775807}",
                "{\"stream\":\"s\",\"partition\":2147483648,\"offset\":1}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":9223372036854775808}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":01}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"timestamp\":1e3}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1.0}",
                "{\"stream\":\"s\",\"partition\":-0,\"offset\":1}",
                "{\"stream\":\"\",\"partition\":0,\"offset\":1}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"timestamp\":-2}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"headers\":[{\"value\":\"v\"}]}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"value\":nul}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1}{\"stream\":\"s\",\"partition\":0,\"offset\":2}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1} x",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1}\r",
                "{\"stream\":\"s\",\r\"partition\":0,\"offset\":1}",
                "\r{\"stream\":\"s\",\"partition\":0,\"offset\":1}",
                "\uFEFF{\"stream\":\"s\",\"partition\":0,\"offset\":1}",
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"value\":\"tab\tinside\"}",
                "[1]",
                "{}",
                "",
                "  \t");
        for (String line : lines) {
            byte[] bytes = line.getBytes(UTF_8);
            assertSameAsJackson(bytes);
            assertSameAsJackson(concat(GOOD + "\n", line, "\n" + GOOD + "\n"));
            assertSameAsJackson(concat(GOOD + "\n", line, ""));
            assertEquals(jacksonDecodeLine(bytes), decodeLine(bytes), line);
        }
    }

    @Test
    void decodesEscapesToTheBytesTheyStandFor() {
        Record record = EnvelopeReader.decodeLine(
                "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"value\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u00e9\\u20AC\\ud83d\\ude00\"}"
                        .getBytes(UTF_8));
        assertArrayEquals("\"\\/\b\f\n\r\t\0é€😀".getBytes(UTF_8), record.value());
        assertNull(record.key());
        assertEquals(List.of(), record.headers());
        assertEquals(Record.NO_TIMESTAMP, record.timestamp());
    }

    @Test
    void skipsUnknownFieldsAndReturnsToTheFastDecoderAfterThem() {
        String future = "{\"stream\":\"s\",\"partition\":1,\"offset\":7,\"added\":{\"nested\":[{\"deep\":[]}]}}";
        byte[] stored = (GOOD + "\n" + future + "\n" + GOOD + "\n").getBytes(UTF_8);
        Outcome outcome = readAll(stored, Compression.NONE, EnvelopeDecoding.FAST, "k");
        assertEquals("", outcome.failure());
        assertEquals(3, outcome.records().size());
        assertEquals(new SourceCoordinates("s", 1, 7), outcome.records().get(1).from());
        assertEquals(List.of(Header.of("h", "x")), outcome.records().get(2).headers());
        try (EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(stored), Compression.NONE, "k")) {
            while (reader.next(POSITIONS).isPresent()) {
                // all three
            }
            assertEquals(1, reader.linesForJackson(), "only the line with the unknown field");
        }
    }

    @Test
    void rejectsAnEmptyLineBetweenEnvelopesNamingItsLine() {
        for (String blank : List.of("", "  \t", "\r")) {
            byte[] stored = (GOOD + "\n" + blank + "\n" + GOOD + "\n").getBytes(UTF_8);
            Outcome outcome = readAll(stored, Compression.NONE, EnvelopeDecoding.FAST, "k");
            assertEquals(1, outcome.records().size());
            assertEquals(
                    "BAD_ARCHIVE: archive object 'k' line 3 is not a valid envelope: expected one envelope per line,"
                            + " but envelope 2 starts here; the object is corrupt: restore it from a copy or re-export"
                            + " that range, and run 'ferry verify'",
                    outcome.failure());
            assertEquals(readAll(stored, Compression.NONE, EnvelopeDecoding.JACKSON, "k"), outcome);
        }
    }

    @Test
    void acceptsBlankLinesAtTheEndAsBefore() {
        byte[] stored = (GOOD + "\n" + GOOD + "\n\n  \n").getBytes(UTF_8);
        Outcome outcome = readAll(stored, Compression.NONE, EnvelopeDecoding.FAST, "k");
        assertEquals("", outcome.failure());
        assertEquals(2, outcome.records().size());
        assertEquals(readAll(stored, Compression.NONE, EnvelopeDecoding.JACKSON, "k"), outcome);
    }

    @Test
    void reportsMalformedLinesExactlyAsJacksonDid() {
        List<String> objects = List.of(
                GOOD + "\n{\"stream\":\"orders\",\"partition\":3,\n",
                GOOD + "\n{\"stream\":\"orders\",\"partition\":3}\n",
                GOOD + "\nhello\n",
                GOOD + " " + GOOD + "\n" + GOOD + "\n",
                GOOD + "\n{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"value\":\"raw\nfeed\"}\n",
                GOOD + "\n{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"value\":{\"base64\":\"!!\"}}\n",
                GOOD + "\n{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"headers\":{}}\n");
        for (String object : objects) {
            byte[] stored = object.getBytes(UTF_8);
            Outcome fast = readAll(stored, Compression.NONE, EnvelopeDecoding.FAST, "k");
            assertEquals(readAll(stored, Compression.NONE, EnvelopeDecoding.JACKSON, "k"), fast, object);
            assertTrue(fast.failure().startsWith("BAD_ARCHIVE: archive object 'k' line "), fast.failure());
        }
        Outcome truncated = readAll(objects.get(0).getBytes(UTF_8), Compression.NONE, EnvelopeDecoding.FAST, "k");
        assertTrue(truncated.failure().contains("'k' line 2 is not valid JSON"), truncated.failure());
        Outcome missing = readAll(objects.get(1).getBytes(UTF_8), Compression.NONE, EnvelopeDecoding.FAST, "k");
        assertTrue(missing.failure().contains("'k' line 2 is not a valid envelope: an envelope needs"));
    }

    @Test
    void reportsInvalidUtf8AsJacksonDid() {
        byte[][] invalid = {
            {(byte) 0xC3, 0x28},
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xFF},
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}
        };
        String[][] around = {{"a", ""}, {"", "\\\""}, {"\\n", "\\t"}, {"0123456789abcdef", "x\\u00e9"}};
        for (byte[] bytes : invalid) {
            for (String[] text : around) {
                byte[] line = concat(
                        "{\"stream\":\"s\",\"partition\":0,\"offset\":1,\"value\":\"" + text[0],
                        bytes,
                        text[1] + "\"}");
                assertSameAsJackson(line);
                assertSameAsJackson(concat(GOOD + "\n", line, "\n" + GOOD));
                assertEquals(jacksonDecodeLine(line), decodeLine(line));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"ZSTD", "GZIP"})
    void reportsATruncatedObjectAsCannotBeDecompressedAfterTheRecordsBeforeIt(Compression compression)
            throws IOException {
        Random random = new Random(3);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            records.add(positioned(randomRecord(random, i + 1), i + 1));
        }
        byte[] stored = EnvelopeTest.write(records, compression);
        byte[] truncated = Arrays.copyOf(stored, stored.length / 2);

        Outcome outcome = readAll(truncated, compression, EnvelopeDecoding.FAST, "k");

        assertTrue(outcome.failure()
                .startsWith("BAD_ARCHIVE: archive object 'k' cannot be decompressed after "
                        + outcome.records().size() + " records"));
        assertTrue(outcome.failure().contains("truncated or corrupt"));
        assertFalse(outcome.records().isEmpty());
        assertEquals(records.subList(0, outcome.records().size()), outcome.records());
    }

    @Test
    void reportsAFailureToReadTheStoreAsIoError() throws IOException {
        Random random = new Random(5);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(randomRecord(random, i + 1));
        }
        byte[] stored = EnvelopeTest.write(records, Compression.ZSTD);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(stored)) {
            private int left = stored.length / 3;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw new IOException("connection reset");
                }
                int read = super.read(b, off, Math.min(len, left));
                left -= Math.max(read, 0);
                return read;
            }
        };
        try (EnvelopeReader reader = new EnvelopeReader(failing, Compression.ZSTD, "k")) {
            FerryException e = assertThrows(FerryException.class, () -> {
                while (reader.next(POSITIONS).isPresent()) {
                    // read until the store fails
                }
            });
            assertEquals(StandardErrorCode.IO_ERROR, e.code());
            assertMessageContains(e, "could not read archive object 'k'");
            assertMessageContains(e, "connection reset");
        }
    }

    @Test
    void skipsEnvelopesWithoutDecodingThemThenReadsTheRest() {
        String future = "{\"stream\":\"s\",\"partition\":1,\"offset\":9,\"added\":[1]}";
        String last = GOOD.replace("\"offset\":2", "\"offset\":10");
        byte[] stored = (GOOD + "\n" + future + "\n" + GOOD + "\n" + future + "\n" + last).getBytes(UTF_8);
        try (EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(stored), Compression.NONE, "k")) {
            assertTrue(reader.skip());
            assertTrue(reader.skip());
            assertTrue(reader.skip());
            assertEquals(3, reader.records());
            assertEquals(9, reader.next(POSITIONS).orElseThrow().offset());
            Record record = reader.next(POSITIONS).orElseThrow();
            assertEquals(10, record.offset());
            assertEquals(new TestingPosition(5), record.position());
            assertTrue(reader.next(POSITIONS).isEmpty());
            assertFalse(reader.skip());
        }
    }

    @Test
    void decodeLineReportsBadRecords() {
        assertEquals(
                new SourceCoordinates("s", 1, 2),
                EnvelopeReader.decodeLine(GOOD.getBytes(UTF_8)).from());
        assertEquals("BAD_RECORD: an empty line is not an envelope", decodeLine(new byte[0]));
        assertEquals(
                "BAD_RECORD: not a valid envelope: expected one envelope per line, but envelope 2 starts here",
                decodeLine((GOOD + " " + GOOD).getBytes(UTF_8)));
        assertTrue(decodeLine("hello".getBytes(UTF_8)).startsWith("BAD_RECORD: not valid JSON: "));
        assertEquals(
                "BAD_RECORD: not a valid envelope: an envelope needs 'stream', a non-negative 'partition' and 'offset'",
                decodeLine("{\"stream\":\"s\",\"partition\":1}".getBytes(UTF_8)));
        assertEquals(
                "BAD_RECORD: not a valid envelope: stream is empty",
                decodeLine("{\"stream\":\"\",\"partition\":1,\"offset\":1}".getBytes(UTF_8)));
    }

    /** Random edits of valid objects: the fast reader reads what Jackson reads, or fails as it fails. */
    @Test
    void agreesWithJacksonOnRandomlyDamagedObjects() throws IOException {
        String[] insertions = {
            " ",
            "\t",
            "\r",
            "\n",
            "\r\n",
            "\n\n",
            "{",
            "}",
            "[",
            "]",
            "\"",
            "\\",
            ",",
            ":",
            "0",
            "-1",
            "1.5",
            "e5",
            "null",
            "x",
            "\\u00e9",
            "\\ud83d",
            "\\ude00",
            "é",
            "\u0000",
            "\"extra\":{\"a\":[1]},",
            "\"base64\":",
            "{\"base64\":\"/w==\"}",
            "=",
            "/w==",
            "\uFEFF"
        };
        Random random = new Random(17);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(randomRecord(random, i + 1));
        }
        String valid = new String(EnvelopeTest.write(records, Compression.NONE), ISO_8859_1);
        int clean = 0;
        int failedLater = 0;
        for (int round = 0; round < 4000; round++) {
            StringBuilder text = new StringBuilder(valid);
            int edits = 1 + random.nextInt(3);
            for (int edit = 0; edit < edits; edit++) {
                int at = random.nextInt(text.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(3)));
                    case 1 ->
                        text.insert(
                                at,
                                new String(insertions[random.nextInt(insertions.length)].getBytes(UTF_8), ISO_8859_1));
                    default -> {
                        if (at < text.length()) {
                            text.setCharAt(at, (char) random.nextInt(256));
                        }
                    }
                }
            }
            byte[] stored = text.toString().getBytes(ISO_8859_1);
            Outcome outcome = assertSameAsJackson(stored);
            clean += outcome.failure().isEmpty() ? 1 : 0;
            failedLater += !outcome.failure().isEmpty() && !outcome.records().isEmpty() ? 1 : 0;
        }
        assertTrue(clean > 300, "edits that still read (whitespace, unknown fields...): " + clean);
        assertTrue(failedLater > 300, "failures after some records: " + failedLater);
    }

    /** Also with the bytes arriving a few at a time, so that lines end and start at buffer ends. */
    private static Outcome assertSameAsJackson(byte[] stored) {
        Outcome jackson = readAll(stored, Compression.NONE, EnvelopeDecoding.JACKSON, "k");
        Outcome fast = readAll(stored, Compression.NONE, EnvelopeDecoding.FAST, "k");
        assertEquals(jackson, fast, () -> "for: " + new String(stored, UTF_8));
        Outcome trickled = readAll(new Trickle(stored), Compression.NONE, EnvelopeDecoding.FAST, "k");
        assertEquals(jackson, trickled, () -> "a few bytes at a time, for: " + new String(stored, UTF_8));
        return fast;
    }

    private static Outcome readAll(byte[] stored, Compression compression, EnvelopeDecoding decoding, String key) {
        return readAll(new ByteArrayInputStream(stored), compression, decoding, key);
    }

    private static Outcome readAll(InputStream stored, Compression compression, EnvelopeDecoding decoding, String key) {
        List<Record> records = new ArrayList<>();
        try (EnvelopeReader reader = new EnvelopeReader(stored, compression, key, decoding)) {
            for (Optional<Record> next = reader.next(POSITIONS); next.isPresent(); next = reader.next(POSITIONS)) {
                records.add(next.get());
            }
            assertEquals(records.size(), reader.records());
            return new Outcome(records, "");
        } catch (FerryException e) {
            return new Outcome(records, e.code() + ": " + e.getMessage());
        }
    }

    /** The outcome of decodeLine: the record or the failure. */
    private static String decodeLine(byte[] line) {
        try {
            Record record = EnvelopeReader.decodeLine(line);
            return record.from() + " " + Arrays.toString(record.key()) + " " + Arrays.toString(record.value()) + " "
                    + record.headers() + " " + record.timestamp();
        } catch (FerryException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    /** What decodeLine said before the fast decoder: Jackson on the line. */
    private static String jacksonDecodeLine(byte[] line) {
        try (EnvelopeReader reader =
                new EnvelopeReader(new ByteArrayInputStream(line), Compression.NONE, "", EnvelopeDecoding.JACKSON)) {
            Optional<Record> next = reader.next((from, n) -> () -> "line");
            if (next.isEmpty()) {
                return "BAD_RECORD: an empty line is not an envelope";
            }
            if (reader.skip()) {
                return "BAD_RECORD: more than one envelope on one line";
            }
            Record record = next.get();
            return record.from() + " " + Arrays.toString(record.key()) + " " + Arrays.toString(record.value()) + " "
                    + record.headers() + " " + record.timestamp();
        } catch (FerryException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    /** Gives at most 1 to 7 bytes per read. */
    private static final class Trickle extends ByteArrayInputStream {
        private int reads;

        Trickle(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + reads++ % 7));
        }
    }

    private static byte[] concat(String before, String middle, String after) {
        return (before + middle + after).getBytes(UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(UTF_8));
        return out.toByteArray();
    }

    private static Record positioned(Record record, long n) {
        return new Record(
                record.key(),
                record.value(),
                record.headers(),
                record.timestamp(),
                record.from(),
                new TestingPosition(n));
    }

    private static Record withValue(Record record, byte[] value) {
        return new Record(record.key(), value, record.headers(), record.timestamp(), record.from(), record.position());
    }

    private static final String[] STREAMS = {"orders", "orders", "orders", "日本", "s\"q", "a\\b", "x/y"};
    private static final String[] HEADER_NAMES = {"h", "h", "trace-id", "", "ü", "\"q\"", "a\\b", "😀", "\0", "\t"};

    private static Record randomRecord(Random random, long offset) {
        int partition = random.nextInt(10) == 0 ? Integer.MAX_VALUE : random.nextInt(100);
        long sourceOffset = random.nextInt(10) == 0 ? Long.MAX_VALUE - offset : offset * 3;
        long timestamp = switch (random.nextInt(4)) {
            case 0 -> Record.NO_TIMESTAMP;
            case 1 -> 0;
            case 2 -> Long.MAX_VALUE;
            default -> 1_700_000_000_000L + random.nextInt(1_000_000);
        };
        List<Header> headers = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            headers.add(new Header(HEADER_NAMES[random.nextInt(HEADER_NAMES.length)], randomBytes(random)));
        }
        return new Record(
                randomBytes(random),
                randomBytes(random),
                headers,
                timestamp,
                new SourceCoordinates(STREAMS[random.nextInt(STREAMS.length)], partition, sourceOffset),
                new TestingPosition(offset));
    }

    private static byte @org.jspecify.annotations.Nullable [] randomBytes(Random random) {
        int length = random.nextInt(10) == 0 ? 2000 + random.nextInt(5000) : random.nextInt(40);
        switch (random.nextInt(6)) {
            case 0 -> {
                return null;
            }
            case 1 -> {
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                return bytes; // mostly not UTF-8: base64
            }
            case 2 -> {
                String awkward = "ab\"\\/\b\f\n\r\t\0\u001f\u007f";
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    text.append(awkward.charAt(random.nextInt(awkward.length())));
                }
                return text.toString().getBytes(UTF_8);
            }
            case 3 -> {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    int codePoint;
                    do {
                        codePoint = random.nextInt(4) == 0 ? random.nextInt(0x110000) : random.nextInt(0x800);
                    } while (codePoint >= 0xD800 && codePoint <= 0xDFFF);
                    text.appendCodePoint(codePoint);
                }
                return text.toString().getBytes(UTF_8);
            }
            case 4 -> {
                return new byte[0];
            }
            default -> {
                return ("{\"id\":" + random.nextLong() + ",\"msg\":\"x y\"}").getBytes(UTF_8);
            }
        }
    }
}
