package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.GeneratedFile;
import io.ferry.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashResumeIT {
    private static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    void anExportKilledWithSigkillTenTimesResumesWithNoGapNoOverlapAndByteIdenticalData() throws Exception {
        killAndResume(200, KILLS, "--object-size", "4MiB");
    }

    @Test
    void anExportCuttingObjectsByTimeKilledRepeatedlyStillLeavesNoGapAndNoOverlap() throws Exception {
        // Object boundaries depend on timing here, so each resumed run cuts them elsewhere.
        killAndResume(100, 5, "--object-age", "150ms", "--object-size", "64MiB");
    }

    private void killAndResume(int megabytes, int killCount, String... objectOptions) throws Exception {
        GeneratedFile input = TestData.writeJsonlBytes(dir.resolve("events.jsonl"), megabytes * 1024L * 1024, 11);
        Path bucket = dir.resolve("bucket");
        String state = dir.resolve("state").toString();
        List<String> export = new java.util.ArrayList<>(List.of(
                "export", input.path().toString(), bucket.toString(), "--progress", "json", "--state-dir", state));
        export.addAll(List.of(objectOptions));

        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 0;
        int attempt = 0;
        while (kills < killCount) {
            Path log = dir.resolve("attempt-" + attempt++ + ".log");
            Process process = Ferry.start(log, export);
            // JVM start-up takes a few hundred milliseconds; kill anywhere from then to well into the work.
            Thread.sleep(300 + random.nextInt(1200));
            if (!process.isAlive()) {
                // It finished (or failed) before this kill: start over with a fresh export to keep killing.
                assertEquals(0, process.waitFor(), "exit code; seed " + seed + "; log:\n" + Files.readString(log));
                assertTrue(attempt < 40, "could not kill the export " + killCount + " times; seed " + seed);
                Ferry.Result restart = Ferry.run("jobs", "delete", jobName(log), "--state-dir", state);
                assertEquals(0, restart.exitCode(), restart.err());
                // The finished export's objects go too: with time-cut objects, a fresh job's boundaries
                // differ from theirs, and both sets in one bucket would overlap.
                deleteTree(bucket);
                continue;
            }
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, process.exitValue(), "killed by SIGKILL");
            kills++;
        }

        Path log = dir.resolve("final.log");
        Process last = Ferry.start(log, export);
        assertTrue(last.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, last.exitValue(), Files.readString(log));

        Ferry.Result verify = Ferry.run("verify", bucket.toString());
        assertEquals(0, verify.exitCode(), "seed " + seed + "\n" + verify.out());
        assertTrue(
                verify.out().contains(String.format(java.util.Locale.ROOT, "%,d records", input.records())),
                verify.out());
        try (var files = Files.walk(bucket)) {
            assertEquals(
                    List.of(),
                    files.filter(path -> path.getFileName().toString().endsWith(".tmp"))
                            .toList(),
                    "temporary files left behind");
        }

        Path restored = dir.resolve("restored");
        Ferry.Result imported =
                Ferry.run("import", bucket.toString(), restored.toString(), "--progress", "none", "--state-dir", state);
        assertEquals(0, imported.exitCode(), imported.err());
        assertEquals(-1L, Files.mismatch(input.path(), restored.resolve("events.jsonl")), "seed " + seed);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String jobName(Path log) throws IOException {
        String text = Files.readString(log);
        int start = text.indexOf("job ") + 4;
        return text.substring(start, text.indexOf(':', start));
    }
}
