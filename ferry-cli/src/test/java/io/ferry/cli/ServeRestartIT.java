package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.testing.GeneratedFile;
import io.ferry.testing.TestData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeRestartIT {
    private static final String TOKEN = "restart-test-token-42";

    @TempDir
    Path dir;

    @Test
    void aServerKilledDuringTwoRunningJobsResumesBothOnRestartWithNothingLostOrDuplicated() throws Exception {
        GeneratedFile first = TestData.writeJsonlRecords(dir.resolve("first.jsonl"), 60_000, 11);
        GeneratedFile second = TestData.writeJsonlRecords(dir.resolve("second.jsonl"), 50_000, 12);
        int port = freePort();
        ServeClient api = new ServeClient("http://127.0.0.1:" + port, TOKEN);

        Process server = startServer(port, dir.resolve("first-run.log"));
        List<String> ids = new ArrayList<>();
        String pausedId;
        try {
            awaitHealthy(api, server);
            for (GeneratedFile input : List.of(first, second)) {
                ids.add(api.create("{\"kind\": \"export\", \"from\": \"" + input.path() + "\", \"to\": \""
                        + dir.resolve("bucket-" + input.path().getFileName()) + "\", \"options\": {\"object-size\":"
                        + " \"128KiB\"}, \"limits\": {\"records_per_second\": 4000}}"));
            }
            for (String id : ids) {
                api.await(
                        id,
                        Duration.ofSeconds(60),
                        "well under way",
                        job -> job.get("progress").get("records").asLong() > 8000);
            }
            for (String id : ids) {
                assertEquals("running", api.json("/jobs/" + id).get("state").asText());
            }
            GeneratedFile third = TestData.writeJsonlRecords(dir.resolve("third.jsonl"), 30_000, 13);
            pausedId = api.create("{\"kind\": \"export\", \"from\": \"" + third.path() + "\", \"to\": \""
                    + dir.resolve("bucket-third") + "\", \"limits\": {\"records_per_second\": 2000}}");
            api.await(
                    pausedId,
                    Duration.ofSeconds(30),
                    "moving",
                    job -> job.get("progress").get("records").asLong() > 0);
            assertEquals(200, api.post("/jobs/" + pausedId + "/pause", null).status());
        } finally {
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no pause, no checkpoint on the way out
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, server.exitValue(), "the server was not killed by SIGKILL");

        Process restarted = startServer(port, dir.resolve("second-run.log"));
        try {
            awaitHealthy(api, restarted);
            JsonNode jobs = api.json("/jobs");
            assertEquals(3, jobs.size(), jobs.toString());
            JsonNode paused = api.json("/jobs/" + pausedId);
            assertEquals("paused", paused.get("state").asText(), "a paused job must stay paused: " + paused);
            for (String id : ids) {
                JsonNode job = api.json("/jobs/" + id);
                assertEquals("running", job.get("state").asText(), "not resumed: " + job);
                assertTrue(job.get("progress").get("records").asLong() > 0, "progress lost: " + job);
                ServeClient.Answer faster =
                        api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": 0}}");
                assertEquals(200, faster.status(), faster.body());
            }
            assertEquals(
                    first.records(),
                    api.awaitState(ids.get(0), "succeeded", Duration.ofMinutes(2))
                            .get("progress")
                            .get("records")
                            .asLong());
            assertEquals(
                    second.records(),
                    api.awaitState(ids.get(1), "succeeded", Duration.ofMinutes(2))
                            .get("progress")
                            .get("records")
                            .asLong());
            assertEquals("paused", api.json("/jobs/" + pausedId).get("state").asText());
            String log = Files.readString(dir.resolve("second-run.log"));
            assertTrue(log.contains("recovered"), log);
        } finally {
            restarted.destroy();
            assertTrue(restarted.waitFor(60, TimeUnit.SECONDS));
        }

        for (GeneratedFile input : List.of(first, second)) {
            Path bucket = dir.resolve("bucket-" + input.path().getFileName());
            Ferry.Result verify = Ferry.run("verify", bucket.toString());
            assertEquals(0, verify.exitCode(), verify.out() + verify.err());
            String stream = input.path().getFileName().toString().replace(".jsonl", "");
            Path restored = dir.resolve("restored-" + stream);
            Ferry.Result imported = Ferry.run(
                    "import",
                    bucket.toString(),
                    restored.toString(),
                    "--progress",
                    "none",
                    "--state-dir",
                    dir.resolve("import-state").toString());
            assertEquals(0, imported.exitCode(), imported.err());
            assertEquals(-1L, Files.mismatch(input.path(), restored.resolve(stream + ".jsonl")));
        }
    }

    private Process startServer(int port, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(
                "serve",
                "--port",
                Integer.toString(port),
                "--state-dir",
                dir.resolve("state").toString(),
                "--tasks",
                dir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("FERRY_API_TOKEN", TOKEN);
        return builder.start();
    }

    private static void awaitHealthy(ServeClient api, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue());
            }
            try {
                if (api.get("/healthz").status() == 200) {
                    return;
                }
            } catch (AssertionError notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not start listening");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
