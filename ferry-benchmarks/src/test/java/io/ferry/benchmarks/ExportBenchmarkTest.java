package io.ferry.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreFiveRoundsOfOneGibibyteInTmp() {
        ExportBenchmark.Options options = ExportBenchmark.Options.parse();

        assertEquals(Path.of("/tmp/ferry-bench"), options.workDir());
        assertEquals(5, options.rounds());
        assertEquals(1024, options.sizeMiB());
        assertEquals(Path.of("/tmp/ferry-bench/results.md"), options.results());
        assertEquals("128m", options.xmx());
    }

    @Test
    void rejectsAnUnknownOptionAndANegativeCount() {
        assertThrows(IllegalArgumentException.class, () -> ExportBenchmark.Options.parse("--round", "5"));
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> ExportBenchmark.Options.parse("--rounds", "-1"));
        assertTrue(String.valueOf(negative.getMessage()).contains("--rounds"), negative.getMessage());
    }

    @Test
    void reusesOnlyAFileOfTheRightSizeThatThisGeneratorWrote() throws IOException {
        Path data = dir.resolve("events.jsonl");
        EventLines.writeFile(data, 10, 20251122);

        assertTrue(ExportBenchmark.isRightSized(data, 10 * EventLines.LINE_BYTES));
        assertFalse(ExportBenchmark.isRightSized(data, 11 * EventLines.LINE_BYTES));
        EventLines.writeFile(data, 10, 1);
        assertFalse(ExportBenchmark.isRightSized(data, 10 * EventLines.LINE_BYTES), "another seed");
        Files.delete(data);
        assertFalse(ExportBenchmark.isRightSized(data, 10 * EventLines.LINE_BYTES));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.0, ExportBenchmark.median(List.of(3.0, 1.0, 2.0), Double::doubleValue));
        assertEquals(2.5, ExportBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0), Double::doubleValue));
    }
}
