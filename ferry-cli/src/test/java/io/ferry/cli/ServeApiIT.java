package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.testing.GeneratedFile;
import io.ferry.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeApiIT {
    @TempDir
    Path dir;

    private ServeTesting server;
    private ServeClient api;

    @BeforeEach
    void startServer() throws Exception {
        Files.createDirectories(dir.resolve("tasks"));
        server = startServing();
        api = server.client;
    }

    private ServeTesting startServing() {
        return ServeTesting.start(
                "--state-dir",
                dir.resolve("state").toString(),
                "--tasks",
                dir.resolve("tasks").toString(),
                "--log-format",
                "json",
                "--max-body",
                "64KiB");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static String export(Path from, Path to, long recordsPerSecond) {
        return export(from, to, recordsPerSecond, "256KiB");
    }

    private static String export(Path from, Path to, long recordsPerSecond, String objectSize) {
        return "{\"kind\": \"export\", \"from\": \"" + from + "\", \"to\": \"" + to + "\", \"options\":"
                + " {\"object-size\": \"" + objectSize + "\", \"compression\": \"zstd\"}, \"limits\":"
                + " {\"records_per_second\": " + recordsPerSecond + "}}";
    }

    /** Imports {@code bucket} back and checks it holds exactly {@code input}'s lines. */
    private void assertRoundTrip(GeneratedFile input, Path bucket) throws Exception {
        assertEquals(0, Ferry.run("verify", bucket.toString()).exitCode(), "gaps or overlaps in " + bucket);
        Path restored = dir.resolve("restored-" + bucket.getFileName());
        Ferry.Result result = Ferry.run(
                "import",
                bucket.toString(),
                restored.toString(),
                "--progress",
                "none",
                "--state-dir",
                dir.resolve("import-state").toString());
        assertEquals(0, result.exitCode(), result.err());
        String stream = input.path().getFileName().toString().replace(".jsonl", "");
        assertEquals(-1L, Files.mismatch(input.path(), restored.resolve(stream + ".jsonl")), "restored " + bucket);
    }

    @Test
    void tenJobsRunAtOnceAndEachFinishesWithItsWholeInputAndNothingElse() throws Exception {
        List<GeneratedFile> inputs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            GeneratedFile input = TestData.writeJsonlRecords(dir.resolve("orders" + i + ".jsonl"), 6000 + 500L * i, i);
            inputs.add(input);
            ids.add(api.create(export(input.path(), dir.resolve("bucket" + i), 100)));
        }
        JsonNode running = api.json("/jobs?state=running");
        assertEquals(10, running.size(), "all ten run at once: " + running);
        assertEquals(10, new HashSet<>(ids).size());
        for (String id : ids) {
            ServeClient.Answer unlimited =
                    api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": 0}}");
            assertEquals(200, unlimited.status(), unlimited.body());
        }

        for (int i = 0; i < 10; i++) {
            JsonNode job = api.awaitState(ids.get(i), "succeeded", Duration.ofMinutes(2));
            assertEquals(
                    inputs.get(i).records(), job.get("progress").get("records").asLong(), job.toString());
            assertEquals(100.0, job.get("progress").get("percent").asDouble(), job.toString());
            assertTrue(job.get("splits").get(0).get("positions").size() > 0, "positions: " + job);
            JsonNode report = api.json("/jobs/" + ids.get(i) + "/report");
            assertEquals(inputs.get(i).records(), report.get("records").asLong(), report.toString());
        }
        for (int i = 0; i < 10; i++) {
            assertRoundTrip(inputs.get(i), dir.resolve("bucket" + i));
        }
        assertEquals(10, api.json("/jobs?state=succeeded").size());

        String metrics = api.get("/metrics").body();
        for (int i = 0; i < 10; i++) {
            assertTrue(
                    metrics.contains("ferry_job_records_total{job=\"" + ids.get(i) + "\",kind=\"export\"} "
                            + inputs.get(i).records() + "\n"),
                    metrics);
            assertTrue(
                    metrics.contains(
                            "ferry_job_state{job=\"" + ids.get(i) + "\",kind=\"export\",state=\"succeeded\"} 1"),
                    metrics);
        }

        Set<String> events = new HashSet<>();
        for (String line : server.log().lines().toList()) {
            if (line.startsWith("{")) {
                JsonNode event = ServeClient.JSON.readTree(line);
                if (event.get("job").asText().equals(ids.get(0))) {
                    events.add(event.get("event").asText());
                }
            }
        }
        assertEquals(Set.of("created", "started", "retuned", "succeeded"), events, server.log());
    }

    @Test
    void pauseResumeAndCancelEachActWithinASecondAndAResumedJobLosesAndRepeatsNothing() throws Exception {
        GeneratedFile input = TestData.writeJsonlRecords(dir.resolve("events.jsonl"), 40_000, 7);
        Path bucket = dir.resolve("bucket");
        String id = api.create(export(input.path(), bucket, 4000));
        api.await(
                id,
                Duration.ofSeconds(30),
                "records moving",
                job -> job.get("progress").get("records").asLong() > 0);

        long started = System.nanoTime();
        ServeClient.Answer paused = api.post("/jobs/" + id + "/pause", null);
        long pauseMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, paused.status(), paused.body());
        assertEquals("paused", paused.json().get("state").asText(), paused.body());
        assertTrue(pauseMillis < 1000, "pause took " + pauseMillis + " ms");
        long atPause = api.json("/jobs/" + id).get("progress").get("records").asLong();
        Thread.sleep(700);
        assertEquals(
                atPause, api.json("/jobs/" + id).get("progress").get("records").asLong(), "moved while paused");
        assertEquals(409, api.post("/jobs/" + id + "/pause", null).status());

        started = System.nanoTime();
        ServeClient.Answer resumed = api.post("/jobs/" + id + "/resume", null);
        assertTrue((System.nanoTime() - started) / 1_000_000 < 1000, "resume took too long");
        assertEquals(200, resumed.status(), resumed.body());
        assertEquals("running", resumed.json().get("state").asText());
        api.await(
                id,
                Duration.ofSeconds(30),
                "moving again",
                job -> job.get("progress").get("records").asLong() > atPause);

        ServeClient.Answer retuned = api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": 0}}");
        assertEquals(200, retuned.status(), retuned.body());
        JsonNode done = api.awaitState(id, "succeeded", Duration.ofMinutes(2));
        assertEquals(input.records(), done.get("progress").get("records").asLong());
        assertRoundTrip(input, bucket);

        GeneratedFile other = TestData.writeJsonlRecords(dir.resolve("other.jsonl"), 40_000, 8);
        String cancelled = api.create(export(other.path(), dir.resolve("other-bucket"), 4000));
        api.await(
                cancelled,
                Duration.ofSeconds(30),
                "records moving",
                job -> job.get("progress").get("records").asLong() > 0);
        started = System.nanoTime();
        ServeClient.Answer cancel = api.post("/jobs/" + cancelled + "/cancel", null);
        long cancelMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, cancel.status(), cancel.body());
        assertEquals("cancelled", cancel.json().get("state").asText());
        assertTrue(cancelMillis < 1000, "cancel took " + cancelMillis + " ms");
        assertEquals(409, api.post("/jobs/" + cancelled + "/resume", null).status());
        assertEquals(1, api.json("/jobs?state=cancelled").size());
    }

    @Test
    void aServerStoppedGracefullyPausesItsRunningJobAndResumesItAtTheNextStart() throws Exception {
        GeneratedFile input = TestData.writeJsonlRecords(dir.resolve("nightly.jsonl"), 20_000, 21);
        Path bucket = dir.resolve("bucket");
        String id = api.create(export(input.path(), bucket, 2000));
        api.await(
                id,
                Duration.ofSeconds(30),
                "records moving",
                job -> job.get("progress").get("records").asLong() > 0);
        server.close();
        assertTrue(server.log().contains("\"event\":\"stopped-with-server\""), server.log());

        server = startServing();
        api = server.client;
        JsonNode resumed = api.json("/jobs/" + id);
        assertEquals("running", resumed.get("state").asText(), resumed.toString());
        assertTrue(server.log().contains("\"event\":\"recovered\""), server.log());
        assertEquals(
                200,
                api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": 0}}")
                        .status());
        assertEquals(
                input.records(),
                api.awaitState(id, "succeeded", Duration.ofMinutes(1))
                        .get("progress")
                        .get("records")
                        .asLong());
        assertRoundTrip(input, bucket);
    }

    @Test
    void retuningTheRateLimitChangesTheMeasuredRateWithoutARestart() throws Exception {
        GeneratedFile input = TestData.writeJsonlRecords(dir.resolve("stream.jsonl"), 200_000, 9);
        String id = api.create(export(input.path(), dir.resolve("bucket"), 1000, "16MiB"));
        api.await(
                id,
                Duration.ofSeconds(30),
                "records moving",
                job -> job.get("progress").get("records").asLong() > 0);
        double slow = measureRate(id, Duration.ofSeconds(4));
        assertTrue(slow > 600 && slow < 1400, "at a limit of 1000 records/s the job moved " + slow + " records/s");

        ServeClient.Answer retuned = api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": 5000}}");
        assertEquals(200, retuned.status(), retuned.body());
        assertEquals(
                5000, retuned.json().get("limits").get("records_per_second").asLong());
        assertEquals("running", retuned.json().get("state").asText(), "retuning must not stop the job");
        double fast = measureRate(id, Duration.ofSeconds(4));
        assertTrue(fast > 3500 && fast < 6500, "at a limit of 5000 records/s the job moved " + fast + " records/s");
        JsonNode shown = api.json("/jobs/" + id).get("progress");
        assertTrue(shown.get("records_per_second").asLong() > 3000, "the job's own rate figure: " + shown);
        assertTrue(server.log().contains("\"event\":\"retuned\""), server.log());
        assertEquals(
                1,
                server.log()
                        .lines()
                        .filter(line -> line.contains("\"event\":\"started\""))
                        .count(),
                "the job was restarted");

        ServeClient.Answer bad = api.send(
                "PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": -1}, \"compression\": \"gzip\"}");
        assertEquals(400, bad.status(), bad.body());
        assertEquals(2, bad.json().get("errors").size(), bad.body());
        assertEquals(200, api.post("/jobs/" + id + "/cancel", null).status());
    }

    private double measureRate(String id, Duration window) throws InterruptedException {
        long before = api.json("/jobs/" + id).get("progress").get("records").asLong();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long after = api.json("/jobs/" + id).get("progress").get("records").asLong();
        return (after - before) / ((System.nanoTime() - start) / 1e9);
    }

    @Test
    void withoutTheRightTokenEveryRouteButHealthzAnswers401AndDoesNothing() throws Exception {
        GeneratedFile input = TestData.writeJsonlRecords(dir.resolve("orders.jsonl"), 100, 1);
        String body = export(input.path(), dir.resolve("bucket"), 0);
        for (ServeClient client : List.of(api.withToken(null), api.withToken("wrong"), api.withToken(""))) {
            assertEquals(401, client.post("/jobs", body).status());
            assertEquals(401, client.get("/jobs").status());
            assertEquals(401, client.get("/metrics").status());
            assertEquals(401, client.get("/openapi.json").status());
            assertEquals(401, client.get("/exports").status());
            assertEquals(401, client.post("/exports", null).status());
            assertEquals(200, client.get("/healthz").status());
        }
        assertEquals(0, api.json("/jobs").size(), "a request without the token created a job");
        assertFalse(Files.exists(dir.resolve("bucket")), "a request without the token wrote something");
    }

    @Test
    void oversizedBodiesGet413AndTraversalInTaskNamesGets400() {
        String big = "{\"kind\": \"export\", \"from\": \"" + "x".repeat(70 * 1024) + "\"}";
        assertEquals(413, api.post("/jobs", big).status());
        assertEquals(401, api.withToken(null).post("/jobs", big).status(), "the token is checked first");
        for (String name : List.of("..%2F..%2Fetc%2Fpasswd", "..", "a%2Fb", "%2Fetc")) {
            ServeClient.Answer answer = api.get("/exports/" + name);
            assertEquals(400, answer.status(), name + ": " + answer.body());
            assertEquals(400, api.post("/exports/" + name, null).status(), name);
        }
        assertEquals(404, api.get("/exports/missing").status());
        assertEquals(0, api.json("/jobs").size());
    }

    @Test
    void anInvalidRequestIsRefusedWithEveryBadFieldAndNothingStarts() {
        ServeClient.Answer answer = api.post(
                "/jobs",
                "{\"kind\": \"export\", \"to\": \"-\", \"options\": {\"compression\": \"lz5\", \"bogus\": 1,"
                        + " \"state-dir\": \"/tmp\", \"object-size\": \"huge\"}, \"limits\": {\"records_per_second\":"
                        + " \"fast\"}, \"extra\": true}");
        assertEquals(400, answer.status(), answer.body());
        Set<String> fields = new HashSet<>();
        answer.json()
                .get("errors")
                .forEach(error -> fields.add(error.get("field").asText()));
        assertEquals(
                Set.of(
                        "extra",
                        "from",
                        "to",
                        "options.bogus",
                        "options.state-dir",
                        "options.object-size",
                        "limits.records_per_second"),
                fields,
                answer.body());
        ServeClient.Answer unknownKind = api.post("/jobs", "{\"kind\": \"teleport\"}");
        assertEquals(400, unknownKind.status());
        assertTrue(unknownKind.body().contains("export"), unknownKind.body());
        assertEquals(0, api.json("/jobs").size());
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheServedRoutes() {
        JsonNode doc = api.json("/openapi.json");
        assertTrue(doc.get("openapi").asText().startsWith("3."), doc.toString());
        assertTrue(doc.get("info").has("title") && doc.get("info").has("version"));
        Set<String> documented = new HashSet<>();
        doc.get("paths")
                .properties()
                .forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                    documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                    JsonNode operation = path.getValue().get(method);
                    assertTrue(
                            operation.has("responses")
                                    && operation.get("responses").size() > 0,
                            path.getKey());
                    assertTrue(operation.has("operationId"), path.getKey());
                    long templated = path.getKey().chars().filter(c -> c == '{').count();
                    long declared = 0;
                    for (JsonNode parameter : operation.path("parameters")) {
                        if (parameter.get("in").asText().equals("path")) {
                            declared++;
                            assertTrue(path.getKey()
                                    .contains("{" + parameter.get("name").asText() + "}"));
                        }
                    }
                    assertEquals(templated, declared, "path parameters of " + path.getKey());
                    assertRefsResolve(doc, operation);
                }));
        Set<String> served = Set.of(
                "GET /healthz",
                "GET /",
                "GET /openapi.json",
                "GET /metrics",
                "GET /kinds",
                "POST /jobs",
                "GET /jobs",
                "GET /jobs/{id}",
                "PATCH /jobs/{id}",
                "POST /jobs/{id}/pause",
                "POST /jobs/{id}/resume",
                "POST /jobs/{id}/cancel",
                "GET /jobs/{id}/report",
                "GET /jobs/{id}/events",
                "GET /events",
                "GET /exports",
                "POST /exports",
                "GET /exports/{task}",
                "POST /exports/{task}");
        assertEquals(served, documented);
        for (String route : documented) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1)
                    .replace("{id}", "export-00000000")
                    .replace("{task}", "none");
            if (path.endsWith("events")) {
                continue; // streams; covered by their own test
            }
            ServeClient.Answer answer = api.send(method, path, method.equals("GET") ? null : "{}");
            assertFalse(
                    answer.status() == 404 && answer.body().contains("Nothing is served"),
                    route + " is documented but not served");
            assertTrue(answer.status() != 405, route + " is documented but not served: " + answer.status());
        }
        assertEquals(404, api.get("/not-a-route").status());
    }

    private static void assertRefsResolve(JsonNode doc, JsonNode node) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null) {
                String[] parts = ref.asText().substring(2).split("/", -1);
                JsonNode target = doc;
                for (String part : parts) {
                    target = target.path(part);
                }
                assertFalse(target.isMissingNode(), "dangling " + ref);
                assertRefsResolve(doc, target);
            }
            node.elements().forEachRemaining(child -> assertRefsResolve(doc, child));
        } else if (node.isArray()) {
            node.forEach(child -> assertRefsResolve(doc, child));
        }
    }

    @Test
    void theEventStreamSendsTheJobsProgressUntilItEnds() throws Exception {
        GeneratedFile input = TestData.writeJsonlRecords(dir.resolve("small.jsonl"), 3000, 3);
        String id = api.create(export(input.path(), dir.resolve("bucket"), 2000));
        ServeClient.Answer events = api.get("/jobs/" + id + "/events");
        assertEquals(200, events.status());
        List<JsonNode> data = new ArrayList<>();
        for (String line : events.body().lines().toList()) {
            if (line.startsWith("data: ")) {
                data.add(ServeClient.JSON.readTree(line.substring(6)));
            }
        }
        assertTrue(data.size() >= 2, events.body());
        assertEquals("succeeded", data.get(data.size() - 1).get("state").asText());
        assertEquals(
                input.records(),
                data.get(data.size() - 1).get("progress").get("records").asLong());
        assertTrue(data.get(0).get("progress").get("records").asLong() < input.records(), "no progress seen");
    }
}
