package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripIT {
    @TempDir
    Path dir;

    @Test
    void aMillionMixedRecordsComeBackByteIdentical() throws IOException {
        Path input = dir.resolve("mixed.jsonl");
        MixedStream.write(input, 1_000_000, 3, 42);
        Path bucket = dir.resolve("bucket");
        Path restored = dir.resolve("restored");
        String state = dir.resolve("state").toString();

        Ferry.Result export = Ferry.run(
                "export",
                input.toString(),
                bucket.toString(),
                "--object-size",
                "16MiB",
                "--progress",
                "none",
                "--state-dir",
                state);
        assertEquals(0, export.exitCode(), export.err());

        Ferry.Result verify = Ferry.run("verify", bucket.toString());
        assertEquals(0, verify.exitCode(), verify.out());
        assertTrue(verify.out().contains("1,000,000 records"), verify.out());

        Ferry.Result imported =
                Ferry.run("import", bucket.toString(), restored.toString(), "--progress", "none", "--state-dir", state);
        assertEquals(0, imported.exitCode(), imported.err());

        Path output = restored.resolve("mixed.jsonl");
        assertEquals(Files.size(input), Files.size(output));
        assertEquals(-1L, Files.mismatch(input, output), "first differing byte");
    }

    @Test
    void gzipAndUncompressedObjectsRoundTripToo() throws IOException {
        Path input = dir.resolve("small.jsonl");
        MixedStream.write(input, 20_000, 0, 7);
        for (String compression : new String[] {"gzip", "none"}) {
            Path bucket = dir.resolve("bucket-" + compression);
            Path restored = dir.resolve("restored-" + compression);
            String state = dir.resolve("state").toString();
            assertEquals(
                    0,
                    Ferry.run(
                                    "export",
                                    input.toString(),
                                    bucket.toString(),
                                    "--compression",
                                    compression,
                                    "--object-records",
                                    "3000",
                                    "--progress",
                                    "none",
                                    "--state-dir",
                                    state)
                            .exitCode());
            assertEquals(0, Ferry.run("verify", bucket.toString()).exitCode());
            assertEquals(
                    0,
                    Ferry.run(
                                    "import",
                                    bucket.toString(),
                                    restored.toString(),
                                    "--progress",
                                    "none",
                                    "--state-dir",
                                    state)
                            .exitCode());
            assertEquals(-1L, Files.mismatch(input, restored.resolve("small.jsonl")), compression);
        }
    }

    @Test
    void runningAFinishedCommandAgainDoesNothingAndRestartRedoesIt() throws IOException {
        Path input = dir.resolve("orders.jsonl");
        MixedStream.write(input, 1000, 0, 3);
        String bucket = dir.resolve("bucket").toString();
        String state = dir.resolve("state").toString();
        String[] export = {"export", input.toString(), bucket, "--progress", "none", "--state-dir", state};
        assertEquals(0, Ferry.run(export).exitCode());
        Ferry.Result again = Ferry.run(export);
        assertEquals(0, again.exitCode());
        assertTrue(again.err().contains("already finished"), again.err());

        String[] restart = {"export", input.toString(), bucket, "--progress", "none", "--state-dir", state, "--restart"
        };
        Ferry.Result restarted = Ferry.run(restart);
        assertEquals(0, restarted.exitCode(), restarted.err());
        assertTrue(restarted.err().contains("1,000 records"), restarted.err());
        assertEquals(0, Ferry.run("verify", bucket).exitCode());
    }

    @Test
    void theSameExportFromAnotherStateDirectoryLeavesTheFirstOnesObjectsAlone() throws IOException {
        Path input = dir.resolve("orders.jsonl");
        MixedStream.write(input, 1000, 0, 5);
        String bucket = dir.resolve("bucket").toString();
        Function<String, Ferry.Result> exportWithStateIn = state -> Ferry.run(
                "export",
                input.toString(),
                bucket,
                "--progress",
                "none",
                "--state-dir",
                dir.resolve(state).toString());
        Ferry.Result first = exportWithStateIn.apply("here");
        assertEquals(0, first.exitCode(), first.err());

        // another machine, or a lost state directory: the same command derives the same job name
        Ferry.Result elsewhere = exportWithStateIn.apply("elsewhere");
        assertEquals(ExitCode.USER_INPUT, elsewhere.exitCode(), elsewhere.err());
        assertTrue(elsewhere.err().contains("this state directory has never run that job"), elsewhere.err());
        Ferry.Result verify = Ferry.run("verify", bucket);
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    }

    @Test
    void aMissingStreamIsAUserErrorNamingThePath() {
        Ferry.Result result = Ferry.run(
                "export",
                dir.resolve("nope.jsonl").toString(),
                dir.resolve("bucket").toString(),
                "--state-dir",
                dir.resolve("state").toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("nope.jsonl") && result.err().contains("[NOT_FOUND]"), result.err());
    }

    @Test
    void verifyFindsADeletedObjectAndExitsOne() throws IOException {
        Path input = dir.resolve("events.jsonl");
        MixedStream.write(input, 10_000, 0, 5);
        Path bucket = dir.resolve("bucket");
        assertEquals(
                0,
                Ferry.run(
                                "export",
                                input.toString(),
                                bucket.toString(),
                                "--object-records",
                                "1000",
                                "--progress",
                                "none",
                                "--state-dir",
                                dir.resolve("state").toString())
                        .exitCode());
        try (var objects = Files.walk(bucket)) {
            Path victim = objects.filter(path -> path.getFileName().toString().endsWith(".jsonl.zst"))
                    .sorted()
                    .skip(4)
                    .findFirst()
                    .orElseThrow();
            Files.delete(victim);
        }
        Ferry.Result verify = Ferry.run("verify", bucket.toString());
        assertEquals(1, verify.exitCode(), verify.out());
        assertTrue(verify.out().contains("MISSING_OBJECT") || verify.out().contains("GAP"), verify.out());
    }
}
