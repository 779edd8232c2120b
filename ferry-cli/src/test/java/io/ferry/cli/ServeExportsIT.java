package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeExportsIT {
    private static final String EVENTS_SELECT =
            "COPY (SELECT * FROM events WHERE day < '2024-01-10' ORDER BY id) TO STDOUT WITH CSV HEADER";
    private static final String EVENTS_DELETE = "DELETE FROM events WHERE day < '2024-01-10'";

    @TempDir
    Path tasks;

    @TempDir
    Path exports;

    @TempDir
    Path state;

    private DbTestDatabase database;
    private ServeTesting server;
    private ServeClient api;

    @BeforeEach
    void start() throws Exception {
        database = DbTestDatabase.create("ferry_serve");
        database.execute(
                "CREATE TABLE events (id bigserial PRIMARY KEY, day date NOT NULL, body text)",
                "INSERT INTO events (day, body) SELECT date '2024-01-01' + (g % 30), 'event ' || g"
                        + " FROM generate_series(1, 3000) g");
        task("events", EVENTS_SELECT, EVENTS_DELETE);
        task(
                "slow",
                "COPY (SELECT g, pg_sleep(0.001) FROM generate_series(1, 2500) g) TO STDOUT WITH CSV HEADER",
                null);
        // The database URL comes from the environment, as the archive service took it.
        server = ServeTesting.start(
                Map.of("DATABASE_URL", database.url(), "DSL_PATH", tasks.toString(), "EXPORT_PATH", exports.toString()),
                "--state-dir",
                state.toString());
        api = server.client;
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        database.close();
    }

    private void task(String name, String select, @Nullable String delete) throws IOException {
        Path folder = Files.createDirectories(tasks.resolve(name));
        Files.writeString(folder.resolve("select.sql"), select);
        if (delete != null) {
            Files.writeString(folder.resolve("delete.sql"), delete);
        }
    }

    @Test
    void theExportsEndpointsAnswerTheOriginalShapesAndRunTasksAsJobs() throws Exception {
        JsonNode list = api.json("/exports");
        assertEquals(2, list.size(), list.toString());
        JsonNode events = list.get(0);
        assertEquals(Set.of("name", "select_query", "delete_query"), fieldNames(events));
        assertEquals("events", events.get("name").asText());
        assertEquals(EVENTS_SELECT, events.get("select_query").asText());
        assertEquals(EVENTS_DELETE, events.get("delete_query").asText());
        assertTrue(list.get(1).get("delete_query").isNull(), list.toString());

        JsonNode one = api.json("/exports/events");
        assertEquals(events, one);

        Set<Long> expected = database.ids("SELECT id FROM events WHERE day < '2024-01-10'");
        ServeClient.Answer started = api.post("/exports/events", null);
        assertEquals(200, started.status(), started.body());
        assertEquals("Ok", started.json().get("status").asText());
        String id = started.json().get("job").asText();
        JsonNode job = api.awaitState(id, "succeeded", Duration.ofMinutes(1));
        assertEquals(expected.size(), job.get("progress").get("records").asLong(), job.toString());
        JsonNode report = api.json("/jobs/" + id + "/report");
        assertEquals("exported", report.get("tasks").get(0).get("status").asText(), report.toString());
        assertEquals(
                expected.size(), report.get("tasks").get(0).get("deleted_rows").asLong());
        Set<Long> left = database.ids("SELECT id FROM events");
        assertEquals(3000 - expected.size(), left.size());
        for (Long gone : expected) {
            assertFalse(left.contains(gone), "exported row " + gone + " is still there");
        }
        try (Stream<Path> files = Files.list(exports)) {
            List<String> names =
                    files.map(path -> path.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names.toString());
            assertTrue(
                    names.get(0).matches("events-\\d{4}_\\d\\d_\\d\\d-\\d\\d_\\d\\d_\\d\\d_[AP]M\\.csv\\.gz"),
                    names.toString());
        }
        assertFalse(job.toString().contains("postgres@"), "the database URL leaked: " + job);

        ServeClient.Answer all = api.post("/exports", null);
        assertEquals(200, all.status(), all.body());
        assertEquals("Ok", all.json().get("status").asText());
        String allId = all.json().get("job").asText();
        ServeClient.Answer busy = api.post("/exports/slow", null);
        assertEquals(409, busy.status(), busy.body());
        assertTrue(busy.body().contains("slow"), busy.body());
        JsonNode allJob = api.awaitState(allId, "succeeded", Duration.ofMinutes(1));
        assertEquals(
                List.of("events", "slow"),
                ServeClient.JSON.convertValue(
                        allJob.get("request").get("options").get("tasks"), List.class));

        assertEquals(404, api.get("/exports/nothing").status());
        assertEquals(404, api.post("/exports/nothing", null).status());
        assertEquals(400, api.post("/exports/..%2Fetc", null).status());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
