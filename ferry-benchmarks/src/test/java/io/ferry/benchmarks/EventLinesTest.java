package io.ferry.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLinesTest {
    @TempDir
    Path dir;

    @Test
    void everyLineIsOneKibibyteOfJsonEndingInALineFeed() throws IOException {
        EventLines lines = new EventLines(1);
        JsonFactory json = new JsonFactory();
        for (int i = 0; i < 2000; i++) {
            byte[] line = lines.next();
            assertEquals(EventLines.LINE_BYTES, line.length);
            assertEquals('\n', line[line.length - 1]);
            String text = new String(line, 0, line.length - 1, UTF_8);
            assertFalse(text.contains("\n"), text);
            try (JsonParser parser = json.createParser(text)) {
                assertEquals(JsonToken.START_OBJECT, parser.nextToken());
                parser.skipChildren();
                assertEquals(null, parser.nextToken(), "one JSON object per line: " + text);
            }
        }
    }

    @Test
    void writesTheRequestedLinesAndTheSameLinesForTheSameSeed() throws IOException {
        Path first = dir.resolve("a.jsonl");
        Path second = dir.resolve("b.jsonl");
        EventLines.writeFile(first, 3000, 9);
        EventLines.writeFile(second, 3000, 9);
        assertEquals(3000L * EventLines.LINE_BYTES, Files.size(first));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        List<String> read = Files.readAllLines(first, UTF_8);
        assertEquals(3000, read.size());
        assertFalse(Files.exists(dir.resolve("a.jsonl.partial")), "the temporary file is renamed");
    }
}
