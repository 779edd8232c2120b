package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.testing.edfi.TestingEdFiApi;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 1: lightbeam's own test config and data through every command of ferry edfi. */
class EdfiLightbeamIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    static Path copyResources(String name, Path target) throws IOException, URISyntaxException {
        Path source = Path.of(Objects.requireNonNull(EdfiLightbeamIT.class.getResource("/edfi/" + name))
                .toURI());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }

    private static String params(TestingEdFiApi api, Path baseDir) {
        return "{\"BASE_DIR\": \"" + baseDir + "\", \"BASE_URL\": \"" + api.baseUrl() + "\", \"CLIENT_ID\": \""
                + api.clientId() + "\", \"CLIENT_SECRET\": \"" + api.clientSecret() + "\"}";
    }

    @Test
    void runsLightbeamsTestSuiteThroughEveryCommand() throws Exception {
        // lightbeam's suite runs against a populated sandbox: its school references an LEA that is not in its data.
        TestingEdFiApi.Options options = TestingEdFiApi.Options.defaults().withReferenceChecks(false);
        try (TestingEdFiApi api = TestingEdFiApi.start(options)) {
            Path suite = copyResources("lightbeam", root.resolve("suite"));
            String config = suite.resolve("lightbeam.yaml").toString();
            String params = params(api, suite);

            Ferry.Result count =
                    Ferry.run("edfi", "count", "-c", config, "-p", params, "-s", "schools,educationServiceCenters");
            assertEquals(0, count.exitCode(), count.err());
            assertTrue(count.out().startsWith("Records\tEndpoint"), count.out());

            // validate.methods "*": lightbeam's schools.jsonl has latitude "" (minLength 1 in DS 5.0).
            Ferry.Result validate = Ferry.run("edfi", "validate", "-c", config, "-p", params);
            assertEquals(1, validate.exitCode(), validate.err());
            assertTrue(
                    validate.err().contains("schools.jsonl:1: schema: property 'addresses[0].latitude'"),
                    validate.err());
            assertFalse(validate.err().contains(api.clientSecret()), validate.err());

            Ferry.Result validateSend = Ferry.run("edfi", "validate+send", "-c", config, "-p", params);
            assertEquals(1, validateSend.exitCode(), validateSend.err());
            assertTrue(validateSend.err().contains("nothing was sent"), validateSend.err());
            assertEquals(0, api.postCount("schools") + api.postCount("educationServiceCenters"));

            Path results = root.resolve("out/send.json");
            Ferry.Result send =
                    Ferry.run("edfi", "send", "-c", config, "-p", params, "--results-file", results.toString());
            assertEquals(0, send.exitCode(), send.err());
            JsonNode expected =
                    JSON.readTree(suite.resolve("expected/send.json").toFile());
            JsonNode actual = JSON.readTree(results.toFile());
            assertEquals(fieldNames(expected), fieldNames(actual));
            assertEquals(fieldNames(expected.path("resources")), fieldNames(actual.path("resources")));
            for (String resource : fieldNames(expected.path("resources"))) {
                JsonNode want = expected.path("resources").path(resource);
                JsonNode got = actual.path("resources").path(resource);
                assertEquals(fieldNames(want), fieldNames(got), resource);
                assertEquals(want.path("successes"), got.path("successes"), resource);
                for (String counter : List.of("records_processed", "records_skipped", "records_failed")) {
                    assertEquals(want.path(counter), got.path(counter), resource + " " + counter);
                }
            }
            for (String total : List.of("total_records_processed", "total_records_skipped", "total_records_failed")) {
                assertEquals(expected.path(total), actual.path(total), total);
            }
            assertEquals("send", actual.path("command").asText());
            assertEquals(expected.path("namespace_overrides"), actual.path("namespace_overrides"));
            assertEquals(1, api.count("schools"));
            assertEquals(1, api.count("educationServiceCenters"));

            Path counts = root.resolve("out/count.tsv");
            Ferry.Result countAfter = Ferry.run(
                    "edfi",
                    "count",
                    "-c",
                    config,
                    "-p",
                    params,
                    "-s",
                    "schools,educationServiceCenters",
                    "--results-file",
                    counts.toString());
            assertEquals(0, countAfter.exitCode(), countAfter.err());
            assertEquals(
                    List.of("Records\tEndpoint", "1\teducationServiceCenters", "1\tschools"),
                    Files.readAllLines(counts));

            Path fetched = Files.createDirectories(root.resolve("fetched/data"));
            Ferry.Result fetch = Ferry.run(
                    "edfi",
                    "fetch",
                    "-c",
                    config,
                    "-p",
                    params(api, fetched.getParent()),
                    "-s",
                    "schools",
                    "-d",
                    "id,_etag,_lastModifiedDate");
            assertEquals(0, fetch.exitCode(), fetch.err());
            JsonNode school = JSON.readTree(
                    Files.readAllLines(fetched.resolve("schools.jsonl")).get(0));
            assertEquals(
                    JSON.readTree(Files.readAllLines(suite.resolve("data/schools.jsonl"))
                                    .get(0))
                            .path("schoolId"),
                    school.path("schoolId"));
            assertFalse(school.has("id") || school.has("_etag"), school.toString());

            // force_delete: True in lightbeam's config, so no confirmation is asked.
            Ferry.Result delete = Ferry.run("edfi", "delete", "-c", config, "-p", params);
            assertEquals(0, delete.exitCode(), delete.err());
            assertEquals(0, api.count("schools"));
            assertEquals(0, api.count("educationServiceCenters"));

            Ferry.Result sendAgain = Ferry.run("edfi", "send", "-c", config, "-p", params);
            assertEquals(0, sendAgain.exitCode(), sendAgain.err());
            Ferry.Result truncate =
                    Ferry.run("edfi", "truncate", "-c", config, "-p", params, "-s", "schools,educationServiceCenters");
            assertEquals(0, truncate.exitCode(), truncate.err());
            assertEquals(0, api.count("schools"));
            assertEquals(0, api.count("educationServiceCenters"));
        }
    }

    @Test
    void sendsLightbeamsExampleWithADirectoryPerResourceAndSkipsOnTheSecondRun() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            Path example = copyResources("lightbeam/example", root.resolve("example"));
            Path config = example.resolve("lightbeam.yml");
            String yaml = Files.readString(config)
                    .replace("# state_dir: ~/.lightbeam/", "state_dir: " + root.resolve("state"))
                    .replace("data_dir: ./", "data_dir: " + example)
                    .replace("base_url: https://localhost/api", "base_url: ${BASE_URL}")
                    .replace("client_id: populated", "client_id: ${CLIENT_ID}")
                    .replace("client_secret: populatedSecret", "client_secret: ${CLIENT_SECRET}");
            Files.writeString(config, yaml);
            String params = params(api, example);
            Ferry.Result send = Ferry.run("edfi", "send", "-c", config.toString(), "-p", params);
            assertEquals(0, send.exitCode(), send.err());
            assertEquals(10, api.count("localEducationAgencies"));
            assertEquals(6, api.count("schools"));
            Ferry.Result again = Ferry.run("edfi", "send", "-c", config.toString(), "-p", params);
            assertEquals(99, again.exitCode(), again.err());
            Ferry.Result forced = Ferry.run("edfi", "send", "-c", config.toString(), "-p", params, "-f");
            assertEquals(0, forced.exitCode(), forced.err());
            assertEquals(16 * 2, api.postCount("schools") + api.postCount("localEducationAgencies"));
        }
    }

    @Test
    void importsLightbeamsStateSoThatWhatLightbeamSentIsSkipped() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            Path example = copyResources("lightbeam/example", root.resolve("example"));
            Path state = Files.createDirectories(root.resolve("lightbeam-state"));
            List<String> leas = Files.readAllLines(example.resolve("localEducationAgencies.jsonl"));
            Files.write(state.resolve("localEducationAgencies.dat"), pickledHashlog(leas, 1_718_000_000, 201));
            Path config = Files.writeString(
                    root.resolve("lightbeam.yaml"),
                    "state_dir: " + state + "\ndata_dir: " + example + "\nedfi_api:\n  base_url: ${BASE_URL}\n"
                            + "  mode: sandbox\n  client_id: ${CLIENT_ID}\n  client_secret: ${CLIENT_SECRET}\n");
            String params = params(api, example);
            Ferry.Result imported = Ferry.run("edfi", "import-state", "-c", config.toString(), "-p", params);
            assertEquals(0, imported.exitCode(), imported.err());
            assertTrue(imported.err().contains("localEducationAgencies: 10 payloads imported"), imported.err());
            Ferry.Result send = Ferry.run("edfi", "send", "-c", config.toString(), "-p", params);
            assertEquals(0, send.exitCode(), send.err());
            assertEquals(0, api.postCount("localEducationAgencies"));
            assertEquals(6, api.postCount("schools"));
        }
    }

    /** A lightbeam hashlog as Python's pickle (protocol 4) writes it: {md5(line): (time, status)}. */
    private static byte[] pickledHashlog(List<String> lines, int time, int status) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x80, 4, '}', '('});
        for (String line : lines) {
            byte[] md5 = java.security.MessageDigest.getInstance("MD5")
                    .digest(line.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write('C');
            out.write(16);
            out.write(md5);
            out.write('J');
            out.write(java.nio.ByteBuffer.allocate(4)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(time)
                    .array());
            out.write('M');
            out.write(status & 0xFF);
            out.write(status >> 8);
            out.write(0x86);
        }
        out.write('u');
        out.write('.');
        return out.toByteArray();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.sort(null);
        return names;
    }
}
