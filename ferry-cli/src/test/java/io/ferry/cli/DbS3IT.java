package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.format.Compression;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.StoredObject;
import io.ferry.testing.TestingS3;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbS3IT {
    private static TestingS3 s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() {
        s3 = TestingS3.start();
        s3.createBucket("archive");
        System.setProperty("aws.accessKeyId", TestingS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", TestingS3.SECRET_KEY);
    }

    @AfterAll
    static void stopS3() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.close();
    }

    @Test
    void aTaskExportsToAnS3BucketAndDeletesItsRowsOnceTheUploadCompleted() throws Exception {
        try (DbTestDatabase database = DbTestDatabase.create("ferry_dbs3")) {
            database.execute(
                    "CREATE TABLE events (id bigserial PRIMARY KEY, body text)",
                    "INSERT INTO events (body) SELECT md5(g::text) || repeat('b', 100) FROM generate_series(1, 100000) g");
            Path tasks = task();
            Ferry.Result result = Ferry.run(
                    "db",
                    "export",
                    "--all",
                    "--tasks",
                    tasks.toString(),
                    "--database",
                    database.url(),
                    "--to",
                    "s3://archive/db",
                    "--s3-endpoint",
                    s3.endpoint().toString(),
                    "--s3-part-size",
                    "5MiB",
                    "--compression",
                    "zstd");
            assertEquals(0, result.exitCode(), result.err());
            assertEquals(0, database.ids("SELECT id FROM events").size());

            try (ObjectStore bucket = Endpoints.bucket("s3://archive/db", s3Options())) {
                List<StoredObject> objects = bucket.list("");
                assertEquals(2, objects.size(), objects.toString());
                String key = objects.get(0).key();
                assertTrue(key.matches("events-.*_[AP]M\\.csv\\.zst"), key);
                assertEquals(key + ".manifest.json", objects.get(1).key());
                try (InputStream in = Compression.ZSTD.decompress(bucket.open(key))) {
                    String csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(csv.startsWith("id,body\n"));
                    assertEquals(100_001, csv.lines().count());
                }
            }
        }
    }

    @Test
    void anUnreachableBucketFailsTheTaskAndDeletesNothing() throws Exception {
        try (DbTestDatabase database = DbTestDatabase.create("ferry_dbs3_down")) {
            database.execute(
                    "CREATE TABLE events (id bigserial PRIMARY KEY, body text)",
                    "INSERT INTO events (body) SELECT 'e' || g FROM generate_series(1, 1000) g");
            Ferry.Result result = Ferry.run(
                    "db",
                    "export",
                    "--all",
                    "--tasks",
                    task().toString(),
                    "--database",
                    database.url(),
                    "--to",
                    "s3://archive/db",
                    "--s3-endpoint",
                    "http://127.0.0.1:1",
                    "--s3-max-retries",
                    "0");
            assertEquals(ExitCode.EXTERNAL, result.exitCode(), result.err());
            assertTrue(result.err().contains("task 'events'"), result.err());
            assertEquals(1000, database.ids("SELECT id FROM events").size());
        }
    }

    private Path task() throws Exception {
        Path tasks = Files.createDirectories(dir.resolve("tasks/events"));
        Files.writeString(
                tasks.resolve("select.sql"), "COPY (DELETE FROM events RETURNING *) TO STDOUT WITH CSV HEADER");
        return tasks.getParent();
    }

    private static S3Options s3Options() {
        return new picocli.CommandLine(new Holder())
                .parseArgs("--s3-endpoint", s3.endpoint().toString())
                .commandSpec()
                .commandLine()
                .<Holder>getCommand()
                .options;
    }

    @picocli.CommandLine.Command
    static final class Holder {
        @picocli.CommandLine.Mixin
        S3Options options = new S3Options();
    }
}
