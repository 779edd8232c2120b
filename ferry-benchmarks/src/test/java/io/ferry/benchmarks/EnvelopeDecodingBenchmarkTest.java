package io.ferry.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.archive.format.EnvelopeDecoding;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EnvelopeDecodingBenchmarkTest {
    @Test
    void bothDecodersReadEveryJsonValueOfTheBatch() throws IOException {
        EnvelopeDecodingBenchmark benchmark = new EnvelopeDecodingBenchmark();
        benchmark.setUp();

        long fast = benchmark.decodeUtf8JsonValues();

        // each value is an EventLines line without its line feed
        assertEquals((long) EnvelopeDecodingBenchmark.BATCH * (EventLines.LINE_BYTES - 1), fast);
        assertEquals(fast, benchmark.decodeUtf8JsonValuesWithJackson());
        assertEquals(fast, EnvelopeDecodingBenchmark.decode(benchmark.utf8Envelopes(), EnvelopeDecoding.JACKSON));
    }

    @Test
    void bothDecodersReadEveryBinaryValueOfTheBatch() throws IOException {
        EnvelopeDecodingBenchmark benchmark = new EnvelopeDecodingBenchmark();
        benchmark.setUp();

        long fast = benchmark.decodeBinaryValues();

        assertEquals((long) EnvelopeDecodingBenchmark.BATCH * EventLines.LINE_BYTES, fast);
        assertEquals(fast, benchmark.decodeBinaryValuesWithJackson());
    }
}
