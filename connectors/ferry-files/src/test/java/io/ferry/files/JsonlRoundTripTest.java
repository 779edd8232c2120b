package io.ferry.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.source.Split;
import io.ferry.testing.TestData;
import io.ferry.testing.TestRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a JSONL file and writing its records back gives the same bytes. */
class JsonlRoundTripTest {
    private final Path directory;

    JsonlRoundTripTest(@TempDir Path directory) {
        this.directory = directory;
    }

    private static List<byte[]> awkwardLines() {
        return List.of(
                "{\"plain\":1}".getBytes(UTF_8),
                new byte[0],
                new byte[0],
                "{\"crlf\":true}\r".getBytes(UTF_8),
                "{\"name\":\"caf\u00e9 \u65e5\u672c \ud83d\ude00\"}".getBytes(UTF_8),
                new byte[] {
                    '{', '"', (byte) 0xff, (byte) 0xc0, (byte) 0xaf, (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'
                },
                "\r".getBytes(UTF_8),
                TestRecords.longLine(8 << 20, 11),
                "{\"after\":\"long\"}".getBytes(UTF_8),
                "{\"last\":true}".getBytes(UTF_8));
    }

    @Test
    void writesBackTheExactBytesOfAFileWithATerminatedLastLine() throws IOException {
        assertRoundTrip(TestData.lines(awkwardLines(), true));
    }

    @Test
    void writesBackTheExactBytesOfAFileWithAnUnterminatedLastLine() throws IOException {
        assertRoundTrip(TestData.lines(awkwardLines(), false));
    }

    @Test
    void writesBackTheExactBytesOfAFileEndingInABareCarriageReturn() throws IOException {
        assertRoundTrip("a\r\nb\r".getBytes(UTF_8));
    }

    @Test
    void writesBackAnEmptyFileAsAnEmptyFile() throws IOException {
        assertRoundTrip(new byte[0]);
    }

    @Test
    void writesBackTheExactBytesOfACompressedFileDecompressed() throws IOException {
        byte[] content = TestData.lines(awkwardLines(), false);
        Path input = TestFiles.zstd(directory.resolve("in.jsonl.zst"), content);
        Path output = directory.resolve("out.jsonl");
        copy(new JsonlSource(input), new JsonlSink(output, false));
        assertArrayEquals(content, Files.readAllBytes(output));
    }

    @Test
    void copiesADirectoryTreeFileByFile() throws IOException {
        Path in = Files.createDirectories(directory.resolve("in/nested"));
        Files.writeString(in.resolve("a.jsonl"), "1\n2\n");
        Files.writeString(in.resolve("b.ndjson"), "3\r\n4");
        TestFiles.gzip(in.resolve("c.json.gz"), "5\n".getBytes(UTF_8));
        Path out = directory.resolve("out");
        copy(new JsonlSource(directory.resolve("in")), new JsonlSink(out, false));
        assertEquals("1\n2\n", Files.readString(out.resolve("nested/a.jsonl")));
        assertEquals("3\r\n4", Files.readString(out.resolve("nested/b.jsonl")));
        assertEquals("5\n", Files.readString(out.resolve("nested/c.jsonl")));
    }

    private void assertRoundTrip(byte[] content) throws IOException {
        Path input = Files.write(directory.resolve("in.jsonl"), content);
        Path output = directory.resolve("out.jsonl");
        Files.deleteIfExists(output);
        copy(new JsonlSource(input), new JsonlSink(output, false));
        byte[] written = Files.readAllBytes(output);
        assertEquals(content.length, written.length, "length");
        assertArrayEquals(content, written);
    }

    private static void copy(JsonlSource source, JsonlSink sink) {
        for (Split split : source.plan()) {
            List<Record> records = TestFiles.readAll(source, split, Optional.empty());
            try (SinkWriter writer = sink.open(new SinkContext("copy", split, false), Optional.empty())) {
                writer.write(records);
                writer.flush(true);
            }
        }
    }
}
