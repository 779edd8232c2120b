package io.ferry.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaSourceIT {
    private static final long BASE_TIME = 1_700_000_000_000L;

    private final TestingKafka kafka = TestingKafka.shared();

    @Test
    void aBoundedReadStopsAtTheEndOffsetsSeenWhenPlanningWhileAProducerKeepsWriting() throws Exception {
        String topic = topicWith(1, 1_000);
        AtomicBoolean stop = new AtomicBoolean();
        try (KafkaSource source =
                source(KafkaSourceSettings.builder(kafka.bootstrapServers()).topics(topic))) {
            Split split = source.plan().getFirst();
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of())) {
                    Future<RecordMetadata> last = null;
                    for (int i = 0; i < 20_000 && !stop.get(); i++) {
                        last = producer.send(new ProducerRecord<>(topic, 0, null, ("late-" + i).getBytes(UTF_8)));
                    }
                    if (last != null) {
                        last.get(); // the late records did land: the read below really ignored them
                    }
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException("the late records were not written", e);
                }
            });
            Thread.sleep(200);
            try (SourceReader<KafkaPosition> reader = source.open(split, Optional.empty())) {
                List<Record> records = KafkaTestRecords.readToEnd(reader);
                assertEquals(1_000, records.size());
                assertEquals(Optional.of(new SplitSize(1_000, SplitSize.Unit.RECORDS)), source.size(split));
                assertEquals(1_000, reader.progress());
                assertTrue(records.stream().noneMatch(r -> new String(r.value(), UTF_8).startsWith("late-")));
            } finally {
                stop.set(true);
                producing.get();
            }
        }
    }

    @Test
    void startsAtFromOffset() {
        String topic = topicWith(2, 1_000);
        List<Record> records = KafkaTestRecords.readAll(KafkaSourceSettings.builder(kafka.bootstrapServers())
                .topics(topic)
                .fromOffset(400)
                .build());
        assertEquals(1_200, records.size(), "offsets 400 to 999 of both partitions");
        assertEquals(400, records.getFirst().offset());
    }

    @Test
    void startsAtFromTimeAndStopsBeforeUntilTime() {
        String topic = topicWith(1, 1_000); // record i has timestamp BASE_TIME + i seconds
        List<Record> records = KafkaTestRecords.readAll(KafkaSourceSettings.builder(kafka.bootstrapServers())
                .topics(topic)
                .fromTime(Instant.ofEpochMilli(BASE_TIME + 250_500))
                .untilTime(Instant.ofEpochMilli(BASE_TIME + 600_000))
                .build());
        assertEquals(
                List.of(251L, 599L),
                List.of(records.getFirst().offset(), records.getLast().offset()));
        assertEquals(349, records.size());
    }

    @Test
    void readsTopicsMatchingAPatternAndOnlyChosenPartitions() {
        String prefix = TestingKafka.uniqueTopic("pattern");
        kafka.createTopic(prefix + "-a", 3);
        kafka.createTopic(prefix + "-b", 3);
        try (KafkaSource source = source(KafkaSourceSettings.builder(kafka.bootstrapServers())
                .topicPattern(Pattern.compile(Pattern.quote(prefix) + "-.*"))
                .partitions(List.of(2, 0)))) {
            assertEquals(
                    List.of(prefix + "-a/0", prefix + "-a/2", prefix + "-b/0", prefix + "-b/2"),
                    source.plan().stream().map(Split::id).toList());
        }
    }

    @Test
    void followingReadsRecordsWrittenAfterPlanning() {
        String topic = topicWith(1, 10);
        try (KafkaSource source = source(KafkaSourceSettings.builder(kafka.bootstrapServers())
                .topics(topic)
                .follow(true))) {
            Split split = source.plan().getFirst();
            assertEquals(Optional.empty(), source.size(split));
            kafka.produce(List.of(new ProducerRecord<>(topic, 0, null, "later".getBytes(UTF_8))));
            try (SourceReader<KafkaPosition> reader = source.open(split, Optional.empty())) {
                List<Record> records = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (records.size() < 11 && System.nanoTime() < deadline) {
                    ReadBatch batch = reader.read(Duration.ofMillis(200));
                    assertTrue(!batch.end(), "a followed split does not end");
                    records.addAll(batch.records());
                }
                assertEquals("later", new String(records.getLast().value(), UTF_8));
            }
        }
    }

    @Test
    void twoExportsOfOneTopicEachReadEverythingAndLeaveConsumerGroupsAlone() throws Exception {
        String topic = topicWith(2, 500);
        TopicPartition first = new TopicPartition(topic, 0);
        String group = "app-" + topic;
        kafka.admin()
                .alterConsumerGroupOffsets(group, Map.of(first, new OffsetAndMetadata(7)))
                .all()
                .get();
        KafkaSourceSettings settings = KafkaSourceSettings.builder(kafka.bootstrapServers())
                .topics(topic)
                .build();
        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(() -> exportAndAcknowledge(settings));
        CompletableFuture<Integer> two = CompletableFuture.supplyAsync(() -> exportAndAcknowledge(settings));
        assertEquals(1_000, one.get());
        assertEquals(1_000, two.get());
        assertEquals(Map.of(first, new OffsetAndMetadata(7)), committed(group));

        String exportGroup = "export-" + topic;
        exportAndAcknowledge(KafkaSourceSettings.builder(kafka.bootstrapServers())
                .topics(topic)
                .commitGroup(exportGroup)
                .build());
        assertEquals(
                Map.of(first, new OffsetAndMetadata(500), new TopicPartition(topic, 1), new OffsetAndMetadata(500)),
                committed(exportGroup));
        assertEquals(Map.of(first, new OffsetAndMetadata(7)), committed(group));
    }

    private int exportAndAcknowledge(KafkaSourceSettings settings) {
        int count = 0;
        try (KafkaSource source = new KafkaSource(settings)) {
            for (Split split : source.plan()) {
                try (SourceReader<KafkaPosition> reader = source.open(split, Optional.empty())) {
                    List<Record> records = KafkaTestRecords.readToEnd(reader);
                    reader.acknowledge((KafkaPosition) records.getLast().position());
                    count += records.size();
                }
            }
        }
        return count;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        return kafka.admin()
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
    }

    private static KafkaSource source(KafkaSourceSettings.Builder settings) {
        return new KafkaSource(settings.build());
    }

    /** A topic whose partitions hold {@code perPartition} records, record i stamped BASE_TIME + i s. */
    private String topicWith(int partitions, int perPartition) {
        String topic = TestingKafka.uniqueTopic("source");
        kafka.createTopic(topic, partitions);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            for (int i = 0; i < perPartition; i++) {
                records.add(new ProducerRecord<>(
                        topic, partition, BASE_TIME + i * 1_000L, null, ("value-" + i).getBytes(UTF_8)));
            }
        }
        kafka.produce(records);
        return topic;
    }
}
