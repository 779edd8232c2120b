package io.ferry.edfi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.send.ResendCriteria;
import io.ferry.edfi.send.RunResults;
import io.ferry.testing.edfi.RequestLog;
import io.ferry.testing.edfi.TestingEdFiApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendIT {
    @TempDir
    Path root;

    @Test
    void sendsThousandsOfRecordsInDependencyOrderThenSkipsThemAndResendsOnRequest() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            EdFiTestData data = EdFiTestData.write(root.resolve("data"), 1500);
            assertTrue(data.counts.size() >= 10, "resources: " + data.counts.keySet());
            EdFiConfig config = EdFiTestData.load(EdFiTestData.config(root, api), api);

            RunResults first = EdFiRunner.send(config, ResendCriteria.none());
            Path resultsFile = root.resolve("results/send.json");
            first.write(resultsFile);
            assertEquals(0, first.exitCode());
            assertEquals(data.total(), first.totalProcessed());
            assertEquals(0, first.totalFailed(), () -> first.toJson().toPrettyString());
            JsonNode written = new ObjectMapper().readTree(resultsFile.toFile());
            for (Map.Entry<String, Integer> resource : data.counts.entrySet()) {
                JsonNode results = written.path("resources").path(resource.getKey());
                assertEquals(
                        resource.getValue(), results.path("records_processed").asInt(), resource.getKey());
                assertEquals(
                        201,
                        results.path("successes").get(0).path("status_code").asInt(),
                        resource.getKey());
                assertEquals(
                        resource.getValue(),
                        results.path("successes").get(0).path("count").asInt());
                assertEquals(resource.getValue(), api.count(resource.getKey()), resource.getKey());
            }

            // Dependency order: every POST of a resource comes after every POST of the resources sent before it.
            List<String> order = new ArrayList<>();
            for (RequestLog request : api.requests()) {
                if (request.method().equals("POST") && request.path().contains("/data/v3/")) {
                    assertTrue(request.status() == 201, request.toString());
                    String resource = request.path().substring(request.path().lastIndexOf('/') + 1);
                    if (order.isEmpty() || !order.get(order.size() - 1).equals(resource)) {
                        assertTrue(!order.contains(resource), "POSTs of " + resource + " interleave: " + order);
                        order.add(resource);
                    }
                }
            }
            List<String> expected = new ArrayList<>(data.counts.keySet());
            assertEquals(Set.copyOf(expected), Set.copyOf(order));
            assertTrue(order.indexOf("localEducationAgencies") < order.indexOf("schools"));
            assertTrue(order.indexOf("schools") < order.indexOf("studentSchoolAssociations"));
            assertTrue(order.indexOf("students") < order.indexOf("studentSchoolAssociations"));
            assertTrue(order.indexOf("gradeLevelDescriptors") < order.indexOf("schools"));

            long postsBefore = api.postCount("students");
            RunResults second = EdFiRunner.send(config, ResendCriteria.none());
            assertEquals(RunResults.ALL_SKIPPED, second.exitCode());
            assertEquals(data.total(), second.totalSkipped());
            assertEquals(postsBefore, api.postCount("students"));

            // -r 409 selects nothing (nothing was answered 409); -r 201 resends everything, answered 200 (matched).
            RunResults none = EdFiRunner.send(config, new ResendCriteria(false, null, null, Set.of(409)));
            assertEquals(RunResults.ALL_SKIPPED, none.exitCode());
            RunResults resent = EdFiRunner.send(config, new ResendCriteria(false, null, null, Set.of(201)));
            assertEquals(0, resent.totalSkipped());
            assertEquals(
                    Map.of(200, (long) data.counts.get("students")),
                    resent.resource("students").successCounts());

            RunResults forced = EdFiRunner.send(config, new ResendCriteria(true, null, null, Set.of()));
            assertEquals(0, forced.totalSkipped());
            assertEquals(0, forced.totalFailed());
            assertEquals(postsBefore + 2L * data.counts.get("students"), api.postCount("students"));
        }
    }

    @Test
    void resendsOnlyThe409sWithDashR() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            EdFiTestData data = EdFiTestData.write(root.resolve("data"), 50);
            EdFiConfig config = EdFiTestData.load(EdFiTestData.config(root, api), api);
            // Students are held back: their associations are answered 409 (unresolved reference).
            Path students = root.resolve("data/students.jsonl");
            Path aside = root.resolve("students.jsonl");
            java.nio.file.Files.move(students, aside);
            RunResults first = EdFiRunner.send(config, ResendCriteria.none());
            assertEquals(50, first.resource("studentSchoolAssociations").failedCount());
            assertEquals(0, api.count("studentSchoolAssociations"));
            JsonNode failures = first.toJson()
                    .path("resources")
                    .path("studentSchoolAssociations")
                    .path("failures");
            int failedLines = 0;
            for (JsonNode failure : failures) {
                assertEquals(409, failure.path("status_code").asInt(), failure.toString());
                assertEquals(
                        failure.path("count").asInt(),
                        failure.path("line_numbers").size());
                failedLines += failure.path("count").asInt();
            }
            assertEquals(50, failedLines);

            java.nio.file.Files.move(aside, students);
            RunResults second = EdFiRunner.send(config, ResendCriteria.none());
            // The students are new; the associations were answered before (409), so they are skipped.
            assertEquals(50, second.resource("students").successCounts().get(201));
            assertEquals(50, second.resource("studentSchoolAssociations").skippedCount());

            RunResults third = EdFiRunner.send(config, new ResendCriteria(false, null, null, Set.of(409)));
            assertEquals(
                    Map.of(201, 50L),
                    third.resource("studentSchoolAssociations").successCounts());
            assertEquals(data.total() - 50, third.totalSkipped());
            assertEquals(50, api.count("studentSchoolAssociations"));
        }
    }
}
