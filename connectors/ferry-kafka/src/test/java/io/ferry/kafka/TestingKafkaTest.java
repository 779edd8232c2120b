package io.ferry.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class TestingKafkaTest {
    @Test
    void startsAndRoundTripsARecord() {
        TestingKafka kafka = TestingKafka.shared();
        String topic = TestingKafka.uniqueTopic("smoke");
        kafka.createTopic(topic, 2);
        byte[] value = "hello".getBytes(StandardCharsets.UTF_8);
        kafka.produce(List.of(new ProducerRecord<>(topic, 1, null, value)));
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll(topic, 1);
        assertEquals(1, records.size());
        assertArrayEquals(value, records.getFirst().value());
    }
}
