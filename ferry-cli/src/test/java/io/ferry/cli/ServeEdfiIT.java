package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.testing.edfi.TestingEdFiApi;
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

/** Ed-Fi commands as served jobs, against a real (testing) Ed-Fi API. */
class ServeEdfiIT {
    private static final String RESOURCE = "localEducationAgencies";

    @TempDir
    Path dir;

    private Path inside;
    private TestingEdFiApi edfi;
    private ServeTesting server;
    private ServeClient api;

    @BeforeEach
    void start() throws Exception {
        inside = Files.createDirectories(dir.resolve("inside"));
        edfi = TestingEdFiApi.start();
        server = ServeTesting.start("--state-dir", dir.resolve("state").toString(), "--data-root", inside.toString());
        api = server.client;
    }

    @AfterEach
    void stop() {
        server.close();
        edfi.close();
    }

    /** Writes {@code records} payloads and a YAML file whose client secret comes from params; returns the file. */
    private Path project(String name, int records, int poolSize) throws Exception {
        Path data = Files.createDirectories(inside.resolve(name).resolve("data"));
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= records; i++) {
            lines.add("{\"localEducationAgencyId\": " + (100_000 + i) + ", \"nameOfInstitution\": \"District " + i
                    + "\", \"localEducationAgencyCategoryDescriptor\":"
                    + " \"uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Charter\","
                    + " \"categories\": [{\"educationOrganizationCategoryDescriptor\":"
                    + " \"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency\"}]}");
        }
        Files.write(data.resolve(RESOURCE + ".jsonl"), lines);
        return Files.writeString(
                inside.resolve(name).resolve("lightbeam.yaml"),
                "state_dir: " + inside.resolve(name).resolve("state") + "\n"
                        + "data_dir: ./data\n"
                        + "connection:\n"
                        + "  pool_size: " + poolSize + "\n"
                        + "edfi_api:\n"
                        + "  base_url: " + edfi.baseUrl() + "\n"
                        + "  mode: shared_instance\n"
                        + "  client_id: " + edfi.clientId() + "\n"
                        + "  client_secret: ${EDFI_SECRET}\n");
    }

    private String send(Path config) {
        return "{\"kind\": \"edfi-send\", \"options\": {\"config\": \"" + config + "\", \"selector\": \"" + RESOURCE
                + "\", \"params\": {\"EDFI_SECRET\": \"" + edfi.clientSecret() + "\"}}}";
    }

    @Test
    void aSendJobDeliversEveryRecordAndASecondJobSkipsThemAll() throws Exception {
        Path config = project("first", 30, 4);
        String id = api.create(send(config));
        JsonNode done = api.awaitState(id, "succeeded", Duration.ofSeconds(60));
        assertEquals(30, edfi.postCount(RESOURCE), done.toString());
        assertEquals(30, edfi.count(RESOURCE));
        assertEquals(30, done.get("progress").get("done").asLong(), done.toString());
        assertEquals(30, done.get("progress").get("total").asLong(), done.toString());
        JsonNode report = api.json("/jobs/" + id + "/report");
        assertEquals(30, report.get("total_records_processed").asLong(), report.toString());
        assertEquals(0, report.get("total_records_skipped").asLong(), report.toString());
        assertEquals(
                30,
                report.get("resources").get(RESOURCE).get("records_processed").asLong(),
                report.toString());

        String again = api.create(send(config));
        api.awaitState(again, "succeeded", Duration.ofSeconds(60));
        assertEquals(30, edfi.postCount(RESOURCE), "nothing is sent twice");
        JsonNode second = api.json("/jobs/" + again + "/report");
        assertEquals(30, second.get("total_records_skipped").asLong(), second.toString());

        String count = api.create(send(config).replace("edfi-send", "edfi-count"));
        api.awaitState(count, "succeeded", Duration.ofSeconds(60));
        JsonNode counted = api.json("/jobs/" + count + "/report");
        assertEquals(30, counted.get("resources").get(RESOURCE).asLong(), counted.toString());

        String everything = api.get("/jobs").body() + api.get("/jobs/" + id).body() + server.log();
        assertFalse(everything.contains(edfi.clientSecret()), "the client secret shows: " + everything);
    }

    @Test
    void aRequestWithBadFieldsGets400ListingEveryOneAndNothingStarts() throws Exception {
        Path good = project("good", 1, 1);
        Path outside = Files.writeString(dir.resolve("outside.yaml"), Files.readString(good));
        Path badValue = Files.writeString(
                inside.resolve("bad.yaml"), Files.readString(good).replace("pool_size: 1", "pool_size: many"));

        ServeClient.Answer answer = api.post(
                "/jobs",
                "{\"kind\": \"edfi-send\", \"from\": \"/x\", \"options\": {\"bogus\": 1, \"force\": \"yes\","
                        + " \"older-than\": \"last tuesday\", \"resend-status-codes\": \"40x\"}}");
        assertEquals(400, answer.status(), answer.body());
        assertEquals(
                Set.of(
                        "from",
                        "options.bogus",
                        "options.force",
                        "options.older-than",
                        "options.resend-status-codes",
                        "options.config"),
                fields(answer),
                answer.body());

        ServeClient.Answer outsideRoot = api.post("/jobs", send(outside));
        assertEquals(400, outsideRoot.status(), outsideRoot.body());
        assertEquals(Set.of("options.config"), fields(outsideRoot));
        assertTrue(outsideRoot.body().contains("--data-root"), outsideRoot.body());

        ServeClient.Answer yaml = api.post("/jobs", send(badValue));
        assertEquals(400, yaml.status(), yaml.body());
        assertEquals(Set.of("options.config"), fields(yaml));
        assertTrue(yaml.body().contains("pool_size"), yaml.body());

        ServeClient.Answer delete = api.post("/jobs", send(good).replace("edfi-send", "edfi-delete"));
        assertEquals(400, delete.status(), delete.body());
        assertEquals(Set.of("options.yes"), fields(delete));

        assertEquals(0, api.json("/jobs").size());
        assertEquals(0, edfi.postCount(RESOURCE));
    }

    private static Set<String> fields(ServeClient.Answer answer) {
        Set<String> fields = new HashSet<>();
        answer.json()
                .get("errors")
                .forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    @Test
    void aSendPausedMidwayAndResumedDeliversEveryRecordExactlyOnce() throws Exception {
        int records = 120;
        Path config = project("paused", records, 1);
        edfi.faults().stall(Duration.ofMillis(100), 10_000);
        String id = api.create(send(config));
        api.await(
                id,
                Duration.ofSeconds(60),
                "some records sent",
                job -> job.get("progress").get("done").asLong() >= 10);
        ServeClient.Answer paused = api.post("/jobs/" + id + "/pause", null);
        assertEquals(200, paused.status(), paused.body());
        JsonNode job = api.awaitState(id, "paused", Duration.ofSeconds(30));
        long sentBeforePause = edfi.postCount(RESOURCE);
        assertTrue(sentBeforePause > 0 && sentBeforePause < records, "paused midway: " + sentBeforePause + " " + job);
        Thread.sleep(500);
        assertEquals(sentBeforePause, edfi.postCount(RESOURCE), "nothing is sent while paused");

        edfi.faults().clear();
        assertEquals(200, api.post("/jobs/" + id + "/resume", null).status());
        api.awaitState(id, "succeeded", Duration.ofSeconds(60));
        assertEquals(records, edfi.postCount(RESOURCE), "each record is posted exactly once");
        assertEquals(records, edfi.count(RESOURCE));
        JsonNode report = api.json("/jobs/" + id + "/report");
        assertEquals(sentBeforePause, report.get("total_records_skipped").asLong(), report.toString());
        assertEquals(records, report.get("total_records_processed").asLong(), report.toString());
    }

    @Test
    void aSendRunningWhenTheServerStopsResumesAtTheNextStartAndSendsEachRecordOnce() throws Exception {
        int records = 120;
        Path config = project("restarted", records, 1);
        edfi.faults().stall(Duration.ofMillis(100), 10_000);
        String id = api.create(send(config));
        api.await(
                id,
                Duration.ofSeconds(60),
                "some records sent",
                job -> job.get("progress").get("done").asLong() >= 10);
        server.close();
        long sentBeforeStop = edfi.postCount(RESOURCE);
        assertTrue(sentBeforeStop > 0 && sentBeforeStop < records, "stopped midway: " + sentBeforeStop);

        edfi.faults().clear();
        server = ServeTesting.start("--state-dir", dir.resolve("state").toString(), "--data-root", inside.toString());
        api = server.client;
        api.awaitState(id, "succeeded", Duration.ofSeconds(60));
        assertEquals(records, edfi.postCount(RESOURCE), "each record is posted exactly once");
        assertEquals(records, edfi.count(RESOURCE));
    }

    @Test
    void aCancelledSendStopsSending() throws Exception {
        Path config = project("cancelled", 120, 1);
        edfi.faults().stall(Duration.ofMillis(100), 10_000);
        String id = api.create(send(config));
        api.await(
                id,
                Duration.ofSeconds(60),
                "some records sent",
                job -> job.get("progress").get("done").asLong() > 0);
        ServeClient.Answer cancelled = api.post("/jobs/" + id + "/cancel", null);
        assertEquals(200, cancelled.status(), cancelled.body());
        api.awaitState(id, "cancelled", Duration.ofSeconds(10));
        long sent = edfi.postCount(RESOURCE);
        Thread.sleep(500);
        assertEquals(sent, edfi.postCount(RESOURCE), "nothing is sent after the cancel");
        assertTrue(sent < 120, "cancelled midway: " + sent);
    }

    @Test
    void validateAndDeleteJobsCheckAndRemoveThePayloads() throws Exception {
        Path config = project("checked", 10, 2);
        // the testing API holds no descriptor values: check the payloads against the resource schemas
        Path schemaOnly = Files.writeString(
                config.resolveSibling("schema-only.yaml"), Files.readString(config) + "validate:\n  methods: schema\n");
        String validate = api.create(send(schemaOnly).replace("edfi-send", "edfi-validate"));
        api.awaitState(validate, "succeeded", Duration.ofSeconds(60));
        JsonNode validated = api.json("/jobs/" + validate + "/report");
        assertEquals(0, validated.get("total_records_failed").asLong(), validated.toString());
        assertEquals(0, edfi.postCount(RESOURCE), "validate sends nothing");

        Path data = inside.resolve("checked").resolve("data").resolve(RESOURCE + ".jsonl");
        Files.writeString(data, Files.readString(data) + "{not json\n");
        String invalid = api.create(send(schemaOnly).replace("edfi-send", "edfi-validate"));
        JsonNode failed = api.awaitState(invalid, "failed", Duration.ofSeconds(60));
        assertTrue(failed.get("last_error").asText().contains("1 payloads have problems"), failed.toString());
        Files.writeString(data, Files.readString(data).replace("{not json\n", ""));

        api.awaitState(api.create(send(config)), "succeeded", Duration.ofSeconds(60));
        assertEquals(10, edfi.count(RESOURCE));
        String request = send(config).replace("edfi-send", "edfi-delete");
        String delete = api.create(request.replace("\"selector\"", "\"yes\": true, \"selector\""));
        api.awaitState(delete, "succeeded", Duration.ofSeconds(60));
        assertEquals(
                0, edfi.count(RESOURCE), api.json("/jobs/" + delete + "/report").toString());
    }

    @Test
    void aSendFollowsItsLiveRateLimit() throws Exception {
        int records = 200;
        Path config = project("paced", records, 1);
        String request = send(config);
        String id =
                api.create(request.substring(0, request.length() - 1) + ", \"limits\": {\"records_per_second\": 10}}");
        api.await(
                id,
                Duration.ofSeconds(30),
                "records sent",
                job -> job.get("progress").get("done").asLong() > 0);
        Thread.sleep(2000);
        long sent = edfi.postCount(RESOURCE);
        // at 10 records/s: the first second's budget, two seconds, and the payloads in flight
        assertTrue(sent > 0 && sent <= 40, "sent in about 2 s at 10 records/s: " + sent);

        long retuned = System.nanoTime();
        assertEquals(
                200,
                api.send("PATCH", "/jobs/" + id, "{\"limits\": {\"records_per_second\": 0}}")
                        .status());
        api.awaitState(id, "succeeded", Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - retuned) / 1e9;
        assertTrue(seconds < 8, "the rest (at 10 records/s " + (records - sent) / 10 + " s) took " + seconds + " s");
        assertEquals(records, edfi.postCount(RESOURCE));
    }

    @Test
    void theEdfiKindsAreServedAndDocumented() {
        JsonNode doc = api.json("/openapi.json");
        String kinds = doc.toString();
        for (String kind : List.of("edfi-send", "edfi-validate", "edfi-count", "edfi-delete")) {
            assertTrue(kinds.contains("\"" + kind + "\""), kind + " in " + kinds);
        }
    }
}
