package io.ferry.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading topics back in tests, through {@link KafkaSource} so chunked records come back whole. */
final class KafkaTestRecords {
    private KafkaTestRecords() {}

    /** Every record of {@code topic}'s {@code partition}, up to its current end. */
    static List<Record> readAll(TestingKafka kafka, String topic, int partition) {
        return readAll(KafkaSourceSettings.builder(kafka.bootstrapServers())
                .topics(topic)
                .partitions(List.of(partition))
                .build());
    }

    /** Every record of every split the settings plan, split after split. */
    static List<Record> readAll(KafkaSourceSettings settings) {
        List<Record> records = new ArrayList<>();
        try (KafkaSource source = new KafkaSource(settings)) {
            for (Split split : source.plan()) {
                try (SourceReader<KafkaPosition> reader = source.open(split, Optional.empty())) {
                    records.addAll(readToEnd(reader));
                }
            }
        }
        return records;
    }

    static List<Record> readToEnd(SourceReader<KafkaPosition> reader) {
        List<Record> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            ReadBatch batch = reader.read(Duration.ofMillis(200));
            records.addAll(batch.records());
            if (batch.end()) {
                return records;
            }
            assertTrue(System.nanoTime() < deadline, "no end of split after 120 s");
        }
    }
}
