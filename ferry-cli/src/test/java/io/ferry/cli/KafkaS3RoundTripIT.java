package io.ferry.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.ArchivePosition;
import io.ferry.archive.ArchiveSource;
import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.archive.store.ObjectStore;
import io.ferry.kafka.CheckedSends;
import io.ferry.kafka.TestingKafka;
import io.ferry.s3.S3ObjectStore;
import io.ferry.s3.S3Settings;
import io.ferry.s3.StaticCredentials;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.testing.TestingS3;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka -> S3 -> a new Kafka topic through the command line, with the records that break restores:
 * binary and text keys and values, null keys, tombstones, duplicate and unusual header names,
 * explicit timestamps, and 5 MiB values into a topic that takes at most 1 MiB per event.
 */
class KafkaS3RoundTripIT {
    private static final int PARTITIONS = 6;
    private static final int RECORDS = 100_000;
    private static final int LARGE_VALUE = 5 << 20;

    private static TestingS3 s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        s3 = TestingS3.start();
        s3.createBucket("archive");
        System.setProperty("aws.accessKeyId", TestingS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", TestingS3.SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.close();
    }

    @Test
    void everyTargetRecordEqualsItsSourceRecordInPartitionOrderKeyValueHeadersAndTimestamp() throws Exception {
        TestingKafka kafka = TestingKafka.shared();
        String source = TestingKafka.uniqueTopic("orders");
        String target = TestingKafka.uniqueTopic("orders-restored");
        // Explicit timestamps from 2023: keep them from time-based retention while the test runs.
        kafka.createTopic(
                source, PARTITIONS, Map.of("max.message.bytes", Integer.toString(8 << 20), "retention.ms", "-1"));
        kafka.createTopic(
                target, PARTITIONS, Map.of("max.message.bytes", Integer.toString(1 << 20), "retention.ms", "-1"));
        produce(kafka, source);

        String bootstrap = kafka.bootstrapServers();
        String state = dir.resolve("state").toString();
        String endpoint = s3.endpoint().toString();
        Ferry.Result export = Ferry.run(
                "export",
                "kafka://" + bootstrap + "/" + source,
                "s3://archive/src",
                "--s3-endpoint",
                endpoint,
                "--progress",
                "none",
                "--state-dir",
                state);
        assertEquals(0, export.exitCode(), export.err());
        Ferry.Result verify = Ferry.run("verify", "s3://archive/src", "--s3-endpoint", endpoint);
        assertEquals(0, verify.exitCode(), verify.out());

        Ferry.Result imported = Ferry.run(
                "import",
                "s3://archive/src",
                "kafka://" + bootstrap + "/" + target,
                "--s3-endpoint",
                endpoint,
                "--progress",
                "none",
                "--state-dir",
                state);
        assertEquals(0, imported.exitCode(), imported.err());

        // Read the target back through ferry as well, which puts chunked records together again.
        Path copy = dir.resolve("copy");
        Ferry.Result exportTarget = Ferry.run(
                "export",
                "kafka://" + bootstrap + "/" + target,
                copy.toString(),
                "--progress",
                "none",
                "--state-dir",
                state);
        assertEquals(0, exportTarget.exitCode(), exportTarget.err());

        S3Settings settings = S3Settings.forEndpoint(s3.endpoint(), TestingS3.REGION)
                .withCredentials(new StaticCredentials(TestingS3.ACCESS_KEY, TestingS3.SECRET_KEY));
        try (ObjectStore original = S3ObjectStore.open("s3://archive/src", settings)) {
            int large = 0;
            long total = 0;
            for (int partition = 0; partition < PARTITIONS; partition++) {
                List<Record> before = read(original, source, partition);
                List<Record> after = read(new LocalDirectoryStore(copy), target, partition);
                assertEquals(before.size(), after.size(), "records in partition " + partition);
                for (int i = 0; i < before.size(); i++) {
                    Record expected = before.get(i);
                    Record actual = after.get(i);
                    String where = "partition " + partition + " record " + i;
                    assertTrue(Arrays.equals(expected.key(), actual.key()), where + " key");
                    assertTrue(Arrays.equals(expected.value(), actual.value()), where + " value");
                    assertEquals(expected.timestamp(), actual.timestamp(), where + " timestamp");
                    assertEquals(expected.headers(), withoutFerryHeaders(actual.headers()), where + " headers");
                    if (expected.value() != null && expected.value().length >= LARGE_VALUE) {
                        large++;
                    }
                }
                total += before.size();
            }
            assertEquals(RECORDS, total);
            assertTrue(large >= 4, "large values seen: " + large);
        }
    }

    private static List<Header> withoutFerryHeaders(List<Header> headers) {
        return headers.stream()
                .filter(header -> !header.name().startsWith("ferry."))
                .toList();
    }

    private static List<Record> read(ObjectStore store, String topic, int partition) {
        ArchiveSource archive = new ArchiveSource(store, "");
        Split split = new Split(topic + "/" + partition, topic, partition);
        List<Record> records = new ArrayList<>();
        try (SourceReader<ArchivePosition> reader = archive.open(split, Optional.empty())) {
            while (true) {
                ReadBatch batch = reader.read(Duration.ofSeconds(1));
                records.addAll(batch.records());
                if (batch.end()) {
                    return records;
                }
            }
        }
    }

    private static void produce(TestingKafka kafka, String topic) {
        SplittableRandom random = new SplittableRandom(99);
        String[] headerNames = {"trace", "dup", "dup", "", "with space", "ünïcödé", "ferry-not-reserved"};
        long baseTime = 1_700_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20, ProducerConfig.LINGER_MS_CONFIG, 20))) {
            CheckedSends sends = new CheckedSends(producer);
            for (int i = 0; i < RECORDS; i++) {
                byte[] key = switch (random.nextInt(10)) {
                    case 0 -> null;
                    case 1, 2, 3 -> bytes(random, 16);
                    default -> ("customer-" + random.nextInt(5000)).getBytes(UTF_8);
                };
                byte[] value;
                if (i % 20_000 == 7) {
                    value = new byte[LARGE_VALUE + random.nextInt(1024)];
                    for (int b = 0; b < value.length; b++) {
                        value[b] = (byte) random.nextInt(256);
                    }
                } else {
                    value = switch (random.nextInt(20)) {
                        case 0 -> null;
                        case 1, 2, 3, 4 -> bytes(random, 1 + random.nextInt(300));
                        default ->
                            ("{\"i\":" + i + ",\"note\":\"" + HexFormat.of().formatHex(bytes(random, 20))
                                            + "\",\"city\":\"Zürich\"}")
                                    .getBytes(UTF_8);
                    };
                }
                ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>(topic, i % PARTITIONS, baseTime + i, key, value);
                int headers = random.nextInt(4);
                for (int h = 0; h < headers; h++) {
                    String name = headerNames[random.nextInt(headerNames.length)];
                    record.headers().add(new RecordHeader(name, random.nextInt(5) == 0 ? null : bytes(random, 6)));
                }
                sends.send(record);
            }
            sends.flush();
        }
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
