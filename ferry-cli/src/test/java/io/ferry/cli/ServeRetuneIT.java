package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.testing.GeneratedFile;
import io.ferry.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PATCH of a running export's object size and concurrency takes effect without a restart. */
class ServeRetuneIT {
    @TempDir
    Path dir;

    @Test
    void retuningTheObjectSizeChangesTheObjectsARunningExportWrites() throws Exception {
        GeneratedFile input = TestData.writeJsonlRecords(dir.resolve("events.jsonl"), 60_000, 11);
        Path bucket = dir.resolve("bucket");
        try (ServeTesting server =
                ServeTesting.start("--state-dir", dir.resolve("state").toString(), "--log-format", "json")) {
            ServeClient api = server.client;
            String id = api.create("{\"kind\": \"export\", \"from\": \"" + input.path() + "\", \"to\": \"" + bucket
                    + "\", \"options\": {\"object-size\": \"64MiB\"}, \"limits\": {\"records_per_second\": 8000}}");
            api.await(
                    id,
                    Duration.ofSeconds(30),
                    "records moving",
                    job -> job.get("progress").get("records").asLong() > 0);
            long objectsBefore = objectsWrittenDuring(bucket, Duration.ofMillis(1500));

            ServeClient.Answer retuned =
                    api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"object_size_bytes\": 16384}}");
            assertEquals(200, retuned.status(), retuned.body());
            assertEquals(
                    16384, retuned.json().get("limits").get("object_size_bytes").asLong(), retuned.body());
            assertEquals("running", retuned.json().get("state").asText(), "retuning must not stop the job");
            long objectsAfter = objectsWrittenDuring(bucket, Duration.ofMillis(1500));
            assertTrue(
                    objectsAfter >= 30 && objectsAfter > 4 * (objectsBefore + 1),
                    "objects finished in 1.5 s: " + objectsBefore + " at 64 MiB, " + objectsAfter + " at 16 KiB");

            assertEquals(
                    200,
                    api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": 0}}")
                            .status());
            JsonNode done = api.awaitState(id, "succeeded", Duration.ofMinutes(2));
            assertEquals(input.records(), done.get("progress").get("records").asLong(), done.toString());
            assertEquals(
                    1,
                    server.log()
                            .lines()
                            .filter(line -> line.contains("\"event\":\"started\""))
                            .count(),
                    "the job was restarted: " + server.log());
        }

        assertEquals(0, Ferry.run("verify", bucket.toString()).exitCode(), "gaps or overlaps in " + bucket);
        Path restored = dir.resolve("restored");
        Ferry.Result imported = Ferry.run(
                "import",
                bucket.toString(),
                restored.toString(),
                "--progress",
                "none",
                "--state-dir",
                dir.resolve("import-state").toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertEquals(-1L, Files.mismatch(input.path(), restored.resolve("events.jsonl")), "restored bucket");
    }

    @Test
    void retuningTheConcurrencyChangesHowManySplitsRunAtOnce() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        List<GeneratedFile> inputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inputs.add(TestData.writeJsonlRecords(in.resolve("part" + i + ".jsonl"), 2500, 100 + i));
        }
        Path bucket = dir.resolve("bucket");
        try (ServeTesting server =
                ServeTesting.start("--state-dir", dir.resolve("state").toString())) {
            ServeClient api = server.client;
            String id = api.create("{\"kind\": \"export\", \"from\": \"" + in + "\", \"to\": \"" + bucket
                    + "\", \"options\": {\"parallelism\": 1}, \"limits\": {\"records_per_second\": 2000}}");
            api.await(
                    id,
                    Duration.ofSeconds(30),
                    "records moving",
                    job -> job.get("progress").get("records").asLong() > 0);
            int most = 0;
            for (int i = 0; i < 10; i++) {
                most = Math.max(most, runningSplits(api.json("/jobs/" + id)));
                Thread.sleep(100);
            }
            assertEquals(1, most, "splits at once with parallelism 1");

            ServeClient.Answer retuned = api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"concurrency\": 4}}");
            assertEquals(200, retuned.status(), retuned.body());
            assertEquals(4, retuned.json().get("limits").get("concurrency").asInt(), retuned.body());
            JsonNode four = api.await(id, Duration.ofSeconds(5), "four splits at once", job -> runningSplits(job) == 4);
            assertEquals("running", four.get("state").asText());
            ServeClient.Answer tooMany = api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"concurrency\": -2}}");
            assertEquals(400, tooMany.status(), tooMany.body());

            assertEquals(
                    200,
                    api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": 0}}")
                            .status());
            JsonNode done = api.awaitState(id, "succeeded", Duration.ofMinutes(2));
            assertEquals(8 * 2500, done.get("progress").get("records").asLong(), done.toString());
        }
        assertEquals(0, Ferry.run("verify", bucket.toString()).exitCode(), "gaps or overlaps in " + bucket);
        Path restored = dir.resolve("restored");
        Ferry.Result imported = Ferry.run(
                "import",
                bucket.toString(),
                restored.toString(),
                "--progress",
                "none",
                "--state-dir",
                dir.resolve("import-state").toString());
        assertEquals(0, imported.exitCode(), imported.err());
        for (GeneratedFile input : inputs) {
            assertEquals(
                    -1L,
                    Files.mismatch(input.path(), restored.resolve(input.path().getFileName())),
                    "restored " + input.path().getFileName());
        }
    }

    private static int runningSplits(JsonNode job) {
        int running = 0;
        for (JsonNode split : job.path("splits")) {
            if (split.get("state").asText().equals("running")) {
                running++;
            }
        }
        return running;
    }

    /** How many objects (manifests) appear in {@code bucket} over {@code window}. */
    private static long objectsWrittenDuring(Path bucket, Duration window) throws Exception {
        long before = manifests(bucket);
        Thread.sleep(window.toMillis());
        return manifests(bucket) - before;
    }

    private static long manifests(Path bucket) throws IOException {
        if (!Files.isDirectory(bucket)) {
            return 0;
        }
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(bucket)) {
                return files.filter(file -> file.getFileName().toString().endsWith(".manifest.json"))
                        .count();
            } catch (UncheckedIOException e) {
                // a temporary file of the running export vanished during the walk; walk again
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
