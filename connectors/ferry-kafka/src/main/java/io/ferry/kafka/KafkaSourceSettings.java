package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link KafkaSource} reads: topics named in {@code topics} or matching {@code topicPattern}
 * (exactly one of the two), all partitions or those in {@code partitions}, from the beginning or
 * {@code fromOffset} / {@code fromTime}, up to the end offsets seen when planning (or {@code
 * untilTime}), or on and on with {@code follow}.
 *
 * <p>{@code clientProperties} go to every Kafka client as they are (security settings, timeouts);
 * their values may be secrets and never appear in messages or {@link #toString()}. {@code
 * commitGroup} names a consumer group to commit acknowledged offsets for; without it no group is
 * touched. {@code maxRecordBytes} bounds the memory one record split into chunks may take while it
 * is put back together.
 */
public record KafkaSourceSettings(
        String bootstrapServers,
        List<String> topics,
        Optional<Pattern> topicPattern,
        List<Integer> partitions,
        Map<String, String> clientProperties,
        Optional<Long> fromOffset,
        Optional<Instant> fromTime,
        Optional<Instant> untilTime,
        boolean follow,
        Optional<String> commitGroup,
        long maxRecordBytes) {
    public static final long DEFAULT_MAX_RECORD_BYTES = 256L << 20;

    static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public KafkaSourceSettings {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        topics = List.copyOf(requireNonNull(topics, "topics is null"));
        requireNonNull(topicPattern, "topicPattern is null");
        partitions = List.copyOf(requireNonNull(partitions, "partitions is null"));
        clientProperties = Map.copyOf(requireNonNull(clientProperties, "clientProperties is null"));
        requireNonNull(fromOffset, "fromOffset is null");
        requireNonNull(fromTime, "fromTime is null");
        requireNonNull(untilTime, "untilTime is null");
        requireNonNull(commitGroup, "commitGroup is null");

        List<String> problems = new ArrayList<>();
        if (bootstrapServers.isBlank()) {
            problems.add("the Kafka bootstrap servers are empty (example: kafka://broker1:9092/orders)");
        }
        if (topics.isEmpty() == topicPattern.isEmpty()) {
            problems.add("name topics or give a topic pattern, not " + (topics.isEmpty() ? "neither" : "both")
                    + " (example: kafka://broker:9092/orders,payments)");
        }
        for (String topic : topics) {
            if (!TOPIC_NAME.matcher(topic).matches()) {
                problems.add("'" + topic + "' is not a Kafka topic name (letters, digits, '.', '_', '-'; 1 to 249)");
            }
        }
        for (Integer partition : new HashSet<>(partitions)) {
            if (partition < 0) {
                problems.add("--partition " + partition + " is negative (partitions count from 0)");
            }
        }
        if (new HashSet<>(partitions).size() != partitions.size()) {
            problems.add("--partition names a partition twice: " + partitions);
        }
        if (fromOffset.isPresent() && fromOffset.get() < 0) {
            problems.add("--from-offset " + fromOffset.get() + " is negative (example: --from-offset 0)");
        }
        if (fromOffset.isPresent() && fromTime.isPresent()) {
            problems.add("--from-offset and --from-time both say where to start: give one");
        }
        if (fromTime.isPresent() && untilTime.isPresent() && !untilTime.get().isAfter(fromTime.get())) {
            problems.add("--until-time " + untilTime.get() + " is not after --from-time " + fromTime.get());
        }
        if (commitGroup.isPresent() && commitGroup.get().isBlank()) {
            problems.add("--commit-group is empty: name the consumer group (example: --commit-group billing)");
        }
        if (maxRecordBytes < 1 << 20 || maxRecordBytes > Integer.MAX_VALUE - 64) {
            problems.add("the reassembly limit must be between 1 MiB and 2 GiB, got " + maxRecordBytes + " bytes");
        }
        for (String name : clientProperties.keySet()) {
            switch (name) {
                case "group.id" ->
                    problems.add("--kafka-property group.id is not used: ferry reads without a consumer"
                            + " group; to commit offsets for a group use --commit-group NAME");
                case "enable.auto.commit", "key.deserializer", "value.deserializer", "group.instance.id" ->
                    problems.add("--kafka-property " + name + " is set by ferry and cannot be changed: remove it");
                default -> {}
            }
        }
        if (!problems.isEmpty()) {
            throw new FerryException(BAD_OPTION, String.join("\n", problems));
        }
    }

    /** Settings reading every partition of {@code topics} from the beginning to the current end. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** The topics as the user named them: a list, or the pattern. */
    public String describeTopics() {
        return topicPattern.map(pattern -> "~" + pattern.pattern()).orElseGet(() -> String.join(",", topics));
    }

    @Override
    public String toString() {
        return "KafkaSourceSettings[" + bootstrapServers + "/" + describeTopics() + ", partitions=" + partitions
                + ", clientProperties=" + clientProperties.keySet() + ", fromOffset=" + fromOffset + ", fromTime="
                + fromTime + ", untilTime=" + untilTime + ", follow=" + follow + ", commitGroup=" + commitGroup
                + "]";
    }

    /** Builds {@link KafkaSourceSettings}; every option defaults to "not given". */
    public static final class Builder {
        private final String bootstrapServers;
        private List<String> topics = List.of();
        private Optional<Pattern> topicPattern = Optional.empty();
        private List<Integer> partitions = List.of();
        private Map<String, String> clientProperties = new LinkedHashMap<>();
        private Optional<Long> fromOffset = Optional.empty();
        private Optional<Instant> fromTime = Optional.empty();
        private Optional<Instant> untilTime = Optional.empty();
        private boolean follow;
        private Optional<String> commitGroup = Optional.empty();
        private long maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

        private Builder(String bootstrapServers) {
            this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        }

        public Builder topics(List<String> topics) {
            this.topics = List.copyOf(topics);
            return this;
        }

        public Builder topics(String... topics) {
            return topics(List.of(topics));
        }

        public Builder topicPattern(Pattern pattern) {
            this.topicPattern = Optional.of(pattern);
            return this;
        }

        public Builder partitions(List<Integer> partitions) {
            this.partitions = List.copyOf(partitions);
            return this;
        }

        public Builder clientProperties(Map<String, String> properties) {
            this.clientProperties = new LinkedHashMap<>(properties);
            return this;
        }

        public Builder fromOffset(long offset) {
            this.fromOffset = Optional.of(offset);
            return this;
        }

        public Builder fromTime(Instant time) {
            this.fromTime = Optional.of(time);
            return this;
        }

        public Builder untilTime(Instant time) {
            this.untilTime = Optional.of(time);
            return this;
        }

        public Builder follow(boolean follow) {
            this.follow = follow;
            return this;
        }

        public Builder commitGroup(String group) {
            this.commitGroup = Optional.of(group);
            return this;
        }

        public Builder maxRecordBytes(long bytes) {
            this.maxRecordBytes = bytes;
            return this;
        }

        public KafkaSourceSettings build() {
            return new KafkaSourceSettings(
                    bootstrapServers,
                    topics,
                    topicPattern,
                    partitions,
                    clientProperties,
                    fromOffset,
                    fromTime,
                    untilTime,
                    follow,
                    commitGroup,
                    maxRecordBytes);
        }
    }
}
