package io.ferry.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands' behaviour on small real files: options, errors, stdin and stdout, jobs. */
class CommandLineTest {
    @TempDir
    Path dir;

    private String state() {
        return dir.resolve("state").toString();
    }

    private Path exportSample(String name, String content) throws Exception {
        Path input = Files.writeString(dir.resolve(name + ".jsonl"), content);
        Path bucket = dir.resolve("bucket");
        Ferry.Result result =
                Ferry.run("export", input.toString(), bucket.toString(), "--progress", "none", "--state-dir", state());
        assertEquals(0, result.exitCode(), result.err());
        return bucket;
    }

    private static Path onlyObject(Path bucket) throws Exception {
        try (Stream<Path> files = Files.walk(bucket)) {
            return files.filter(path -> path.toString().endsWith(".jsonl.zst"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void aBadCompressionLevelNamesTheOptionTheValueAndTheRange() throws Exception {
        Path input = Files.writeString(dir.resolve("a.jsonl"), "{}\n");
        Ferry.Result result = Ferry.run(
                "export",
                input.toString(),
                dir.resolve("bucket").toString(),
                "--compression-level",
                "99",
                "--state-dir",
                state());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("99") && result.err().contains("level"), result.err());
    }

    @Test
    void aBadSizeIsRefusedWithAnExample() throws Exception {
        Path input = Files.writeString(dir.resolve("a.jsonl"), "{}\n");
        Ferry.Result result = Ferry.run(
                "export",
                input.toString(),
                dir.resolve("bucket").toString(),
                "--object-size",
                "lots",
                "--state-dir",
                state());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("'lots'") && result.err().contains("64MiB"), result.err());
    }

    @Test
    void exportWithoutADestinationSaysHowToNameOne() throws Exception {
        Path input = Files.writeString(dir.resolve("a.jsonl"), "{}\n");
        Ferry.Result result = Ferry.run("export", input.toString(), "--state-dir", state());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--to"), result.err());
    }

    @Test
    void exportReadsStandardInputAndImportWritesStandardOutput() throws Exception {
        InputStream originalIn = System.in;
        try {
            System.setIn(new ByteArrayInputStream("{\"a\":1}\n{\"b\":2}\n".getBytes(UTF_8)));
            Ferry.Result export = Ferry.run(
                    "export", "-", dir.resolve("bucket").toString(), "--progress", "none", "--state-dir", state());
            assertEquals(0, export.exitCode(), export.err());
        } finally {
            System.setIn(originalIn);
        }
        Ferry.Result imported = Ferry.run(
                "import", dir.resolve("bucket").toString(), "-", "--progress", "none", "--state-dir", state());
        assertEquals(0, imported.exitCode(), imported.err());
        assertEquals("{\"a\":1}\n{\"b\":2}\n", imported.out());
    }

    @Test
    void importAsEnvelopesKeepsCoordinates() throws Exception {
        Path bucket = exportSample("orders", "{\"id\":1}\n{\"id\":2}\n");
        Ferry.Result imported = Ferry.run(
                "import", bucket.toString(), "-", "--format", "envelope", "--progress", "none", "--state-dir", state());
        assertEquals(0, imported.exitCode(), imported.err());
        String[] lines = imported.out().lines().toArray(String[]::new);
        assertEquals(2, lines.length);
        assertTrue(
                lines[1].contains("\"stream\":\"orders\"")
                        && lines[1].contains("\"offset\":1")
                        && lines[1].contains("\"value\":\"{\\\"id\\\":2}\""),
                lines[1]);
    }

    @Test
    void envelopesImportedToAFileExportBackWithKeysAndHeadersAndBadLinesAreSetAside() throws Exception {
        Path bucket = exportSample("orders", "{\"id\":1}\n{\"id\":2}\n");
        Path envelopes = dir.resolve("envelopes.jsonl");
        assertEquals(
                0,
                Ferry.run(
                                "import",
                                bucket.toString(),
                                envelopes.toString(),
                                "--format",
                                "envelope",
                                "--progress",
                                "none",
                                "--state-dir",
                                state())
                        .exitCode());
        Files.writeString(
                envelopes,
                "not json\n{\"stream\":\"x\",\"partition\":0,\"offset\":9,\"timestamp\":1700000000000,"
                        + "\"key\":\"k\",\"value\":\"v\",\"headers\":[{\"name\":\"h\",\"value\":\"1\"}]}\n",
                java.nio.file.StandardOpenOption.APPEND);

        Ferry.Result failed = Ferry.run(
                "export",
                envelopes.toString(),
                dir.resolve("b2").toString(),
                "--input-format",
                "envelope",
                "--progress",
                "none",
                "--state-dir",
                state());
        assertEquals(2, failed.exitCode(), failed.err());
        assertTrue(
                failed.err().contains("envelopes.jsonl line 3") && failed.err().contains("--on-bad-record"),
                failed.err());

        Path rejected = dir.resolve("rejected.jsonl");
        Ferry.Result exported = Ferry.run(
                "export",
                envelopes.toString(),
                dir.resolve("b3").toString(),
                "--input-format",
                "envelope",
                "--on-bad-record",
                "dead-letter=" + rejected,
                "--progress",
                "none",
                "--state-dir",
                state());
        assertEquals(0, exported.exitCode(), exported.err());
        assertTrue(exported.err().contains("Set aside 1 line"), exported.err());
        String deadLetters = Files.readString(rejected);
        assertTrue(deadLetters.contains("\"line\":3") && deadLetters.contains("\"text\":\"not json\""), deadLetters);

        Ferry.Result back = Ferry.run(
                "import",
                dir.resolve("b3").toString(),
                "-",
                "--format",
                "envelope",
                "--progress",
                "none",
                "--state-dir",
                state());
        String[] lines = back.out().lines().toArray(String[]::new);
        assertEquals(3, lines.length, back.out());
        assertTrue(lines[0].contains("\"value\":\"{\\\"id\\\":1}\""), lines[0]);
        assertTrue(
                lines[2].contains("\"key\":\"k\"")
                        && lines[2].contains("\"timestamp\":1700000000000")
                        && lines[2].contains("{\"name\":\"h\",\"value\":\"1\"}"),
                lines[2]);
    }

    @Test
    void aSecondJobExportingTheSameStreamIntoTheBucketIsRefusedAndTheArchiveStaysWhole() throws Exception {
        Path bucket = exportSample("orders", "{\"id\":1}\n{\"id\":2}\n");
        Path input = dir.resolve("orders.jsonl");
        Ferry.Result refused = Ferry.run(
                "export",
                input.toString(),
                bucket.toString(),
                "--name",
                "orders-again",
                "--progress",
                "none",
                "--state-dir",
                state());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("written by job '"), refused.err());
        assertTrue(refused.err().contains("job 'orders-again' would write the same stream partition"), refused.err());
        assertTrue(refused.err().contains("Export under another prefix"), refused.err());

        Ferry.Result verify = Ferry.run("verify", bucket.toString());
        assertEquals(0, verify.exitCode(), verify.out());
        assertTrue(verify.out().contains("2 records"), verify.out());
    }

    @Test
    void aMalformedPartitionMapIsRefusedNamingThePair() throws Exception {
        Path bucket = exportSample("orders", "{\"id\":1}\n");
        for (String map : List.of("0:1:2", "0:1,2", "0:x")) {
            Ferry.Result refused = Ferry.run(
                    "import",
                    bucket.toString(),
                    "kafka://127.0.0.1:1/orders",
                    "--partition-map",
                    map,
                    "--progress",
                    "none",
                    "--state-dir",
                    state());
            assertEquals(2, refused.exitCode(), refused.err());
            assertTrue(refused.err().contains("--partition-map must be FROM:TO pairs, got '"), refused.err());
        }
    }

    @Test
    void importRefusesToOverwriteAFileItDidNotWrite() throws Exception {
        Path bucket = exportSample("orders", "{\"id\":1}\n");
        Path target = dir.resolve("restored");
        Files.createDirectories(target);
        Files.writeString(target.resolve("orders.jsonl"), "precious\n");
        Ferry.Result refused =
                Ferry.run("import", bucket.toString(), target.toString(), "--progress", "none", "--state-dir", state());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("--overwrite"), refused.err());
        assertEquals("precious\n", Files.readString(target.resolve("orders.jsonl")));

        Ferry.Result overwritten = Ferry.run(
                "import",
                bucket.toString(),
                target.toString(),
                "--overwrite",
                "--progress",
                "none",
                "--state-dir",
                state());
        assertEquals(0, overwritten.exitCode(), overwritten.err());
        assertEquals("{\"id\":1}\n", Files.readString(target.resolve("orders.jsonl")));
    }

