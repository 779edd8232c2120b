package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.edfi.RequestLog;
import io.ferry.testing.edfi.TestingEdFiApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 4: a send killed with SIGKILL and run again sends nothing that was already answered 2xx. */
class EdfiKillIT {
    private static final int RECORDS = 20_000;

    @TempDir
    Path root;

    @Test
    void aSendKilledMidRunResumesWithoutResendingWhatWasAnswered() throws Exception {
        try (TestingEdFiApi api = TestingEdFiApi.start()) {
            Path data = Files.createDirectories(root.resolve("data"));
            List<String> lines = new ArrayList<>();
            for (int i = 1; i <= RECORDS; i++) {
                lines.add(String.format(
                        Locale.ROOT,
                        "{\"localEducationAgencyId\": %d, \"nameOfInstitution\": \"District %d\","
                                + " \"localEducationAgencyCategoryDescriptor\":"
                                + " \"uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Charter\", \"categories\":"
                                + " [{\"educationOrganizationCategoryDescriptor\":"
                                + " \"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency\"}]}",
                        100_000 + i,
                        i));
            }
            Files.write(data.resolve("localEducationAgencies.jsonl"), lines);
            Path state = root.resolve("state");
            Path config = Files.writeString(
                    root.resolve("lightbeam.yaml"),
                    "state_dir: " + state + "\ndata_dir: " + data + "\nedfi_api:\n  base_url: " + api.baseUrl()
                            + "\n  mode: shared_instance\n  client_id: testkey\n  client_secret: ${SECRET}\n"
                            + "connection:\n  pool_size: 8\n");
            List<String> args = List.of(
                    "edfi", "send", "-c", config.toString(), "-p", "{\"SECRET\": \"" + api.clientSecret() + "\"}");

            Process first = Ferry.start(root.resolve("first.err"), args);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (api.postCount("localEducationAgencies") < RECORDS / 4 && System.nanoTime() < deadline) {
                assertTrue(first.isAlive(), () -> "ended early: " + read(root.resolve("first.err")));
                Thread.sleep(2);
            }
            first.destroyForcibly(); // SIGKILL
            first.waitFor(30, TimeUnit.SECONDS);
            long postsBeforeRerun = settledPostCount(api);
            assertTrue(postsBeforeRerun < RECORDS, "the kill came too late: " + postsBeforeRerun);
            long recorded = recordedAnswers(state);
            assertTrue(
                    recorded > 0 && recorded <= postsBeforeRerun,
                    recorded + " recorded, " + postsBeforeRerun + " posted");

            Process second = Ferry.start(root.resolve("second.err"), args);
            assertTrue(second.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, second.exitValue(), read(root.resolve("second.err")));

            assertEquals(RECORDS, api.count("localEducationAgencies"));
            // The rerun posted exactly the payloads without a recorded answer: none already answered was sent again.
            assertEquals(RECORDS - recorded, api.postCount("localEducationAgencies") - postsBeforeRerun);
            // Answered by the server but never received by the killed client: at most pool_size, resent and matched
            // (200).
            long matched = api.requests().stream()
                    .filter(r -> r.method().equals("POST") && r.status() == 200)
                    .count();
            assertTrue(matched <= 8 * 4, "payloads delivered twice: " + matched);
            assertEquals(
                    RECORDS,
                    api.requests().stream()
                            .filter(r -> r.method().equals("POST") && r.status() == 201)
                            .map(RequestLog::path)
                            .count());

            Process third = Ferry.start(root.resolve("third.err"), args);
            assertTrue(third.waitFor(60, TimeUnit.SECONDS));
            assertEquals(99, third.exitValue(), read(root.resolve("third.err")));
        }
    }

    /**
     * The server's POST count once requests the killed client left in the server's socket buffers
     * have been read: unchanged for a second (a fixed short wait missed one on a loaded machine).
     */
    private static long settledPostCount(TestingEdFiApi api) throws InterruptedException {
        long count = api.postCount("localEducationAgencies");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < TimeUnit.SECONDS.toNanos(1) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = api.postCount("localEducationAgencies");
            if (now != count) {
                count = now;
                stableSince = System.nanoTime();
            }
        }
        return count;
    }

    /** Distinct payload hashes with an answer in the state files: what a rerun must not send again. */
    private static long recordedAnswers(Path state) throws Exception {
        try (Stream<Path> files = Files.list(state)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".hashlog"))
                    .flatMap(file -> {
                        try {
                            return Files.readAllLines(file).stream();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .filter(line -> line.matches("[0-9a-f]{32} \\d+ \\d+"))
                    .map(line -> line.substring(0, 32))
                    .distinct()
                    .count();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
