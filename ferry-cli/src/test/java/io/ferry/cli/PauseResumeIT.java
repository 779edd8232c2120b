package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.testing.GeneratedFile;
import io.ferry.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sigtermPausesAtACheckpointAndTheSameCommandResumesWithProgressContinuing() throws Exception {
        GeneratedFile input = TestData.writeJsonlBytes(dir.resolve("events.jsonl"), 200L * 1024 * 1024, 5);
        Path bucket = dir.resolve("bucket");
        String state = dir.resolve("state").toString();
        List<String> export = List.of(
                "export",
                input.path().toString(),
                bucket.toString(),
                "--object-size",
                "8MiB",
                "--progress",
                "json",
                "--state-dir",
                state);

        Path firstLog = dir.resolve("first.log");
        Process first = Ferry.start(firstLog, export);
        long doneBeforePause = awaitProgress(first, firstLog);
        first.destroy(); // SIGTERM
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        String firstErr = Files.readString(firstLog);
        assertEquals(ExitCode.PAUSED, first.exitValue(), firstErr);
        assertTrue(firstErr.contains("paused at a checkpoint"), firstErr);
        assertTrue(firstErr.contains("Resume with: ferry resume export-events-"), firstErr);
        List<JsonNode> before = events(firstLog);
        long doneAtPause = before.get(before.size() - 1).get("done").asLong();
        assertTrue(doneAtPause >= doneBeforePause && doneAtPause < input.bytes(), "done at pause " + doneAtPause);

        Path secondLog = dir.resolve("second.log");
        Process second = Ferry.start(secondLog, export);
        assertTrue(second.waitFor(5, TimeUnit.MINUTES));
        String secondErr = Files.readString(secondLog);
        assertEquals(0, second.exitValue(), secondErr);
        assertTrue(secondErr.contains("Resuming job export-events-"), secondErr);
        List<JsonNode> after = events(secondLog);
        JsonNode firstAfter = after.get(0);
        assertTrue(
                firstAfter.get("done").asLong() >= doneBeforePause,
                "progress restarted from " + firstAfter.get("done") + " instead of continuing from " + doneBeforePause);
        JsonNode finished = after.get(after.size() - 1);
        assertEquals("finished", finished.get("event").asText());
        assertEquals(input.bytes(), finished.get("done").asLong());
        assertEquals(input.records(), finished.get("records").asLong());
        assertTrue(finished.get("recordsThisRun").asLong() < input.records(), "the second run re-read everything");

        assertEquals(0, Ferry.run("verify", bucket.toString()).exitCode());
        Path restored = dir.resolve("restored");
        assertEquals(
                0,
                Ferry.run("import", bucket.toString(), restored.toString(), "--progress", "none", "--state-dir", state)
                        .exitCode());
        assertEquals(-1L, Files.mismatch(input.path(), restored.resolve("events.jsonl")));
    }

    /** Waits for a progress event that shows work done but not finished; returns its done figure. */
    private static long awaitProgress(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            for (JsonNode event : events(log)) {
                long done = event.get("done").asLong();
                if (event.get("event").asText().equals("progress")
                        && done > 0
                        && done < event.get("total").asLong() / 2) {
                    return done;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no progress seen before the export ended:\n" + Files.readString(log));
    }

    private static List<JsonNode> events(Path log) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{") && line.endsWith("}")) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }
}
