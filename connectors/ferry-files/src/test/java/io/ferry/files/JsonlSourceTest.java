package io.ferry.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import io.ferry.testing.GeneratedFile;
import io.ferry.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSourceTest {
    private final Path directory;

    JsonlSourceTest(@TempDir Path directory) {
        this.directory = directory;
    }

    @Test
    void readsEachLineAsOneRecordWithLineNumbersAsOffsets() throws IOException {
        Path file = Files.writeString(directory.resolve("orders.jsonl"), "{\"a\":1}\n\n{\"b\":2}\r\n");
        JsonlSource source = new JsonlSource(file);
        assertEquals(List.of(new Split("orders.jsonl", "orders", 0)), source.plan());
        List<Record> records = TestFiles.readAll(source);
        assertEquals(3, records.size());
        assertEquals("{\"a\":1}", new String(records.get(0).value(), UTF_8));
        assertEquals("", new String(records.get(1).value(), UTF_8));
        assertEquals("{\"b\":2}\r", new String(records.get(2).value(), UTF_8));
        for (int i = 0; i < 3; i++) {
            Record record = records.get(i);
            assertEquals(i, record.offset());
            assertEquals("orders", record.from().stream());
            assertNull(record.key());
            assertEquals(Record.NO_TIMESTAMP, record.timestamp());
            assertEquals(List.of(), record.headers());
        }
        assertEquals(new LinePosition(8, 1), records.get(0).position());
        assertEquals(new LinePosition(9, 2), records.get(1).position());
        assertEquals(new LinePosition(18, 3), records.get(2).position());
    }

    @Test
    void marksOnlyAnUnterminatedLastLine() throws IOException {
        Path file = Files.writeString(directory.resolve("x.jsonl"), "1\n2");
        List<Record> records = TestFiles.readAll(new JsonlSource(file));
        assertEquals(List.of(), records.get(0).headers());
        assertEquals(
                List.of(Header.of("ferry.line-terminator", "none")),
                records.get(1).headers());
        assertEquals(new LinePosition(3, 2), records.get(1).position());
    }

    @Test
    void readsNoRecordsFromAnEmptyFile() throws IOException {
        Path file = Files.createFile(directory.resolve("empty.jsonl"));
        JsonlSource source = new JsonlSource(file);
        assertEquals(List.of(), TestFiles.readAll(source));
        assertEquals(
                Optional.of(new SplitSize(0, SplitSize.Unit.BYTES)),
                source.size(source.plan().getFirst()));
    }

    @Test
    void readsGzipAndZstdFilesAndSizesThemInCompressedBytes() throws IOException {
        byte[] content = TestData.lines(List.of("{\"a\":1}".getBytes(UTF_8), new byte[0], "x".getBytes(UTF_8)), true);
        Path gz = TestFiles.gzip(directory.resolve("a.jsonl.gz"), content);
        Path zst = TestFiles.zstd(directory.resolve("b.ndjson.zst"), content);
        for (Path file : List.of(gz, zst)) {
            JsonlSource source = new JsonlSource(file);
            Split split = source.plan().getFirst();
            assertEquals(file.getFileName().toString(), split.id());
            List<Record> records = TestFiles.readAll(source);
            assertEquals(3, records.size(), file.toString());
            assertArrayEquals("x".getBytes(UTF_8), records.get(2).value());
            assertEquals(new LinePosition(content.length, 3), records.get(2).position());
            long compressedSize = Files.size(file);
            assertEquals(Optional.of(new SplitSize(compressedSize, SplitSize.Unit.BYTES)), source.size(split));
            try (SourceReader<LinePosition> reader = source.open(split, Optional.empty())) {
                while (!reader.read(Duration.ZERO).end()) {
                    // read to the end
                }
                assertEquals(compressedSize, reader.progress(), file.toString());
            }
        }
    }

    @Test
    void resumesACompressedFileAfterAGivenLine() throws IOException {
        Path file = TestFiles.gzip(directory.resolve("a.jsonl.gz"), "one\ntwo\nthree\n".getBytes(UTF_8));
        JsonlSource source = new JsonlSource(file);
        List<Record> rest = TestFiles.readAll(source, source.plan().getFirst(), Optional.of(new LinePosition(8, 2)));
        assertEquals(1, rest.size());
        assertEquals(2, rest.getFirst().offset());
        assertArrayEquals("three".getBytes(UTF_8), rest.getFirst().value());
    }

    @Test
    void resumingAnUncompressedFileSeeksWithoutReadingWhatCameBefore() throws IOException {
        GeneratedFile generated = TestData.writeJsonlRecords(directory.resolve("big.jsonl"), 50_000, 1);
        JsonlSource source = new JsonlSource(generated.path());
        Split split = source.plan().getFirst();
        List<Record> all = TestFiles.readAll(source);
        Record cut = all.get(30_000);
        LinePosition position = (LinePosition) cut.position();

        // Replace everything before the position but its last line feed: lines, numbers and all.
        try (FileChannel channel = FileChannel.open(generated.path(), StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[(int) position.byteOffset() - 1];
            Arrays.fill(garbage, (byte) 0xff);
            channel.write(ByteBuffer.wrap(garbage), 0);
        }
        try (SourceReader<LinePosition> reader = source.open(split, Optional.of(position))) {
            assertEquals(position.byteOffset(), reader.progress(), "progress starts at the position");
        }
        List<Record> rest = TestFiles.readAll(source, split, Optional.of(position));
        assertEquals(all.subList(30_001, all.size()), rest);
    }

    @Test
    void refusesToResumeWhereNoLineEnds() throws IOException {
        Path file = Files.writeString(directory.resolve("a.jsonl"), "one\ntwo\n");
        JsonlSource source = new JsonlSource(file);
        FerryException error = assertThrows(
                FerryException.class, () -> source.open(source.plan().getFirst(), Optional.of(new LinePosition(2, 1))));
        assertEquals(StandardErrorCode.CANNOT_RESUME, error.code());
        assertTrue(TestFiles.message(error).contains("no line ends there"), TestFiles.message(error));

        FerryException beyond = assertThrows(
                FerryException.class,
                () -> source.open(source.plan().getFirst(), Optional.of(new LinePosition(100, 1))));
        assertEquals(StandardErrorCode.CANNOT_RESUME, beyond.code());
        assertTrue(TestFiles.message(beyond).contains("only 8 bytes"), TestFiles.message(beyond));
    }

    @Test
    void refusesALineLongerThanTheMaximumNamingFileLineLengthAndOption() throws IOException {
        Path file = directory.resolve("wide.jsonl");
        Files.write(file, TestData.lines(List.of(new byte[10], new byte[5_000], new byte[10]), true));
        JsonlSource source = new JsonlSource(file, 1_000);
        FerryException error = assertThrows(FerryException.class, () -> TestFiles.readAll(source));
        assertEquals(StandardErrorCode.BAD_RECORD, error.code());
        String message = TestFiles.message(error);
        assertTrue(message.contains("line 2 of " + file), message);
        assertTrue(message.contains("5000 bytes"), message);
        assertTrue(message.contains("maximum of 1000 bytes"), message);
        assertTrue(message.contains("--max-line-size"), message);
    }

    @Test
    void refusesACompressionSuffixThatTheContentDoesNotHave() throws IOException {
        Path fakeGzip = Files.writeString(directory.resolve("a.jsonl.gz"), "{}\n");
        FerryException error = assertThrows(FerryException.class, () -> new JsonlSource(fakeGzip).plan());
        assertEquals(StandardErrorCode.BAD_RECORD, error.code());
        assertTrue(TestFiles.message(error).contains("1f 8b"), TestFiles.message(error));

        Path hiddenZstd = TestFiles.zstd(directory.resolve("b.jsonl"), "{}\n".getBytes(UTF_8));
        FerryException hidden = assertThrows(FerryException.class, () -> new JsonlSource(hiddenZstd).plan());
        assertTrue(TestFiles.message(hidden).contains("rename it to b.jsonl.zst"), TestFiles.message(hidden));
    }

    @Test
    void reportsATruncatedCompressedFileWithItsNameAndLine() throws IOException {
        byte[] content = TestData.lines(
                java.util.stream.IntStream.range(0, 20_000)
                        .mapToObj(i -> ("{\"n\":" + i + "}").getBytes(UTF_8))
                        .toList(),
                true);
        for (Path file : List.of(
                TestFiles.gzip(directory.resolve("t.jsonl.gz"), content),
                TestFiles.zstd(directory.resolve("t.jsonl.zst"), content))) {
            byte[] compressed = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(compressed, compressed.length / 2));
            FerryException error = assertThrows(FerryException.class, () -> TestFiles.readAll(new JsonlSource(file)));
            assertEquals(StandardErrorCode.BAD_RECORD, error.code(), TestFiles.message(error));
            assertTrue(TestFiles.message(error).contains(file.toString()), TestFiles.message(error));
            assertTrue(TestFiles.message(error).contains("near line "), TestFiles.message(error));
        }
    }

    @Test
    void plansOneSplitPerDataFileOfADirectoryInPathOrder() throws IOException {
        Files.createDirectories(directory.resolve("sub/deeper"));
        Files.writeString(directory.resolve("b.ndjson"), "1\n");
        Files.writeString(directory.resolve("a.jsonl"), "1\n");
        Files.writeString(directory.resolve("sub/deeper/c.json"), "1\n");
        TestFiles.gzip(directory.resolve("sub/d.jsonl.gz"), "1\n".getBytes(UTF_8));
        Files.writeString(directory.resolve("notes.txt"), "ignored\n");
        Files.writeString(directory.resolve("data.csv"), "ignored\n");
        JsonlSource source = new JsonlSource(directory);
        assertEquals(
                List.of(
                        new Split("a.jsonl", "a", 0),
                        new Split("b.ndjson", "b", 0),
                        new Split("sub/d.jsonl.gz", "sub/d", 0),
                        new Split("sub/deeper/c.json", "sub/deeper/c", 0)),
                source.plan());
        assertEquals(4, TestFiles.readAll(source).size());
    }

    @Test
    void refusesTwoFilesOfOneStream() throws IOException {
        Files.writeString(directory.resolve("a.jsonl"), "1\n");
        Files.writeString(directory.resolve("a.ndjson"), "1\n");
        FerryException error = assertThrows(FerryException.class, () -> new JsonlSource(directory).plan());
        assertEquals(StandardErrorCode.BAD_OPTION, error.code());
        assertTrue(TestFiles.message(error).contains("a.jsonl and a.ndjson"), TestFiles.message(error));
    }

    @Test
    void reportsAMissingPath() {
        FerryException error =
                assertThrows(FerryException.class, () -> new JsonlSource(directory.resolve("nope.jsonl")).plan());
        assertEquals(StandardErrorCode.NOT_FOUND, error.code());
    }

    @Test
    void readsStandardInputPlainOrCompressedButOnlyOnceAndNeverResumes() throws IOException {
        byte[] content = "a\nb\n".getBytes(UTF_8);
        Path gz = TestFiles.gzip(directory.resolve("in.gz"), content);
        for (byte[] input : List.of(content, Files.readAllBytes(gz))) {
            JsonlSource source = JsonlSource.stdin(new ByteArrayInputStream(input));
            assertEquals(List.of(JsonlSource.STDIN_SPLIT), source.plan());
            assertEquals(Optional.empty(), source.size(JsonlSource.STDIN_SPLIT));
            assertEquals(
                    List.of("a", "b"),
                    TestFiles.values(TestFiles.readAll(source)).stream()
                            .map(v -> new String(v, UTF_8))
                            .toList());
            FerryException again = assertThrows(FerryException.class, () -> TestFiles.readAll(source));
            assertEquals(StandardErrorCode.CANNOT_RESUME, again.code());
        }
        JsonlSource source = JsonlSource.stdin(new ByteArrayInputStream(content));
        FerryException resume = assertThrows(
                FerryException.class, () -> source.open(JsonlSource.STDIN_SPLIT, Optional.of(new LinePosition(2, 1))));
        assertEquals(StandardErrorCode.CANNOT_RESUME, resume.code());
        assertTrue(TestFiles.message(resume).contains("as a file"), TestFiles.message(resume));
    }

    @Test
    void batchesAtMostAThousandLines() throws IOException {
        GeneratedFile generated = TestData.writeJsonlRecords(directory.resolve("g.jsonl"), 2_500, 3);
        JsonlSource source = new JsonlSource(generated.path());
        try (SourceReader<LinePosition> reader = source.open(source.plan().getFirst(), Optional.empty())) {
            assertEquals(1_000, reader.read(Duration.ZERO).records().size());
            assertEquals(1_000, reader.read(Duration.ZERO).records().size());
            var last = reader.read(Duration.ZERO);
            assertEquals(500, last.records().size());
            assertTrue(last.end(), "the batch that reaches the end of the file says so");
            assertEquals(generated.bytes(), reader.progress());
        }
    }
}
