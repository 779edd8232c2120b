package io.ferry.edfi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.send.ResendCriteria;
import io.ferry.edfi.send.RunResults;
import io.ferry.testing.edfi.Faults;
import io.ferry.testing.edfi.RequestLog;
import io.ferry.testing.edfi.TestingEdFiApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultsIT {
    @TempDir
    Path root;

    @Test
    void deliversEveryRecordExactlyOnceThrough429s500sAStallAndATokenExpiringMidRun() throws Exception {
        TestingEdFiApi.Options options = TestingEdFiApi.Options.defaults()
                .withTokenLifetime(Duration.ofSeconds(4))
                .withSeed(42);
        try (TestingEdFiApi api = TestingEdFiApi.start(options)) {
            EdFiTestData data = EdFiTestData.write(root.resolve("data"), 300);
            EdFiConfig config = EdFiTestData.load(EdFiTestData.config(root, api), api);
            api.faults()
                    .rateLimited(0.10, Duration.ofSeconds(1))
                    .serverErrors(0.05)
                    .stall(Duration.ofSeconds(2), 1);

            Thread expirer = Thread.ofVirtual().start(() -> {
                while (api.postCount("students") < 150) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                api.faults().expireTokensNow();
            });
            RunResults results = EdFiRunner.send(config, ResendCriteria.none());
            expirer.join(Duration.ofSeconds(5));

            assertEquals(0, results.totalFailed(), () -> results.toJson().toPrettyString());
            assertEquals(0, results.exitCode());
            for (Map.Entry<String, Integer> resource : data.counts.entrySet()) {
                assertEquals(resource.getValue(), api.count(resource.getKey()), resource.getKey());
                // Only 201s: no payload was stored twice (a second delivery would be answered 200).
                assertEquals(
                        Map.of(201, (long) resource.getValue()),
                        results.resource(resource.getKey()).successCounts(),
                        resource.getKey());
                JsonNode json = results.toJson().path("resources").path(resource.getKey());
                assertEquals(resource.getValue(), json.path("records_processed").asInt());
                assertEquals(0, json.path("records_skipped").asInt());
                assertEquals(0, json.path("records_failed").asInt());
            }
            assertTrue(api.faults().injected(Faults.Kind.RATE_LIMITED) > 0, "no 429 was injected");
            assertTrue(api.faults().injected(Faults.Kind.SERVER_ERROR) > 0, "no 500 was injected");
            assertEquals(1, api.faults().injected(Faults.Kind.STALLED));
            long unauthorized =
                    api.requests().stream().filter(r -> r.status() == 401).count();
            assertTrue(unauthorized > 0, "the token never expired mid-run");
            // Each 401 is answered by at most one token request per generation, never a loop.
            long tokenRequests = api.requests().stream()
                    .filter(r -> r.path().contains("oauth/token"))
                    .count();
            assertTrue(tokenRequests < 20, "token requests: " + tokenRequests);
            // Retry-After is honoured: no request for a resource follows its 429 by less than a second... on average.
            long rateLimited =
                    api.requests().stream().filter(r -> r.status() == 429).count();
            assertTrue(results.elapsed().toMillis() >= rateLimited * 1000 / 8 / 2, "finished too fast to have waited");
            assertTrue(api.requests().stream().map(RequestLog::status).noneMatch(status -> status == 409));
        }
    }

    @Test
    void retriesDroppedConnectionsAndDeliversEverything() throws Exception {
        try (TestingEdFiApi api =
                TestingEdFiApi.start(TestingEdFiApi.Options.defaults().withSeed(7))) {
            EdFiTestData data = EdFiTestData.write(root.resolve("data"), 200);
            EdFiConfig config = EdFiTestData.load(EdFiTestData.config(root, api), api);
            api.faults().dropConnections(0.05);
            RunResults results = EdFiRunner.send(config, ResendCriteria.none());
            assertTrue(api.faults().injected(Faults.Kind.DROPPED_CONNECTION) > 0, "no connection was dropped");
            assertEquals(0, results.totalFailed(), () -> results.toJson().toPrettyString());
            for (Map.Entry<String, Integer> resource : data.counts.entrySet()) {
                assertEquals(resource.getValue(), api.count(resource.getKey()), resource.getKey());
            }
        }
    }
}
