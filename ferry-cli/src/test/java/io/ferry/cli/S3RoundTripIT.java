package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testing.TestingS3;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export, verify and import against a real S3 protocol server, through the command line. */
class S3RoundTripIT {
    private static TestingS3 s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() {
        s3 = TestingS3.start();
        s3.createBucket("archive");
        // The SDK's default credential chain reads these first; the CLI never takes keys as options.
        System.setProperty("aws.accessKeyId", TestingS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", TestingS3.SECRET_KEY);
    }

    @AfterAll
    static void stopS3() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.close();
    }

    private String[] withS3(String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        all.add("--s3-endpoint");
        all.add(s3.endpoint().toString());
        if (!args[0].equals("verify")) {
            all.add("--state-dir");
            all.add(dir.resolve("state").toString());
        }
        return all.toArray(String[]::new);
    }

    @Test
    void aStreamGoesToAnS3BucketAndComesBackByteIdenticalAlongsideALocalCopy() throws Exception {
        Path input = dir.resolve("events.jsonl");
        MixedStream.write(input, 50_000, 1, 21);
        Path local = dir.resolve("local-bucket");

        Ferry.Result export = Ferry.run(withS3(
                "export",
                input.toString(),
                "s3://archive/exports",
                local.toString(),
                "--object-size",
                "2MiB",
                "--progress",
                "none"));
        assertEquals(0, export.exitCode(), export.err());

        Ferry.Result verify = Ferry.run(withS3("verify", "s3://archive/exports"));
        assertEquals(0, verify.exitCode(), verify.out());
        assertTrue(verify.out().contains("50,000 records"), verify.out());
        assertEquals(0, Ferry.run("verify", local.toString()).exitCode(), "the second destination got it all too");

        Path restored = dir.resolve("restored");
        Ferry.Result imported =
                Ferry.run(withS3("import", "s3://archive/exports", restored.toString(), "--progress", "none"));
        assertEquals(0, imported.exitCode(), imported.err());
        assertEquals(-1L, Files.mismatch(input, restored.resolve("events.jsonl")));
    }

    @Test
    void aMissingBucketIsNamedWithoutLeakingCredentials() {
        Ferry.Result verify = Ferry.run(withS3("verify", "s3://no-such-bucket/x"));
        assertTrue(verify.exitCode() != 0, verify.out());
        assertTrue(verify.err().contains("no-such-bucket"), verify.err());
        assertTrue(!verify.err().contains(TestingS3.SECRET_KEY) && !verify.out().contains(TestingS3.SECRET_KEY));
    }
}
