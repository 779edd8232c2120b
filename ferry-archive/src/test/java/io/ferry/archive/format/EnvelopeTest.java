package io.ferry.archive.format;

import static io.ferry.archive.TestingAssertions.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.archive.TestingRecords.TestingPosition;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeTest {
    private static final EnvelopeReader.Positions POSITIONS = (from, n) -> new TestingPosition(from.offset());

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Record record(long offset, byte[] key, byte[] value, List<Header> headers, long timestamp) {
        return new Record(
                key,
                value,
                headers,
                timestamp,
                new SourceCoordinates("orders", 3, offset),
                new TestingPosition(offset));
    }

    private static Record nullRecord(long offset) {
        return new Record(
                null,
                null,
                List.of(new Header("h", null)),
                Record.NO_TIMESTAMP,
                new SourceCoordinates("orders", 3, offset),
                new TestingPosition(offset));
    }

    private static List<Record> awkwardRecords() {
        byte[] invalid = {(byte) 0xC3, 0x28, (byte) 0xFF, 0, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        byte[] big = new byte[8 * 1024 * 1024];
        new Random(7).nextBytes(big);
        byte[] bigText = utf8("ünïcödé line\r\n\"quoted\" \\ tab\t ".repeat(8 * 1024 * 1024 / 36));
        List<Record> records = new ArrayList<>();
        records.add(nullRecord(0));
        records.add(record(1, new byte[0], new byte[0], List.of(), 0));
        records.add(
                record(2, utf8("plain"), utf8("{\"json\": [1, 2]}"), List.of(Header.of("a", "1")), 1_700_000_000_000L));
        records.add(record(3, utf8("日本語"), utf8("emoji 😀 and U+2028 \u2028 and nul \0"), List.of(), 5));
        records.add(record(4, invalid, invalid, List.of(new Header("bin", invalid)), 6));
        records.add(record(5, utf8("crlf"), utf8("line one\r\nline two\rthree\n"), List.of(), 7));
        records.add(record(
                6,
                utf8("dup"),
                utf8("v"),
                List.of(Header.of("h", "1"), Header.of("h", "2"), Header.of("other", ""), Header.of("h", "1")),
                8));
        records.add(record(7, utf8("big-binary"), big, List.of(), 9));
        records.add(record(8, utf8("big-text"), bigText, List.of(), 10));
        return records;
    }

    /** The records as one stored object: envelopes through {@code compression}. */
    static byte[] write(List<Record> records, Compression compression) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream compressor = compression.compress(stored, compression.defaultLevel());
                EnvelopeWriter writer = new EnvelopeWriter(compressor)) {
            for (Record record : records) {
                writer.write(record);
            }
        }
        return stored.toByteArray();
    }

    private static List<Record> read(byte[] stored, Compression compression) {
        List<Record> records = new ArrayList<>();
        try (EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(stored), compression, "k")) {
            for (Optional<Record> next = reader.next(POSITIONS); next.isPresent(); next = reader.next(POSITIONS)) {
                records.add(next.get());
            }
        }
        return records;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsAwkwardBytesExactly(Compression compression) throws IOException {
        List<Record> records = awkwardRecords();
        assertEquals(records, read(write(records, compression), compression));
    }

    @Test
    void writesOneDocumentedJsonObjectPerLine() throws IOException {
        Record record = record(12, utf8("k"), utf8("v\n"), List.of(Header.of("h", "v")), 1_700_000_000_000L);
        byte[] invalid = {(byte) 0xFF};
        String text = new String(
                write(List.of(record, nullRecord(13), record(14, invalid, invalid, List.of(), 0)), Compression.NONE),
                StandardCharsets.UTF_8);
        assertEquals("""
                {"stream":"orders","partition":3,"offset":12,"timestamp":1700000000000,"key":"k","value":"v\\n","headers":[{"name":"h","value":"v"}]}
                {"stream":"orders","partition":3,"offset":13,"timestamp":null,"key":null,"value":null,"headers":[{"name":"h","value":null}]}
                {"stream":"orders","partition":3,"offset":14,"timestamp":0,"key":{"base64":"/w=="},"value":{"base64":"/w=="},"headers":[]}
                """, text);
    }

    @Test
    void countsUncompressedBytesIncludingBuffered() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EnvelopeWriter writer = new EnvelopeWriter(out)) {
            writer.write(record(1, utf8("k"), utf8("v"), List.of(), 0));
            long counted = writer.bytes();
            writer.finish();
            assertEquals(out.size(), counted);
            assertEquals(1, writer.records());
        }
    }

    @Test
    void rejectsAMalformedLineNamingObjectAndLine() throws IOException {
        byte[] good = write(List.of(record(1, utf8("k"), utf8("v"), List.of(), 0)), Compression.NONE);
        byte[] stored = (new String(good, StandardCharsets.UTF_8) + "{\"stream\":\"orders\",\"partition\":3,\n")
                .getBytes(StandardCharsets.UTF_8);
        FerryException e = assertThrows(FerryException.class, () -> read(stored, Compression.NONE));
        assertEquals(StandardErrorCode.BAD_ARCHIVE, e.code());
        assertMessageContains(e, "'k' line 2");
    }

    @Test
    void rejectsAnEnvelopeWithoutOffset() {
        byte[] stored = utf8("{\"stream\":\"orders\",\"partition\":3}\n");
        FerryException e = assertThrows(FerryException.class, () -> read(stored, Compression.NONE));
        assertEquals(StandardErrorCode.BAD_ARCHIVE, e.code());
        assertMessageContains(e, "line 1");
    }

    @Test
    void rejectsTwoEnvelopesOnOneLine() throws IOException {
        byte[] one = write(List.of(record(1, utf8("k"), utf8("v"), List.of(), 0)), Compression.NONE);
        String line = new String(one, StandardCharsets.UTF_8).strip();
        FerryException e =
                assertThrows(FerryException.class, () -> read(utf8(line + " " + line + "\n"), Compression.NONE));
        assertMessageContains(e, "one envelope per line");
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"ZSTD", "GZIP"})
    void reportsATruncatedCompressedObjectAsBadArchive(Compression compression) throws IOException {
        byte[] stored = write(TestingRecordsForFormat.many(2000), compression);
        byte[] truncated = Arrays.copyOf(stored, stored.length / 2);
        FerryException e = assertThrows(FerryException.class, () -> read(truncated, compression));
        assertEquals(StandardErrorCode.BAD_ARCHIVE, e.code());
        assertMessageContains(e, "'k'");
    }

    /** Enough varied records that a compressed object spans several blocks. */
    private static final class TestingRecordsForFormat {
        static List<Record> many(int count) {
            Random random = new Random(1);
            List<Record> records = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                records.add(record(i, utf8("k" + i), utf8("value " + random.nextLong() + " " + i), List.of(), i));
            }
            return records;
        }
    }
}
