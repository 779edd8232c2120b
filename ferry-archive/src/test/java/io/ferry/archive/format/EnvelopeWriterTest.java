package io.ferry.archive.format;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ferry.archive.TestingRecords.TestingPosition;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link EnvelopeWriter} against {@link JacksonEnvelopeWriter}, the writer it replaced: the same
 * bytes, and the same {@code bytes()} and {@code records()} after every record.
 */
class EnvelopeWriterTest {
    private static final EnvelopeReader.Positions POSITIONS = (from, n) -> new TestingPosition(from.offset());
    private static final int MIB = 1024 * 1024;

    private static final String[] STREAMS = {
        "orders",
        "événements",
        "日本語-topic",
        "emoji😀stream",
        "quote\"and\\backslash",
        "control\u0001\u001F\n\t\r\b\f\u007F",
        "lone\uD800high",
        "\uDC00lone low and reversed pair \uDE00\uD83D",
        "long-" + "x".repeat(3000) + "é",
        "ü€😀".repeat(2000),
    };

    @Test
    void writesThousandsOfRandomRecordsLikeJackson() throws IOException {
        Random random = new Random(20261122);
        BothWriters writers = new BothWriters();
        for (int i = 0; i < 5000; i++) {
            writers.write(randomRecord(random, i));
        }
        writers.assertSameOutput("5000 random records");
    }

    @Test
    void writesEveryByteAtEveryPositionOfAWordLikeJackson() throws IOException {
        // The escaping works eight bytes at a time: every byte value at each place in two words, and
        // pairs of bytes that need work at every two places.
        BothWriters writers = new BothWriters();
        long offset = 0;
        for (int b = 0; b < 256; b++) {
            for (int at = 0; at < 17; at++) {
                byte[] value = new byte[17];
                Arrays.fill(value, (byte) 'a');
                value[at] = (byte) b;
                writers.write(record("s", offset++, value, value, List.of(new Header("h", value)), 1));
            }
        }
        byte[] specials = {0, 0x1F, ' ', '"', '\\', 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xFF};
        for (byte first : specials) {
            for (byte second : specials) {
                for (int at = 0; at < 16; at++) {
                    for (int then = at + 1; then < 16; then++) {
                        byte[] value = new byte[16];
                        Arrays.fill(value, (byte) 'a');
                        value[at] = first;
                        value[then] = second;
                        writers.write(record("s", offset++, null, value, List.of(), 1));
                    }
                }
            }
        }
        byte[] everyAscii = new byte[128];
        for (int b = 0; b < 128; b++) {
            everyAscii[b] = (byte) b;
        }
        writers.write(record("s", offset, everyAscii, everyAscii, List.of(), 2));
        writers.assertSameOutput("every byte at every position");
        String line = writers.lastLine();
        assertTrue(
                line.contains("\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r"), line);
        assertTrue(line.contains("\\u001F !\\\"#"), line);
        assertTrue(line.contains("[\\\\]^_`"), line);
    }

