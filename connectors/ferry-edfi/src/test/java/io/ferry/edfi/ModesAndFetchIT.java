package io.ferry.edfi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.fetch.Counter;
import io.ferry.edfi.fetch.Fetcher;
import io.ferry.edfi.send.ResendCriteria;
import io.ferry.edfi.send.RunResults;
import io.ferry.testing.edfi.TestingEdFiApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModesAndFetchIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(TestingEdFiApi.Mode.class)
    void sendsInEveryUrlLayout(TestingEdFiApi.Mode mode) throws Exception {
        TestingEdFiApi.Options options =
                TestingEdFiApi.Options.defaults().withMode(mode).withYear(2024);
        try (TestingEdFiApi api = TestingEdFiApi.start(options)) {
            EdFiTestData data = EdFiTestData.write(root.resolve("data"), 20);
            String yamlMode = mode == TestingEdFiApi.Mode.SHARED_INSTANCE ? "shared_instance" : "year_specific";
            Path file = EdFiTestData.config(root, api);
            Files.writeString(
                    file,
                    Files.readString(file).replace("mode: shared_instance", "mode: " + yamlMode + "\n  year: 2024"));
            EdFiConfig config = EdFiTestData.load(file, api);
            RunResults results = EdFiRunner.send(config, ResendCriteria.none());
            assertEquals(0, results.totalFailed(), () -> results.toJson().toPrettyString());
            assertEquals(20, api.count("students"));
            assertEquals(data.total(), results.totalProcessed());
        }
    }

    @Test
    void fetchesPagesConcurrentlyIntoAFileInTheApisOrderWithKeysKeptOrDropped() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            EdFiTestData.write(root.resolve("data"), 1234);
            Path file = EdFiTestData.config(root, api, "fetch:", "  page_size: 50");
            EdFiConfig config = EdFiTestData.load(file, api);
            EdFiRunner.send(config, ResendCriteria.none());
            Path out = Files.createDirectories(root.resolve("fetched"));
            try (EdFiSession session = EdFiSession.open(config)) {
                ApiResource students = new ApiResource("ed-fi", "students");
                Fetcher all =
                        new Fetcher(session.client(), 50, Set.of("*"), Set.of("id", "_etag", "_lastModifiedDate"));
                assertEquals(1234, all.fetch(students, Map.of(), out));
                List<String> lines = Files.readAllLines(out.resolve("students.jsonl"));
                List<JsonNode> stored = api.items("students");
                assertEquals(stored.size(), lines.size());
                for (int i = 0; i < lines.size(); i++) {
                    JsonNode line = JSON.readTree(lines.get(i));
                    assertEquals(
                            stored.get(i).path("studentUniqueId"), line.path("studentUniqueId"), "line " + (i + 1));
                    assertFalse(line.has("id") || line.has("_etag"), line.toString());
                }
                Fetcher kept = new Fetcher(session.client(), 50, Set.of("studentUniqueId"), Set.of());
                assertEquals(1, kept.fetch(students, Map.of("studentUniqueId", "S000007"), out));
                assertEquals(
                        List.of("{\"studentUniqueId\":\"S000007\"}"),
                        Files.readAllLines(out.resolve("students.jsonl")));
                assertEquals(1234, new Counter(session.client()).count(students, Map.of()));
                try (var files = Files.list(out)) {
                    assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")));
                }
            }
        }
    }
}
