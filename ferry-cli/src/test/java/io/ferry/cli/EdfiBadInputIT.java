package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.testing.edfi.TestingEdFiApi;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 5: bad input is named with where it is, exits with the right code, and sends nothing it should not. */
class EdfiBadInputIT {

    @TempDir
    Path root;

    private Path config(String baseUrl, String secret, String... extra) throws IOException {
        Files.createDirectories(root.resolve("data"));
        String yaml = "state_dir: " + root.resolve("state") + "\n"
                + "data_dir: " + root.resolve("data") + "\n"
                + "edfi_api:\n"
                + "  base_url: " + baseUrl + "\n"
                + "  mode: shared_instance\n"
                + "  client_id: testkey\n"
                + "  client_secret: " + secret + "\n"
                + "connection:\n"
                + "  num_retries: 2\n"
                + "  timeout: 5\n"
                + String.join("\n", extra) + "\n";
        return Files.writeString(root.resolve("lightbeam.yaml"), yaml);
    }

    private void leas(String... extraLines) throws IOException {
        Files.createDirectories(root.resolve("data"));
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            lines.add("{\"localEducationAgencyId\": " + (1000 + i) + ", \"nameOfInstitution\": \"District " + i + "\","
                    + " \"localEducationAgencyCategoryDescriptor\": \"uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Charter\","
                    + " \"categories\": [{\"educationOrganizationCategoryDescriptor\":"
                    + " \"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency\"}]}");
        }
        lines.addAll(List.of(extraLines));
        Files.write(root.resolve("data/localEducationAgencies.jsonl"), lines);
    }

    @Test
    void aMalformedJsonLineIsNotSentAndIsReportedWithItsFileAndLine() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            leas("{\"localEducationAgencyId\": 1004, \"nameOfInstitution\": ");
            Path results = root.resolve("results.json");
            Ferry.Result send = Ferry.run(
                    "edfi",
                    "send",
                    "-c",
                    config(api.baseUrl().toString(), api.clientSecret()).toString(),
                    "--results-file",
                    results.toString());
            assertEquals(0, send.exitCode(), send.err());
            assertEquals(3, api.postCount("localEducationAgencies"));
            JsonNode failure = new ObjectMapper()
                    .readTree(results.toFile())
                    .path("resources")
                    .path("localEducationAgencies")
                    .path("failures")
                    .get(0);
            assertTrue(failure.path("message").asText().startsWith("not sent: invalid JSON"), failure.toString());
            assertTrue(failure.path("file").asText().endsWith("localEducationAgencies.jsonl"), failure.toString());
            assertEquals("[4]", failure.path("line_numbers").toString());

            // Only malformed lines: all failed, exit 1, still nothing sent.
            Files.write(root.resolve("data/localEducationAgencies.jsonl"), List.of("not json", "[1, 2]"));
            Ferry.Result allBad = Ferry.run(
                    "edfi", "send", "-c", root.resolve("lightbeam.yaml").toString());
            assertEquals(1, allBad.exitCode(), allBad.err());
            assertEquals(3, api.postCount("localEducationAgencies"));
        }
    }

    @Test
    void aFileNamedAfterNoResourceStopsTheRunBeforeAnythingIsSent() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            leas();
            Files.writeString(root.resolve("data/schoools.jsonl"), "{}\n");
            Ferry.Result send = Ferry.run(
                    "edfi",
                    "send",
                    "-c",
                    config(api.baseUrl().toString(), api.clientSecret()).toString());
            assertEquals(2, send.exitCode(), send.err());
            assertTrue(send.err().contains("schoools.jsonl"), send.err());
            assertTrue(send.err().contains("did you mean schools?"), send.err());
            assertEquals(0, api.postCount("localEducationAgencies"));
        }
    }

    @Test
    void badYamlValuesAreAllReportedAtOnceWithTheirKeyPaths() throws Exception {
        Path config = config(
                "http://127.0.0.1:9",
                "s3cr3t-value",
                "  pool_size: many",
                "  retry_statuses: [429, 7000]",
                "fetch:\n  page_size: 900",
                "log_levl: INFO");
        Ferry.Result send = Ferry.run("edfi", "send", "-c", config.toString());
        assertEquals(2, send.exitCode(), send.err());
        for (String expected : List.of(
                "connection.pool_size must be a whole number, got 'many'",
                "connection.retry_statuses must list HTTP status codes (100-599), got '7000'",
                "fetch.page_size must be between 1 and 500, got 900",
                "unknown key log_levl (did you mean 'log_level'?)",
                "4 problems")) {
            assertTrue(send.err().contains(expected), expected + " not in: " + send.err());
        }
        assertFalse(send.err().contains("s3cr3t-value"), send.err());
    }

    @Test
    void anUnreachableApiIsNamedAndExitsThree() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Ferry.Result send = Ferry.run(
                "edfi",
                "send",
                "-c",
                config("http://127.0.0.1:" + port + "/api", "secret").toString());
        assertEquals(3, send.exitCode(), send.err());
        assertTrue(
                send.err()
                        .contains("cannot reach the Ed-Fi API at edfi_api.base_url http://127.0.0.1:" + port + "/api"),
                send.err());
    }

    @Test
    void wrongCredentialsAreNamedWithoutTheSecretAndNothingIsSent() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            leas();
            Ferry.Result send = Ferry.run(
                    "edfi",
                    "send",
                    "-c",
                    config(api.baseUrl().toString(), "wrong-secret-123").toString());
            assertEquals(2, send.exitCode(), send.err());
            assertTrue(send.err().contains("refused client_id 'testkey'"), send.err());
            assertTrue(send.err().contains("AUTH_FAILED"), send.err());
            assertFalse(send.err().contains("wrong-secret-123"), send.err());
            assertEquals(0, api.postCount("localEducationAgencies"));
        }
    }
}
