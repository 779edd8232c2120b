package io.ferry.kafka;

import io.ferry.spi.source.Source;
import io.ferry.testing.SourceContractTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

class KafkaSourceContractTest extends SourceContractTest<KafkaPosition> {
    private final TestingKafka kafka = TestingKafka.shared();

    @Override
    protected Source<KafkaPosition> createSource(List<byte[]> values) {
        String topic = TestingKafka.uniqueTopic("source-contract");
        kafka.createTopic(topic, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (byte[] value : values) {
            records.add(new ProducerRecord<>(topic, 0, null, value));
        }
        kafka.produce(records);
        return new KafkaSource(KafkaSourceSettings.builder(kafka.bootstrapServers())
                .topics(topic)
                .build());
    }

    @Override
    protected List<String> malformedPositions() {
        List<String> malformed = new ArrayList<>(super.malformedPositions());
        malformed.addAll(List.of("o=", "o=-1", "o=5,r=7", "o=1,r=", "offset=3", "o=3;r=1"));
        return malformed;
    }
}
