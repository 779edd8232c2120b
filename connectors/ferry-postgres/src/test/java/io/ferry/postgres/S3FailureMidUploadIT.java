package io.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.format.Compression;
import io.ferry.s3.S3ObjectStore;
import io.ferry.s3.S3Settings;
import io.ferry.s3.StaticCredentials;
import io.ferry.spi.error.FerryException;
import io.ferry.testing.FaultInjectingProxy;
import io.ferry.testing.TestingS3;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 failing in the middle of a multipart upload: the task fails, nothing is deleted, nothing half-written. */
class S3FailureMidUploadIT {
    private static final String BOUNDARY = "2024-01-04";

    @TempDir
    Path tasks;

    private TestingDatabase database;
    private TestingS3 s3;

    @BeforeEach
    void start() throws Exception {
        database = TestingDatabase.create("ferry_s3_failure");
        VersionedTable.create(database, 4000, 3000); // about 25 MiB of CSV: five 5 MiB parts
        VersionedTable.writeTask(tasks, "versions");
        s3 = TestingS3.startWithBuckets("archive");
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        database.close();
    }

    @Test
    void aPartThatKeepsFailingFailsTheTaskAndDeletesNoRowAndLeavesNoObjectOrUpload() throws Exception {
        Set<Long> before = database.ids("SELECT id FROM versions");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(
                s3.endpoint(),
                0,
                1,
                head -> head.contains("partNumber=3")
                        ? Optional.of(FaultInjectingProxy.Fault.INTERNAL_ERROR)
                        : Optional.empty())) {
            S3Settings settings = S3Settings.forEndpoint(proxy.endpoint(), TestingS3.REGION)
                    .withCredentials(new StaticCredentials(TestingS3.ACCESS_KEY, TestingS3.SECRET_KEY))
                    .withPartSizeBytes(S3Settings.MIN_PART_SIZE_BYTES)
                    .withMaxRetries(1);
            try (S3ObjectStore store = S3ObjectStore.open("s3://archive/db", settings)) {
                TaskExporter exporter = new TaskExporter(
                        new Database(DatabaseUrl.parse(database.url(), Optional.empty(), Map.of())),
                        store,
                        ExportSettings.defaults()
                                .withParameters(Map.of("export_boundary", BOUNDARY))
                                .withCompression(Compression.NONE, 0));
                exporter.prepare();
                FerryException failure = assertThrows(
                        FerryException.class, () -> exporter.export(TaskFolder.load(tasks.resolve("versions"))));
                assertTrue(
                        failure.getMessage().contains("versions")
                                || failure.getMessage().contains("part"),
                        failure.getMessage());
                assertTrue(proxy.injected() >= 2, "the part failed on every try: " + proxy.injected());
                assertEquals(java.util.List.of(), store.list(""), "no object under any name");
            }
        }
        assertEquals(before, database.ids("SELECT id FROM versions"), "no row deleted");
        try (S3Client client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(TestingS3.REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestingS3.ACCESS_KEY, TestingS3.SECRET_KEY)))
                .build()) {
            assertEquals(
                    0,
                    client.listMultipartUploads(request -> request.bucket("archive"))
                            .uploads()
                            .size(),
                    "no multipart upload left open");
        }
    }
}
