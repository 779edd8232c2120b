package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;

import io.ferry.spi.error.FerryException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The configurations of the Kafka clients ferry makes: the user's client properties, ferry's
 * defaults where the user set nothing, and the settings ferry's guarantees rest on, which win.
 */
final class ClientConfigs {
    /** At most this many records per read, so memory stays bounded with many partitions. */
    static final int MAX_POLL_RECORDS = 1000;

    static final int MAX_PARTITION_FETCH_BYTES = 2 << 20;

    private static final AtomicLong CLIENTS = new AtomicLong();

    private ClientConfigs() {}

    /** A consumer that never joins a group and reads raw bytes. */
    static Map<String, Object> consumer(String bootstrapServers, Map<String, String> properties, String purpose) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 << 20);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(purpose));
        config.putAll(properties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return config;
    }

    /** A consumer used only to commit offsets for {@code group}; it never subscribes. */
    static Map<String, Object> committer(String bootstrapServers, Map<String, String> properties, String group) {
        Map<String, Object> config = consumer(bootstrapServers, properties, "commit-" + group);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return config;
    }

    /** An idempotent producer of raw bytes that waits for every in-sync replica. */
    static Map<String, Object> producer(String bootstrapServers, Map<String, String> properties, int maxRequestSize) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("import"));
        config.putAll(properties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    static Map<String, Object> admin(String bootstrapServers, Map<String, String> properties) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("admin"));
        for (Map.Entry<String, String> property : properties.entrySet()) {
            if (AdminClientConfig.configNames().contains(property.getKey())) {
                config.put(property.getKey(), property.getValue());
            }
        }
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /**
     * A failure of Kafka or of reaching it, as {@code IO_ERROR}; {@code doing} names the action and
     * the topic, partition or offset. The cause's message never holds client property values.
     */
    static FerryException failure(String bootstrapServers, String doing, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new FerryException(
                IO_ERROR,
                "Kafka at " + bootstrapServers + " failed while " + doing + ": " + reason
                        + " (check that the brokers are reachable and the --kafka-property security settings;"
                        + " a resumed job continues from its last checkpoint)",
                cause);
    }

    private static String clientId(String purpose) {
        return "ferry-" + purpose + "-" + CLIENTS.incrementAndGet();
    }
}
