package io.ferry.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaRoundTripIT {
    private static final long BASE_TIME = 1_700_000_000_000L;

    private final TestingKafka kafka = TestingKafka.shared();

    @Test
    void keepsPartitionOrderKeyValueHeadersAndTimestampOfEveryRecord() {
        String source = TestingKafka.uniqueTopic("round-trip-source");
        String target = TestingKafka.uniqueTopic("round-trip-target");
        kafka.createTopic(source, 3);
        kafka.createTopic(target, 3);
        kafka.produce(varied(source, 3, 3_000));

        copy(source, KafkaSinkSettings.of(kafka.bootstrapServers(), target, Map.of()), "round-trip");

        for (int partition = 0; partition < 3; partition++) {
            assertSameRecords(
                    KafkaTestRecords.readAll(kafka, source, partition),
                    KafkaTestRecords.readAll(kafka, target, partition));
        }
    }

    @Test
    void valuesLargerThanTheTargetsEventLimitComeBackEqual() {
        String source = TestingKafka.uniqueTopic("large-source");
        String target = TestingKafka.uniqueTopic("large-target");
        kafka.createTopic(source, 2, Map.of("max.message.bytes", Integer.toString(8 << 20)));
        kafka.createTopic(target, 2, Map.of("max.message.bytes", Integer.toString(1 << 20)));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 40; i++) {
            int partition = i % 2;
            byte[] value =
                    ChunkAssemblerTest.randomBytes(i % 8 == 3 || i % 8 == 6 ? 5 << 20 : 100 + random.nextInt(5_000), i);
            RecordHeaders headers = new RecordHeaders();
            headers.add("kind", (i % 8 == 3 || i % 8 == 6 ? "large" : "small").getBytes(UTF_8));
            records.add(new ProducerRecord<>(
                    source, partition, BASE_TIME + i, ("key-" + i).getBytes(UTF_8), value, headers));
        }
        kafka.produce(records);

        copy(source, KafkaSinkSettings.of(kafka.bootstrapServers(), target, Map.of()), "large");

        for (int partition = 0; partition < 2; partition++) {
            List<Record> expected = KafkaTestRecords.readAll(kafka, source, partition);
            assertSameRecords(expected, KafkaTestRecords.readAll(kafka, target, partition));
            int events = kafka.readAll(target, partition).size();
            assertTrue(events > expected.size(), "5 MiB values into 1 MiB events are chunked: " + events);
        }
    }

    /** Copies every split of {@code topic} into a {@link KafkaSink}, as the engine would. */
    static void copy(String topic, KafkaSinkSettings target, String job) {
        TestingKafka kafka = TestingKafka.shared();
        try (KafkaSource source = new KafkaSource(KafkaSourceSettings.builder(kafka.bootstrapServers())
                        .topics(topic)
                        .build());
                KafkaSink sink = new KafkaSink(target)) {
            for (Split split : source.plan()) {
                try (SourceReader<KafkaPosition> reader = source.open(split, Optional.empty());
                        SinkWriter writer = sink.open(new SinkContext(job, split, false), Optional.empty())) {
                    while (true) {
                        ReadBatch batch = reader.read(Duration.ofMillis(200));
                        writer.write(batch.records());
                        writer.flush(false);
                        if (batch.end()) {
                            break;
                        }
                    }
                    writer.flush(true);
                }
            }
        }
    }

    /** Records of every shape Kafka allows, spread over {@code partitions}. */
    static List<ProducerRecord<byte[], byte[]>> varied(String topic, int partitions, int count) {
        SplittableRandom random = new SplittableRandom(42);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = switch (i % 4) {
                case 0 -> null;
                case 1 -> ("text-key-" + i + "-\u00e9\u65e5").getBytes(UTF_8);
                case 2 -> ChunkAssemblerTest.randomBytes(1 + random.nextInt(40), i);
                default -> new byte[0];
            };
            byte[] value = switch (i % 5) {
                case 0 -> null; // a tombstone
                case 1 -> ("{\"n\":" + i + ",\"text\":\"caf\u00e9 \ud83d\udea2\"}").getBytes(UTF_8);
                case 2 -> ChunkAssemblerTest.randomBytes(random.nextInt(3_000), i + 1_000_000L);
                case 3 -> new byte[0];
                default -> "line\nwith\r\nbreaks".getBytes(UTF_8);
            };
            RecordHeaders headers = new RecordHeaders();
            if (i % 3 == 0) {
                headers.add("dup", "first".getBytes(UTF_8));
                headers.add("", "empty name".getBytes(UTF_8));
                headers.add("dup", "second".getBytes(UTF_8));
                headers.add("we ird/\u00fcn\u00efcode:name", null);
                headers.add("binary", ChunkAssemblerTest.randomBytes(16, i));
            }
            Long timestamp = i % 7 == 0 ? null : BASE_TIME + random.nextInt(1_000_000);
            records.add(new ProducerRecord<>(topic, i % partitions, timestamp, key, value, headers));
        }
        return records;
    }

    /** Same key, value, headers (less ferry's own) and timestamp, in the same order. */
    static void assertSameRecords(List<Record> expected, List<Record> actual) {
        assertEquals(expected.size(), actual.size(), "number of records");
        for (int i = 0; i < expected.size(); i++) {
            Record want = expected.get(i);
            Record got = actual.get(i);
            assertArrayEquals(want.key(), got.key(), "key of record " + i);
            assertArrayEquals(want.value(), got.value(), "value of record " + i);
            assertEquals(want.headers(), withoutFerryHeaders(got.headers()), "headers of record " + i);
            assertEquals(want.timestamp(), got.timestamp(), "timestamp of record " + i);
            assertEquals(want.from().partition(), got.from().partition(), "partition of record " + i);
        }
    }

    static List<Header> withoutFerryHeaders(List<Header> headers) {
        return headers.stream()
                .filter(header -> !header.name().equals(FerryHeaders.ORIGIN)
                        && !header.name().equals(FerryHeaders.JOB))
                .toList();
    }
}
