package io.ferry.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDataTest {
    private final Path directory;

    TestDataTest(@TempDir Path directory) {
        this.directory = directory;
    }

    @Test
    void writesTheAskedNumberOfJsonLines() throws IOException {
        GeneratedFile file = TestData.writeJsonlRecords(directory.resolve("a.jsonl"), 10_000, 1);
        List<String> lines = Files.readAllLines(file.path(), UTF_8);
        assertEquals(10_000, file.records());
        assertEquals(10_000, lines.size());
        assertEquals(Files.size(file.path()), file.bytes());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith("{\"id\":" + i + ",") && line.endsWith("}"), line);
        }
    }

    @Test
    void writesWholeLinesUpToAtLeastTheAskedSize() throws IOException {
        GeneratedFile file = TestData.writeJsonlBytes(directory.resolve("b.jsonl"), 3_000_000, 2);
        long size = Files.size(file.path());
        assertEquals(size, file.bytes());
        assertTrue(size >= 3_000_000 && size < 3_000_000 + 512, "size " + size);
        assertEquals(file.records(), Files.readAllLines(file.path(), UTF_8).size());
    }

    @Test
    void isDeterministicForASeed() throws IOException {
        GeneratedFile a = TestData.writeJsonlRecords(directory.resolve("a.jsonl"), 1_000, 9);
        GeneratedFile b = TestData.writeJsonlRecords(directory.resolve("b.jsonl"), 1_000, 9);
        assertArrayEquals(Files.readAllBytes(a.path()), Files.readAllBytes(b.path()));
    }

    @Test
    void joinsLinesWithOrWithoutAFinalLineFeed() {
        List<byte[]> lines = List.of("a".getBytes(UTF_8), new byte[0], "b\r".getBytes(UTF_8));
        assertEquals("a\n\nb\r\n", new String(TestData.lines(lines, true), UTF_8));
        assertEquals("a\n\nb\r", new String(TestData.lines(lines, false), UTF_8));
        assertEquals(0, TestData.lines(List.of(), false).length);
    }
}
