package io.ferry.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.format.Compression;
import io.ferry.archive.format.EnvelopeReader;
import io.ferry.files.LinePosition;
import io.ferry.spi.record.Record;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeEncodingBenchmarkTest {
    @Test
    void utf8JsonValuesBecomeJsonStringsThatDecodeToTheSameBytes() throws IOException {
        EnvelopeEncodingBenchmark benchmark = new EnvelopeEncodingBenchmark();
        benchmark.setUp();

        int written = benchmark.encodeUtf8JsonValues();

        byte[] output = benchmark.output();
        assertEquals(output.length, written);
        String text = new String(output, UTF_8);
        assertTrue(text.startsWith("{\"stream\":\"events\",\"partition\":0,\"offset\":0,"), text.substring(0, 80));
        assertTrue(text.contains("\"value\":\"{\\\"id\\\":0,"), "the value is an escaped JSON string");
        assertEquals(-1, text.indexOf("base64"));
        assertSameValues(benchmark.utf8Records(), decode(output));
    }

    @Test
    void binaryValuesBecomeBase64ThatDecodesToTheSameBytes() throws IOException {
        EnvelopeEncodingBenchmark benchmark = new EnvelopeEncodingBenchmark();
        benchmark.setUp();

        int written = benchmark.encodeBinaryValues();

        byte[] output = benchmark.output();
        assertEquals(output.length, written);
        String text = new String(output, UTF_8);
        long base64Values = text.lines()
                .filter(line -> line.contains("\"value\":{\"base64\":\""))
                .count();
        assertEquals(EnvelopeEncodingBenchmark.BATCH, base64Values);
        assertSameValues(benchmark.binaryRecords(), decode(output));
    }

    private static List<Record> decode(byte[] envelopes) {
        List<Record> records = new ArrayList<>();
        try (EnvelopeReader reader =
                new EnvelopeReader(new ByteArrayInputStream(envelopes), Compression.NONE, "smoke")) {
            for (Optional<Record> next = reader.next((from, n) -> new LinePosition(n, n));
                    next.isPresent();
                    next = reader.next((from, n) -> new LinePosition(n, n))) {
                records.add(next.get());
            }
        }
        return records;
    }

    private static void assertSameValues(List<Record> expected, List<Record> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).from(), actual.get(i).from());
            assertArrayEquals(expected.get(i).value(), actual.get(i).value(), "value of record " + i);
        }
    }
}
