package io.ferry.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaBenchmarkTest {
    @Test
    void defaultsAreThreeRoundsOfOneGibibyteOverSixPartitionsWithFerryAt256MiB() {
        KafkaBenchmark.Options options = KafkaBenchmark.Options.parse("--repo", "/repo");

        assertEquals(Path.of("/tmp/kafka-bench"), options.workDir());
        assertEquals(3, options.rounds());
        assertEquals(1024, options.sizeMiB());
        assertEquals(6, options.partitions());
        assertEquals("256m", options.xmx());
        assertEquals(Path.of("/repo/ferry-benchmarks/target/kafka-bench-lib"), options.lib());
        assertNull(options.ferryJar());
        assertEquals(List.of(), options.ferryArgs());
        assertEquals(List.of(), options.ferryJvmArgs());
        assertTrue(options.launcher());
        assertEquals(Path.of("/tmp/kafka-bench/results.md"), options.results());
    }

    @Test
    void takesEveryOption() {
        KafkaBenchmark.Options options = KafkaBenchmark.Options.parse(
                "--work-dir",
                "/w",
                "--rounds",
                "5",
                "--size-mib",
                "256",
                "--partitions",
                "12",
                "--xmx",
                "128m",
                "--lib",
                "/lib",
                "--ferry-jar",
                "/f.jar",
                "--results",
                "/r.md",
                "--ferry-arg",
                "--parallelism=6",
                "--ferry-arg",
                "--s3-parts-in-flight=4",
                "--ferry-jvm-arg",
                "-XX:+UseSerialGC",
                "--launch",
                "jar");

        assertEquals(Path.of("/w"), options.workDir());
        assertEquals(5, options.rounds());
        assertEquals(256, options.sizeMiB());
        assertEquals(12, options.partitions());
        assertEquals("128m", options.xmx());
        assertEquals(Path.of("/lib"), options.lib());
        assertEquals(Path.of("/f.jar"), options.ferryJar());
        assertEquals(Path.of("/r.md"), options.results());
        assertEquals(List.of("--parallelism=6", "--s3-parts-in-flight=4"), options.ferryArgs());
        assertEquals(List.of("-XX:+UseSerialGC"), options.ferryJvmArgs());
        assertFalse(options.launcher());
    }

    @Test
    void rejectsAnUnknownOptionAMissingValueAndZeroRounds() {
        assertThrows(IllegalArgumentException.class, () -> KafkaBenchmark.Options.parse("--round", "5"));
        assertThrows(IllegalArgumentException.class, () -> KafkaBenchmark.Options.parse("--rounds"));
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> KafkaBenchmark.Options.parse("--rounds", "0"));
        assertTrue(String.valueOf(zero.getMessage()).contains("--rounds"), zero.getMessage());
        IllegalArgumentException word =
                assertThrows(IllegalArgumentException.class, () -> KafkaBenchmark.Options.parse("--size-mib", "lots"));
        assertTrue(String.valueOf(word.getMessage()).contains("'lots'"), word.getMessage());
        IllegalArgumentException launch =
                assertThrows(IllegalArgumentException.class, () -> KafkaBenchmark.Options.parse("--launch", "exec"));
        assertTrue(String.valueOf(launch.getMessage()).contains("'exec'"), launch.getMessage());
    }

    @Test
    void quotesForTheShellOnlyWhatNeedsIt() {
        assertEquals("/tmp/kafka-bench/values.zst", KafkaBenchmark.shellQuote("/tmp/kafka-bench/values.zst"));
        assertEquals("'/lib/*'", KafkaBenchmark.shellQuote("/lib/*"));
        assertEquals("'it'\\''s'", KafkaBenchmark.shellQuote("it's"));
    }

    @Test
    void aValueIsAnEventLineWithoutItsLineFeed() {
        byte[] line = new EventLines(1).next();

        assertEquals(line.length - 1, KafkaBenchmark.VALUE_BYTES);
        assertEquals('\n', line[line.length - 1]);
    }
}
