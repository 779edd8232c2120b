package io.ferry.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.ArchiveOptions;
import io.ferry.archive.ArchivePosition;
import io.ferry.archive.ArchiveSink;
import io.ferry.archive.ArchiveSource;
import io.ferry.archive.ArchiveVerifier;
import io.ferry.archive.VerifyReport;
import io.ferry.archive.format.Compression;
import io.ferry.archive.store.ObjectStore;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.testing.TestRecords;
import io.ferry.testing.TestingS3;
import io.ferry.testing.ValueKind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** Stores and plain SDK clients against a test S3 server, and reading an archive back. */
final class TestingStores {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private TestingStores() {}

    /** A new, empty bucket's name. */
    static String newBucket(TestingS3 s3) {
        String bucket = "ferry-test-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        return bucket;
    }

    static S3Settings settings(TestingS3 s3) {
        return settings(s3.endpoint(), s3.region());
    }

    static S3Settings settings(URI endpoint, String region) {
        return S3Settings.forEndpoint(endpoint, region)
                .withCredentials(new StaticCredentials(TestingS3.ACCESS_KEY, TestingS3.SECRET_KEY));
    }

    /** An SDK client that looks at the server directly, to check what a store did. */
    static S3Client sdkClient(URI endpoint, String region) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestingS3.ACCESS_KEY, TestingS3.SECRET_KEY)))
                .build();
    }

    static List<String> incompleteUploads(S3Client client, String bucket) {
        return client.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .map(MultipartUpload::key)
                .toList();
    }

    /**
     * Exports a few thousand records of three stream partitions through an {@link ArchiveSink} on
     * {@code store} (several objects each), reads them back with an {@link ArchiveSource} and
     * checks that they are all there, in order, and that {@link ArchiveVerifier} finds no problem.
     */
    static void exportReadAndVerify(ObjectStore store, String prefix) {
        List<Split> splits = List.of(
                new Split("orders/0", "orders", 0),
                new Split("orders/1", "orders", 1),
                new Split("users/0", "users", 0));
        ArchiveOptions options = ArchiveOptions.of(Compression.ZSTD).withObjectRecords(400);
        Map<Split, List<Record>> written = new LinkedHashMap<>();
        long seed = TestRecords.DEFAULT_SEED;
        for (Split split : splits) {
            List<Record> records =
                    TestRecords.records(split, 0, TestRecords.values(seed++, 1_500, EnumSet.allOf(ValueKind.class)));
            written.put(split, records);
            try (SinkWriter writer = new ArchiveSink(store, prefix, options)
                    .open(new SinkContext("s3-job", split, false), Optional.empty())) {
                for (int from = 0; from < records.size(); from += 100) {
                    writer.write(records.subList(from, Math.min(records.size(), from + 100)));
                }
                WriteReceipt receipt = writer.flush(true);
                assertEquals(records.getLast().offset(), receipt.lastOffset(), "receipt of " + split);
            }
        }
        for (Map.Entry<Split, List<Record>> entry : written.entrySet()) {
            List<Record> read = readArchive(store, prefix, entry.getKey());
            List<Record> expected = entry.getValue();
            assertEquals(expected.size(), read.size(), "records read back from " + entry.getKey());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).value(), read.get(i).value(), "value " + i + " of " + entry.getKey());
                assertEquals(expected.get(i).from(), read.get(i).from(), "coordinates " + i + " of " + entry.getKey());
            }
        }
        VerifyReport report = new ArchiveVerifier().verify(store, prefix);
        assertTrue(report.ok(), "problems: " + report.problems());
        assertEquals(3, report.partitions().size(), "partitions: " + report.partitions());
        for (VerifyReport.PartitionSummary partition : report.partitions()) {
            assertEquals(1_500, partition.records(), "records of " + partition);
            assertEquals(4, partition.objects(), "objects of " + partition);
        }
    }

    /** Every record of one split of the archive under {@code prefix}, in order. */
    static List<Record> readArchive(ObjectStore store, String prefix, Split split) {
        ArchiveSource source = new ArchiveSource(store, prefix);
        Optional<Split> planned = source.plan().stream()
                .filter(s -> s.stream().equals(split.stream()) && s.partition() == split.partition())
                .findFirst();
        if (planned.isEmpty()) {
            return List.of();
        }
        List<Record> records = new ArrayList<>();
        try (SourceReader<ArchivePosition> reader = source.open(planned.get(), Optional.empty())) {
            ReadBatch batch;
            do {
                batch = reader.read(Duration.ofMillis(10));
                records.addAll(batch.records());
            } while (!batch.end());
        }
        return records;
    }
}