    @Test
    void writesJavaStringsWithEveryCharLikeJackson() throws IOException {
        // Stream and header names: every char, including paired and unpaired surrogates.
        BothWriters writers = new BothWriters();
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            all.append((char) c);
        }
        for (int start = 0; start <= Character.MAX_VALUE; start += 4096) {
            String chunk = all.substring(start, start + 4096);
            writers.write(record(chunk, start, null, null, List.of(new Header(chunk, null)), 1));
        }
        writers.write(record(all.toString(), 1, null, null, List.of(new Header(all.toString(), null)), 1));
        writers.write(record("😀", 2, null, null, List.of(new Header("\uD83D", null), new Header("\uDE00", null)), 1));
        writers.assertSameOutput("every char in names");
        assertTrue(writers.lastLine().startsWith("{\"stream\":\"\\uD83D\\uDE00\""), writers.lastLine());
    }

    @Test
    void writesNumbersLikeJackson() throws IOException {
        List<Long> numbers = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, 0L, -1L));
        for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
            numbers.addAll(List.of(power, power - 1, power + 1, 10 * power - 1, -power, -power + 1, -power - 1));
        }
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            numbers.add(random.nextLong() >> random.nextInt(64));
        }
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ByteArrayOutputStream jackson = new ByteArrayOutputStream();
        EnvelopeEncoder encoder = new EnvelopeEncoder(ours);
        try (JsonGenerator generator = Json.FACTORY.createGenerator(jackson)) {
            generator.setRootValueSeparator(null);
            for (long number : numbers) {
                encoder.number(number);
                encoder.raw((byte) ' ');
                generator.writeNumber(number);
                generator.writeRaw(' ');
            }
        }
        encoder.handOver();
        assertEquals(jackson.toString(UTF_8), ours.toString(UTF_8));
        assertTrue(
                ours.toString(UTF_8).startsWith("-9223372036854775808 -9223372036854775807 9223372036854775807 0 -1 "));
    }

    @Test
    void writesValuesLargerThanTheBufferLikeJackson() throws IOException {
        Random random = new Random(8);
        byte[] text = randomUtf8(random, 8 * MIB * 2 / 3, Integer.MAX_VALUE); // about 9 MiB: escapes, 1 to 4-byte chars
        byte[] binary = new byte[8 * MIB];
        random.nextBytes(binary);
        byte[] invalidAtTheEnd = Arrays.copyOf(text, text.length + 1);
        invalidAtTheEnd[text.length] = (byte) 0xC3; // a truncated two-byte character
        byte[] controls = new byte[MIB]; // every byte needs the longest escape: \u0001
        Arrays.fill(controls, (byte) 1);
        int onePass = EnvelopeEncoder.ONE_PASS_MAX_BYTES;
        List<Record> records = new ArrayList<>();
        records.add(record("big", 0, text, text, List.of(new Header("h", text)), 1));
        records.add(record("big", 1, binary, binary, List.of(new Header("h", binary)), 1));
        records.add(record("big", 2, null, invalidAtTheEnd, List.of(), 1));
        records.add(record("big", 3, null, controls, List.of(), 1));
        for (int length = onePass - 2; length <= onePass + 2; length++) {
            byte[] worst = Arrays.copyOf(controls, length);
            byte[] invalid = Arrays.copyOf(worst, length);
            invalid[length - 1] = (byte) 0xFF;
            records.add(record("big", 10 + length - onePass, worst, invalid, List.of(new Header("h", worst)), 1));
        }
        BothWriters writers = new BothWriters();
        for (Record record : records) {
            writers.write(record);
        }
        writers.assertSameOutput("values larger than the buffer");
        assertEquals(records, readBack(writers.ours.toByteArray()));
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        Random random = new Random(9);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(randomRecord(random, i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EnvelopeWriter writer = new EnvelopeWriter(out)) {
            for (Record record : records) {
                writer.write(record);
            }
        }
        List<Record> read = readBack(out.toByteArray());
        assertEquals(records.size(), read.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(records.get(i), read.get(i), "record " + i);
        }
    }

    @Test
    void handsOverOnlyOnFinishAndNeverFlushesOrClosesTheStream() throws IOException {
        WatchedStream out = new WatchedStream();
        EnvelopeWriter writer = new EnvelopeWriter(out);
        writer.write(record("orders", 1, "k".getBytes(UTF_8), "v".getBytes(UTF_8), List.of(), 5));

        assertEquals(0, out.size());
        long bytes = writer.bytes();
        assertEquals(
                "{\"stream\":\"orders\",\"partition\":0,\"offset\":1,\"timestamp\":5,\"key\":\"k\",\"value\":\"v\",\"headers\":[]}\n"
                        .length(),
                bytes);

        writer.finish();
        assertEquals(bytes, out.size());
        assertEquals(bytes, writer.bytes());

        writer.write(record("orders", 2, null, null, List.of(), 5));
        writer.close();
        writer.close();
        assertEquals(writer.bytes(), out.size());
        assertEquals(2, writer.records());
        assertEquals(0, out.flushes);
        assertFalse(out.closed);
        IOException e =
                assertThrows(IOException.class, () -> writer.write(record("orders", 3, null, null, List.of(), 5)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static List<Record> readBack(byte[] envelopes) {
        List<Record> records = new ArrayList<>();
        try (EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(envelopes), Compression.NONE, "k")) {
            for (Optional<Record> next = reader.next(POSITIONS); next.isPresent(); next = reader.next(POSITIONS)) {
                records.add(next.get());
            }
        }
        return records;
    }

    private static Record record(
            String stream,
            long offset,
            byte @Nullable [] key,
            byte @Nullable [] value,
            List<Header> headers,
            long timestamp) {
        return new Record(
                key, value, headers, timestamp, new SourceCoordinates(stream, 0, offset), new TestingPosition(offset));
    }

    private static Record randomRecord(Random random, long offset) {
        String stream = STREAMS[random.nextInt(3) == 0 ? random.nextInt(STREAMS.length) : 0];
        if (random.nextInt(4) == 0) {
            stream = new String(stream.toCharArray()); // equal, but another String
        }
        int partition = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> Integer.MAX_VALUE;
            default -> random.nextInt(Integer.MAX_VALUE);
        };
        long sourceOffset = switch (random.nextInt(4)) {
            case 0 -> offset;
            case 1 -> Long.MAX_VALUE - random.nextInt(10);
            default -> random.nextLong() >>> (1 + random.nextInt(63));
        };
        long timestamp = switch (random.nextInt(4)) {
            case 0 -> Record.NO_TIMESTAMP;
            case 1 -> random.nextBoolean() ? 0 : Long.MAX_VALUE;
            default -> 1_700_000_000_000L + random.nextInt();
        };
        List<Header> headers = new ArrayList<>();
        int headerCount = random.nextInt(3) == 0 ? 0 : random.nextInt(5);
        for (int i = 0; i < headerCount; i++) {
            String name = switch (random.nextInt(4)) {
                case 0 -> "h";
                case 1 -> "h-" + random.nextInt(2000); // more distinct names than the writer caches
                case 2 -> STREAMS[random.nextInt(STREAMS.length)];
                default -> new String(randomUtf8(random, random.nextInt(20), Integer.MAX_VALUE), UTF_8);
            };
            headers.add(new Header(name, randomBytes(random)));
        }
        return new Record(
                randomBytes(random),
                randomBytes(random),
                headers,
                timestamp,
                new SourceCoordinates(stream, partition, sourceOffset),
                new TestingPosition(sourceOffset));
    }

    private static byte @Nullable [] randomBytes(Random random) {
        int length = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 8_000 + random.nextInt(8_000); // around the one-pass limit and the base64 piece
            default -> random.nextInt(200);
        };
        return switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> {
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 2 -> corrupt(random, randomUtf8(random, length, Integer.MAX_VALUE));
            case 3 -> json(random, length);
            default -> randomUtf8(random, length, Integer.MAX_VALUE);
        };
    }

    /** Valid UTF-8 of about {@code chars} code points, many of them needing escapes or several bytes. */
    private static byte[] randomUtf8(Random random, int chars, int maxBytes) {
        int[] edges = {0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF, 0x2028, 0xFEFF};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chars; i++) {
            int codePoint = switch (random.nextInt(12)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> "\"\\\u007F/".charAt(random.nextInt(4));
                case 2 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 3 -> {
                    int c = 0x800 + random.nextInt(0x10000 - 0x800);
                    yield Character.isSurrogate((char) c) ? 0xE000 : c;
                }
                case 4 -> 0x10000 + random.nextInt(0x110000 - 0x10000);
                case 5 -> edges[random.nextInt(edges.length)];
                default -> 0x20 + random.nextInt(0x7F - 0x20);
            };
            text.appendCodePoint(codePoint);
        }
        byte[] bytes = text.toString().getBytes(UTF_8);
        return bytes.length <= maxBytes ? bytes : Arrays.copyOf(bytes, maxBytes); // may cut a character
    }

    /** Mostly valid UTF-8 with one flaw that {@link Utf8#isValid} rejects, somewhere. */
    private static byte[] corrupt(Random random, byte[] valid) {
        byte[][] flaws = {
            {(byte) 0x80}, // a lone continuation byte
            {(byte) 0xC0, (byte) 0x80}, // overlong
            {(byte) 0xC1, (byte) 0xBF},
            {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
            {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xF5},
            {(byte) 0xFF},
            {(byte) 0xE2, (byte) 0x82}, // truncated
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
            {(byte) 0xC3, 0x28},
        };
        byte[] flaw = flaws[random.nextInt(flaws.length)];
        int at = random.nextInt(valid.length + 1);
        byte[] bytes = new byte[valid.length + flaw.length];
        System.arraycopy(valid, 0, bytes, 0, at);
        System.arraycopy(flaw, 0, bytes, at, flaw.length);
        System.arraycopy(valid, at, bytes, at + flaw.length, valid.length - at);
        return bytes;
    }

    private static byte[] json(Random random, int length) {
        StringBuilder json =
                new StringBuilder("{\"id\":").append(random.nextInt()).append(",\"tags\":[]");
        while (json.length() < length) {
            json.append(",\"f")
                    .append(random.nextInt(100))
                    .append("\":\"value ")
                    .append(random.nextInt())
                    .append('"');
        }
        return json.append('}').toString().getBytes(ISO_8859_1);
    }

    /** Our writer and the reference, given the same records, checked after each. */
    private static final class BothWriters {
        final ByteArrayOutputStream ours = new ByteArrayOutputStream();
        final ByteArrayOutputStream jackson = new ByteArrayOutputStream();
        final EnvelopeWriter writer;
        final JacksonEnvelopeWriter reference;

        BothWriters() throws IOException {
            writer = new EnvelopeWriter(ours);
            reference = new JacksonEnvelopeWriter(jackson);
        }

        void write(Record record) throws IOException {
            writer.write(record);
            reference.write(record);
            assertEquals(reference.bytes(), writer.bytes(), () -> "bytes() after " + record);
            assertEquals(reference.records(), writer.records(), () -> "records() after " + record);
        }

        void assertSameOutput(String what) throws IOException {
            writer.close();
            reference.close();
            byte[] expected = jackson.toByteArray();
            byte[] actual = ours.toByteArray();
            int at = Arrays.mismatch(expected, actual);
            if (at >= 0) {
                fail(what + ": the output differs from Jackson's at byte " + at + " of " + expected.length + " ("
                        + actual.length + " written): expected ..." + around(expected, at) + "... but was ..."
                        + around(actual, at) + "...");
            }
            assertArrayEquals(expected, actual);
            assertEquals(expected.length, writer.bytes());
        }

        String lastLine() {
            String text = ours.toString(UTF_8);
            return text.substring(text.lastIndexOf('\n', text.length() - 2) + 1);
        }

        private static String around(byte[] bytes, int at) {
            int from = Math.max(0, at - 40);
            int to = Math.min(bytes.length, at + 40);
            return new String(bytes, from, to - from, ISO_8859_1);
        }
    }

    /** Remembers flushes and whether it was closed. */
    private static final class WatchedStream extends ByteArrayOutputStream {
        int flushes;
        boolean closed;

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
