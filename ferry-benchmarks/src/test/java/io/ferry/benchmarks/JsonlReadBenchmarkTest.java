package io.ferry.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class JsonlReadBenchmarkTest {
    @Test
    void readsEveryLineOfTheFileAsOneValueWithoutItsLineFeed() throws IOException {
        JsonlReadBenchmark benchmark = new JsonlReadBenchmark();
        benchmark.fileMiB = 2;
        benchmark.setUp();
        try {
            long bytes = benchmark.readWholeFile();

            assertEquals(2048, benchmark.records());
            assertEquals(2048L * (EventLines.LINE_BYTES - 1), bytes);
        } finally {
            benchmark.tearDown();
        }
    }
}