    @Test
    void aTruncatedObjectFailsTheImportNamingTheObjectAndVerifyReportsIt() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            content.append("{\"id\":")
                    .append(i)
                    .append(",\"pad\":\"")
                    .append(Integer.toHexString(i * 7919))
                    .append("\"}\n");
        }
        Path bucket = exportSample("orders", content.toString());
        Path object = onlyObject(bucket);
        byte[] bytes = Files.readAllBytes(object);
        Files.write(object, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Ferry.Result imported = Ferry.run(
                "import",
                bucket.toString(),
                dir.resolve("restored").toString(),
                "--progress",
                "none",
                "--state-dir",
                state());
        assertEquals(2, imported.exitCode(), imported.err());
        assertTrue(imported.err().contains(bucket.relativize(object).toString()), imported.err());

        Ferry.Result verify = Ferry.run("verify", bucket.toString());
        assertEquals(1, verify.exitCode());
        assertTrue(verify.out().contains("PROBLEM"), verify.out());
    }

    @Test
    void jobsListAndShowTellStateProgressPositionsAndTheLastError() throws Exception {
        Path bucket = exportSample("orders", "{\"id\":1}\n{\"id\":2}\n");
        Ferry.Result list = Ferry.run("jobs", "list", "--state-dir", state());
        assertEquals(0, list.exitCode());
        assertTrue(list.out().contains("export-orders-") && list.out().contains("SUCCEEDED"), list.out());
        String name = list.out()
                .lines()
                .filter(line -> line.startsWith("export-orders-"))
                .findFirst()
                .orElseThrow()
                .split("\\s+", -1)[0];

        Ferry.Result show = Ferry.run("jobs", "show", name, "--state-dir", state());
        assertEquals(0, show.exitCode());
        assertTrue(show.out().contains("100.0%") && show.out().contains("offset 1"), show.out());

        Files.delete(onlyObject(bucket));
        Ferry.Result failed = Ferry.run(
                "import",
                bucket.toString(),
                dir.resolve("restored").toString(),
                "--progress",
                "none",
                "--state-dir",
                state());
        assertTrue(failed.exitCode() != 0, failed.err());
        String importJob = Ferry.run("jobs", "list", "--state-dir", state())
                .out()
                .lines()
                .filter(line -> line.startsWith("import-"))
                .findFirst()
                .orElseThrow()
                .split("\\s+", -1)[0];
        Ferry.Result shownFailure = Ferry.run("jobs", "show", importJob, "--state-dir", state());
        assertTrue(shownFailure.out().contains("FAILED") && shownFailure.out().contains("Error:"), shownFailure.out());
    }

    @Test
    void theResultsFileReportsCountsPositionsAndFailuresGroupedByReason() throws Exception {
        Path streams = Files.createDirectories(dir.resolve("streams"));
        Files.writeString(streams.resolve("a.jsonl"), "{\"n\":1}\n{\"n\":2}\n");
        Files.writeString(streams.resolve("b.jsonl"), "{\"n\":3}\n");
        Path results = dir.resolve("run.json");
        Ferry.Result ok = Ferry.run(
                "export",
                streams.toString(),
                dir.resolve("bucket").toString(),
                "--results-file",
                results.toString(),
                "--progress",
                "none",
                "--state-dir",
                state());
        assertEquals(0, ok.exitCode(), ok.err());
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(results.toFile());
        assertEquals("SUCCEEDED", report.get("state").asText());
        assertEquals(3, report.get("records").asLong());
        assertEquals(2, report.get("splits").size());
        assertEquals(2, report.get("splits").get(0).get("recordsThisRun").asLong());
        assertTrue(report.get("splits").get(0).get("positions").toString().contains("b="), report.toString());
        assertTrue(report.get("durationMillis").asLong() >= 0);

        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        Files.write(corrupt.resolve("x.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0});
        Files.write(corrupt.resolve("y.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0});
        Files.writeString(corrupt.resolve("z.jsonl"), "{}\n");
        Path failedResults = dir.resolve("failed.json");
        Ferry.Result failed = Ferry.run(
                "export",
                corrupt.toString(),
                dir.resolve("bucket2").toString(),
                "--results-file",
                failedResults.toString(),
                "--progress",
                "none",
                "--state-dir",
                state());
        assertEquals(2, failed.exitCode(), failed.err());
        var failedReport = new com.fasterxml.jackson.databind.ObjectMapper().readTree(failedResults.toFile());
        assertEquals("FAILED", failedReport.get("state").asText());
        assertEquals(1, failedReport.get("records").asLong(), "the healthy split still ran");
        var failures = failedReport.get("failures");
        assertEquals(1, failures.size(), "one cause, one group: " + failedReport);
        int counted = 0;
        for (var group : failures) {
            counted += group.get("count").asInt();
            assertEquals("USER_INPUT", group.get("kind").asText());
        }
        assertEquals(2, counted, failedReport.toString());
    }

    @Test
    void resumeOfAnUnknownJobNamesTheListCommand() {
        Ferry.Result result = Ferry.run("resume", "no-such-job", "--state-dir", state());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("ferry jobs list"), result.err());
    }

    @Test
    void resumeRebuildsTheOriginalCommand() throws Exception {
        Path input = Files.writeString(dir.resolve("events.jsonl"), "{\"n\":1}\n{\"n\":2}\n");
        Path bucket = dir.resolve("bucket");
        // Register the job without running it to the end: a failing destination (a file where a directory belongs).
        Files.writeString(dir.resolve("blocked"), "x");
        Ferry.Result failed = Ferry.run(
                "export",
                input.toString(),
                dir.resolve("blocked").toString(),
                "--name",
                "ev",
                "--progress",
                "none",
                "--state-dir",
                state());
        assertTrue(failed.exitCode() != 0, failed.err());
        Files.delete(dir.resolve("blocked"));
        Ferry.Result resumed = Ferry.run("resume", "ev", "--progress", "none", "--state-dir", state());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(Files.isDirectory(dir.resolve("blocked").resolve("events")), "exported where the job said");
        assertTrue(!Files.exists(bucket));
    }
}
