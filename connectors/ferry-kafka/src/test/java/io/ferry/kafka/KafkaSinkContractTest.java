package io.ferry.kafka;

import io.ferry.spi.record.Record;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.source.Split;
import io.ferry.testing.SinkContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

class KafkaSinkContractTest extends SinkContractTest {
    final TestingKafka kafka = TestingKafka.shared();
    String topic = "";

    @BeforeEach
    void createTarget() {
        topic = TestingKafka.uniqueTopic("sink-contract");
        kafka.createTopic(topic, 2);
    }

    @Override
    protected Sink createSink() {
        return new KafkaSink(settings());
    }

    KafkaSinkSettings settings() {
        return KafkaSinkSettings.of(kafka.bootstrapServers(), topic, Map.of());
    }

    @Override
    protected List<byte[]> readDurableValues(Split split) {
        return KafkaTestRecords.readAll(kafka, topic, split.partition()).stream()
                .map(Record::value)
                .toList();
    }

    @Override
    protected boolean publishesOnlyOnFlush() {
        return false; // events are visible once acknowledged; a resumed writer skips them by origin
    }
}
