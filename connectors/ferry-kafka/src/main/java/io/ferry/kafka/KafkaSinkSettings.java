package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how {@link KafkaSink} writes: the target {@code topic} (which must exist), client
 * properties for every Kafka client (values may be secrets: never in messages or {@link
 * #toString()}), the {@link Partitioning}, the largest event to write ({@code maxEventSize}; by
 * default the topic's {@code max.message.bytes}), and whether a target holding records of something
 * other than this job may be written ({@code allowNonEmptyTarget}).
 */
public record KafkaSinkSettings(
        String bootstrapServers,
        String topic,
        Map<String, String> clientProperties,
        Partitioning partitioning,
        Optional<Integer> maxEventSize,
        boolean allowNonEmptyTarget) {
    /** The smallest event size ferry can split records into. */
    public static final int MIN_EVENT_SIZE = 16 << 10;

    public KafkaSinkSettings {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topic, "topic is null");
        clientProperties = Map.copyOf(requireNonNull(clientProperties, "clientProperties is null"));
        requireNonNull(partitioning, "partitioning is null");
        requireNonNull(maxEventSize, "maxEventSize is null");

        List<String> problems = new ArrayList<>();
        if (bootstrapServers.isBlank()) {
            problems.add("the Kafka bootstrap servers are empty (example: kafka://broker1:9092/orders)");
        }
        if (!KafkaSourceSettings.TOPIC_NAME.matcher(topic).matches()) {
            problems.add("'" + topic + "' is not a Kafka topic name (letters, digits, '.', '_', '-'; 1 to 249)");
        }
        if (maxEventSize.isPresent() && maxEventSize.get() < MIN_EVENT_SIZE) {
            problems.add("--max-event-size must be at least " + MIN_EVENT_SIZE + " bytes, got " + maxEventSize.get()
                    + " (example: --max-event-size 1MiB)");
        }
        for (Map.Entry<String, String> property : clientProperties.entrySet()) {
            String value = property.getValue().trim().toLowerCase(Locale.ROOT);
            switch (property.getKey()) {
                case "enable.idempotence" -> {
                    if (!value.equals("true")) {
                        problems.add("--kafka-property enable.idempotence must stay true: exactly-once import"
                                + " relies on the idempotent producer; remove it");
                    }
                }
                case "acks" -> {
                    if (!value.equals("all") && !value.equals("-1")) {
                        problems.add("--kafka-property acks must stay 'all': a record is durable only once every"
                                + " in-sync replica has it; remove it");
                    }
                }
                case "transactional.id", "key.serializer", "value.serializer", "partitioner.class" ->
                    problems.add("--kafka-property " + property.getKey() + " is set by ferry and cannot be"
                            + " changed: remove it");
                default -> {}
            }
        }
        if (!problems.isEmpty()) {
            throw new FerryException(BAD_OPTION, String.join("\n", problems));
        }
    }

    /** Writes to {@code topic}, keeping partitions, sizing events by the topic, refusing foreign data. */
    public static KafkaSinkSettings of(String bootstrapServers, String topic, Map<String, String> clientProperties) {
        return new KafkaSinkSettings(
                bootstrapServers, topic, clientProperties, Partitioning.SAME, Optional.empty(), false);
    }

    public KafkaSinkSettings withPartitioning(Partitioning partitioning) {
        return new KafkaSinkSettings(
                bootstrapServers, topic, clientProperties, partitioning, maxEventSize, allowNonEmptyTarget);
    }

    public KafkaSinkSettings withMaxEventSize(int bytes) {
        return new KafkaSinkSettings(
                bootstrapServers, topic, clientProperties, partitioning, Optional.of(bytes), allowNonEmptyTarget);
    }

    public KafkaSinkSettings withAllowNonEmptyTarget(boolean allow) {
        return new KafkaSinkSettings(bootstrapServers, topic, clientProperties, partitioning, maxEventSize, allow);
    }

    @Override
    public String toString() {
        return "KafkaSinkSettings[" + bootstrapServers + "/" + topic + ", clientProperties="
                + clientProperties.keySet() + ", partitioning=" + partitioning + ", maxEventSize=" + maxEventSize
                + ", allowNonEmptyTarget=" + allowNonEmptyTarget + "]";
    }
}
