package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.edfi.TestingEdFiApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a state_dir in the YAML, ferry edfi keeps its state beside ferry's other state. */
class EdfiStateIT {
    @TempDir
    Path root;

    @Test
    void aConfigWithoutStateDirKeepsStateInFerrysStateDirectory() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            Path data = Files.createDirectories(root.resolve("data"));
            List<String> leas = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                leas.add("{\"localEducationAgencyId\": " + (2000 + i) + ", \"nameOfInstitution\": \"District " + i
                        + "\", \"localEducationAgencyCategoryDescriptor\":"
                        + " \"uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Charter\","
                        + " \"categories\": [{\"educationOrganizationCategoryDescriptor\":"
                        + " \"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency\"}]}");
            }
            Files.write(data.resolve("localEducationAgencies.jsonl"), leas);
            Path config = Files.writeString(
                    root.resolve("lightbeam.yaml"),
                    "data_dir: " + data + "\n"
                            + "edfi_api:\n"
                            + "  base_url: " + api.baseUrl() + "\n"
                            + "  mode: shared_instance\n"
                            + "  client_id: " + api.clientId() + "\n"
                            + "  client_secret: " + api.clientSecret() + "\n");
            Path ferryState = root.resolve("ferry-state");

            Path results = root.resolve("results.json");
            Ferry.Result first = Ferry.run(
                    "edfi",
                    "send",
                    "-c",
                    config.toString(),
                    "--state-dir",
                    ferryState.toString(),
                    "--results-file",
                    results.toString());
            assertEquals(0, first.exitCode(), first.err() + Files.readString(results));
            assertEquals(5, api.postCount("localEducationAgencies"));

            Ferry.Result second =
                    Ferry.run("edfi", "send", "-c", config.toString(), "--state-dir", ferryState.toString());
            assertEquals(99, second.exitCode(), "everything skipped the second time:\n" + second.err());
            assertEquals(5, api.postCount("localEducationAgencies"), "nothing sent twice");

            try (Stream<Path> files = Files.walk(ferryState.resolve("edfi"))) {
                assertTrue(
                        files.anyMatch(file -> file.getFileName().toString().startsWith("localEducationAgencies")),
                        "state for the resource is under " + ferryState.resolve("edfi"));
            }
        }
    }
}
