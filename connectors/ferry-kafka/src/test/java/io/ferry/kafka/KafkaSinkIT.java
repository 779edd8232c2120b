package io.ferry.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import io.ferry.spi.source.Split;
import io.ferry.testing.TestRecords;
import io.ferry.testing.ValueKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaSinkIT {
    private final TestingKafka kafka = TestingKafka.shared();
    private final Split split = new Split("orders/1", "orders", 1);

    @Test
    void aSinkResumedWithoutStateAfterACrashWritesNoRecordTwice() {
        String topic = target(2);
        List<Record> records = records(3_000, true);
        KafkaSinkSettings settings =
                KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of()).withMaxEventSize(64 << 10);
        try (KafkaSink sink = new KafkaSink(settings);
                SinkWriter writer = sink.open(new SinkContext("job", split, false), Optional.empty())) {
            for (int from = 0; from < 2_000; from += 100) {
                writer.write(records.subList(from, from + 100));
                writer.flush(false);
            }
            // Dies here: closed without a forced flush, nothing checkpointed.
        }
        try (KafkaSink sink = new KafkaSink(settings);
                SinkWriter writer = sink.open(new SinkContext("job", split, true), Optional.empty())) {
            for (int from = 0; from < records.size(); from += 100) {
                writer.write(records.subList(from, from + 100));
            }
            WriteReceipt receipt = writer.flush(true);
            assertEquals(records.getLast().offset(), receipt.lastOffset());
        }
        List<Record> written = KafkaTestRecords.readAll(kafka, topic, 1);
        assertEquals(records.size(), written.size(), "records in the target");
        for (int i = 0; i < records.size(); i++) {
            assertArrayEquals(records.get(i).value(), written.get(i).value(), "value of record " + i);
        }
        assertEquals(List.of(), KafkaTestRecords.readAll(kafka, topic, 0), "partition 0 is not written");
    }

    @Test
    void aRecordWhoseChunksWereCutShortByACrashIsWrittenAgainWhole() throws Exception {
        String topic = target(2);
        Record large = new Record(
                "k".getBytes(UTF_8),
                ChunkAssemblerTest.randomBytes(200_000, 9),
                List.of(io.ferry.spi.record.Header.of("h", "v")),
                1_700_000_000_000L,
                new io.ferry.spi.record.SourceCoordinates(split.stream(), split.partition(), 50),
                new KafkaPosition(50));
        String origin = "orders/1/50";
        String sha = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(large.value()));
        List<ProducerRecord<byte[], byte[]>> cutShort = new ArrayList<>();
        for (int index = 0; index < 2; index++) { // 2 of 7 chunks landed before the crash
            org.apache.kafka.common.header.internals.RecordHeaders headers =
                    new org.apache.kafka.common.header.internals.RecordHeaders();
            headers.add(FerryHeaders.ORIGIN, origin.getBytes(UTF_8));
            headers.add(FerryHeaders.JOB, "job".getBytes(UTF_8));
            new ChunkHeader(KafkaSinkWriter.chunkId("job", origin), index, 7, large.value().length, sha)
                    .toKafkaHeaders()
                    .forEach(headers::add);
            cutShort.add(new ProducerRecord<>(topic, 1, null, large.key(), new byte[30_000], headers));
        }
        kafka.produce(cutShort);

        write(
                KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of()).withMaxEventSize(32 << 10),
                "job",
                List.of(large));

        List<Record> read = KafkaTestRecords.readAll(kafka, topic, 1);
        assertEquals(1, read.size());
        assertArrayEquals(large.value(), read.getFirst().value());
        assertEquals(2, read.getFirst().offset(), "the whole copy starts after the 2 cut-short chunks");
    }

    @Test
    void everyEventCarriesItsOriginAndJob() {
        String topic = target(2);
        List<Record> records = records(10, false);
        write(KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of()), "job-a", records);
        List<Record> written = KafkaTestRecords.readAll(kafka, topic, 1);
        for (int i = 0; i < records.size(); i++) {
            assertEquals(
                    List.of(
                            io.ferry.spi.record.Header.of(
                                    FerryHeaders.ORIGIN,
                                    "orders/1/" + records.get(i).offset()),
                            io.ferry.spi.record.Header.of(FerryHeaders.JOB, "job-a")),
                    written.get(i).headers());
        }
    }

    @Test
    void refusesATargetHoldingForeignRecords() {
        String topic = target(2);
        kafka.produce(List.of(new ProducerRecord<>(topic, 1, null, "foreign".getBytes(UTF_8))));
        KafkaSinkSettings settings = KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of());
        FerryException error = assertThrows(FerryException.class, () -> write(settings, "job", records(10, false)));
        assertEquals(StandardErrorCode.TARGET_EXISTS, error.code());
        assertTrue(error.getMessage().contains(topic + "-1"), error.getMessage());
        assertTrue(error.getMessage().contains("--allow-nonempty-target"), error.getMessage());
        assertEquals(1, kafka.readAll(topic, 1).size(), "nothing written");
    }

    @Test
    void refusesATargetHoldingAnotherImportsRecords() {
        String topic = target(2);
        KafkaSinkSettings settings = KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of());
        write(settings, "first-import", records(10, false));
        FerryException error =
                assertThrows(FerryException.class, () -> write(settings, "second-import", records(10, false)));
        assertEquals(StandardErrorCode.TARGET_EXISTS, error.code());
        assertTrue(error.getMessage().contains("first-import"), error.getMessage());
    }

    @Test
    void writesAfterForeignRecordsWhenAllowed() {
        String topic = target(2);
        kafka.produce(List.of(new ProducerRecord<>(topic, 1, null, "foreign".getBytes(UTF_8))));
        KafkaSinkSettings settings =
                KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of()).withAllowNonEmptyTarget(true);
        write(settings, "job", records(10, false));
        write(settings, "job", records(10, false)); // a second run finds its records and adds none
        assertEquals(11, kafka.readAll(topic, 1).size());
    }

    @Test
    void partitionsByKeyAndResumesPerPartition() {
        String topic = target(4);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            records.add(new Record(
                    ("key-" + (i % 37)).getBytes(UTF_8),
                    ("value-" + i).getBytes(UTF_8),
                    List.of(),
                    Record.NO_TIMESTAMP,
                    new io.ferry.spi.record.SourceCoordinates("orders", 1, i),
                    new KafkaPosition(i)));
        }
        KafkaSinkSettings settings =
                KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of()).withPartitioning(Partitioning.KEY);
        write(settings, "job", records.subList(0, 250));
        write(settings, "job", records);
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int partition = 0; partition < 4; partition++) {
            for (Record record : KafkaTestRecords.readAll(kafka, topic, partition)) {
                assertTrue(seen.add(new String(record.value(), UTF_8)), "written twice: " + record);
                total++;
            }
        }
        assertEquals(400, total);
    }

    @Test
    void refusesASourcePartitionTheTargetLacks() {
        String topic = target(1);
        KafkaSinkSettings settings = KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of());
        FerryException error = assertThrows(FerryException.class, () -> write(settings, "job", records(1, false)));
        assertEquals(StandardErrorCode.BAD_OPTION, error.code());
        assertTrue(error.getMessage().contains("--partition-map"), error.getMessage());
    }

    @Test
    void splitsOpenedOneAfterAnotherReadTheTargetWithOneConsumer() {
        String topic = target(2);
        KafkaSinkSettings settings = KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of());
        Split first = new Split("orders/0", "orders", 0);
        List<Record> records = records(first, 15, false);
        KafkaSink sink = new KafkaSink(settings);
        try {
            writeSplit(sink, first, records.subList(0, 10));
            writeSplit(sink, split, records(split, 10, false));
            assertEquals(1, sink.idleScanConsumers(), "the second split reused the first one's consumer");
            // The reused consumer reads the tail of partition 0 afresh: the first 10 are not written again.
            writeSplit(sink, first, records);
            assertEquals(1, sink.idleScanConsumers());
        } finally {
            sink.close();
        }
        assertEquals(0, sink.idleScanConsumers(), "closed with the sink");
        List<Record> written = KafkaTestRecords.readAll(kafka, topic, 0);
        assertEquals(15, written.size());
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(records.get(i).value(), written.get(i).value(), "value of record " + i);
        }
        assertEquals(10, KafkaTestRecords.readAll(kafka, topic, 1).size());
    }

    private static void writeSplit(KafkaSink sink, Split split, List<Record> records) {
        try (SinkWriter writer = sink.open(new SinkContext("job", split, true), Optional.empty())) {
            writer.write(records);
            writer.flush(true);
        }
    }

    private String target(int partitions) {
        String topic = TestingKafka.uniqueTopic("sink");
        kafka.createTopic(topic, partitions);
        return topic;
    }

    private void write(KafkaSinkSettings settings, String job, List<Record> records) {
        try (KafkaSink sink = new KafkaSink(settings);
                SinkWriter writer = sink.open(new SinkContext(job, split, false), Optional.empty())) {
            writer.write(records);
            writer.flush(true);
        }
    }

    private List<Record> records(int count, boolean large) {
        return records(split, count, large);
    }

    private static List<Record> records(Split split, int count, boolean large) {
        EnumSet<ValueKind> kinds = EnumSet.allOf(ValueKind.class);
        if (!large) {
            kinds.remove(ValueKind.LONG);
        }
        List<Record> records = new ArrayList<>();
        List<byte[]> values = TestRecords.values(7, count, kinds);
        for (int i = 0; i < count; i++) {
            long offset = 100 + 3L * i;
            records.add(new Record(
                    null,
                    values.get(i),
                    List.of(),
                    Record.NO_TIMESTAMP,
                    new io.ferry.spi.record.SourceCoordinates(split.stream(), split.partition(), offset),
                    new KafkaPosition(offset)));
        }
        return records;
    }
}
