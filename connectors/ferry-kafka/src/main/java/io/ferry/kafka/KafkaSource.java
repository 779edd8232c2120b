package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.NOT_FOUND;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Kafka topics, one split per topic partition ({@code topic/partition}), with ferry's own
 * positions: readers {@code assign} and {@code seek} without a consumer group, so exports never
 * disturb each other or any group; offsets are committed for {@link
 * KafkaSourceSettings#commitGroup()} only when it is given, as records are acknowledged.
 *
 * <p>Bounded by default: {@link #plan()} takes each partition's end offset (the last stable offset
 * with {@code read_committed}) as the end of its split, so the job finishes while producers go on.
 * With {@link KafkaSourceSettings#follow()} splits never end (unless {@code untilTime} is reached).
 * Progress is counted in offsets from the split's start, so a split's size is its end offset minus
 * its start offset.
 */
public final class KafkaSource implements Source<KafkaPosition> {
    private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The offsets a split reads: from {@code start} to {@code end} (exclusive; MAX_VALUE: no end). */
    record Range(long start, long end) {}

    private final KafkaSourceSettings settings;
    private @Nullable List<Split> plan;
    private final Map<String, Range> ranges = new HashMap<>();

    public KafkaSource(KafkaSourceSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public String describe() {
        return "kafka://" + settings.bootstrapServers() + "/" + settings.describeTopics();
    }

    @Override
    public synchronized List<Split> plan() {
        List<Split> planned = plan;
        if (planned != null) {
            return planned;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                ClientConfigs.consumer(settings.bootstrapServers(), settings.clientProperties(), "plan"))) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions); // offsets of assigned partitions only, or the consumer warns
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> start = new HashMap<>(beginning);
            if (settings.fromOffset().isPresent()) {
                long from = settings.fromOffset().get();
                for (TopicPartition partition : partitions) {
                    if (from < at(beginning, partition)) {
                        log.warn(
                                "{}: --from-offset {} is before the first offset {} still in the log; starting there",
                                partition,
                                from,
                                at(beginning, partition));
                    }
                    start.put(partition, Math.min(Math.max(from, at(beginning, partition)), at(end, partition)));
                }
            }
            if (settings.fromTime().isPresent()) {
                start.putAll(offsetsAt(consumer, partitions, settings.fromTime().get(), end));
            }
            Map<TopicPartition, Long> stop = new HashMap<>();
            for (TopicPartition partition : partitions) {
                stop.put(partition, settings.follow() ? Long.MAX_VALUE : at(end, partition));
            }
            if (settings.untilTime().isPresent()) {
                Map<TopicPartition, Long> until =
                        offsetsAt(consumer, partitions, settings.untilTime().get(), stop);
                for (TopicPartition partition : partitions) {
                    stop.put(partition, Math.max(at(start, partition), at(until, partition)));
                }
            }
            List<Split> splits = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                Split split = new Split(
                        partition.topic() + "/" + partition.partition(), partition.topic(), partition.partition());
                splits.add(split);
                ranges.put(split.id(), new Range(at(start, partition), at(stop, partition)));
            }
            plan = List.copyOf(splits);
            return plan;
        } catch (KafkaException e) {
            throw ClientConfigs.failure(settings.bootstrapServers(), "planning " + describe(), e);
        }
    }

    @Override
    public SourceReader<KafkaPosition> open(Split split, Optional<KafkaPosition> resumeAfter) {
        return new KafkaSourceReader(settings, split, range(split), resumeAfter);
    }

    @Override
    public Optional<SplitSize> size(Split split) {
        Range range = range(split);
        if (range.end() == Long.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new SplitSize(range.end() - range.start(), SplitSize.Unit.RECORDS));
    }

    @Override
    public KafkaPosition decodePosition(Split split, String encoded) {
        return KafkaPosition.decode("Kafka partition " + split.id(), encoded);
    }

    private synchronized Range range(Split split) {
        plan();
        Range range = ranges.get(split.id());
        if (range == null) {
            throw new FerryException(
                    NOT_FOUND,
                    "partition " + split.id() + " is not among the partitions of " + describe() + " ("
                            + ranges.keySet().stream().sorted().collect(Collectors.joining(", "))
                            + "): the topic or the --partition options changed since the job started");
        }
        return range;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        Map<String, List<PartitionInfo>> byTopic = new HashMap<>();
        if (settings.topicPattern().isPresent()) {
            var pattern = settings.topicPattern().get();
            for (Map.Entry<String, List<PartitionInfo>> topic :
                    consumer.listTopics(TIMEOUT).entrySet()) {
                if (pattern.matcher(topic.getKey()).matches()) {
                    byTopic.put(topic.getKey(), topic.getValue());
                }
            }
            if (byTopic.isEmpty()) {
                throw new FerryException(
                        NOT_FOUND,
                        "no topic at " + settings.bootstrapServers() + " matches the pattern '" + pattern.pattern()
                                + "' (a regular expression matched against whole names)");
            }
        } else {
            Map<String, List<PartitionInfo>> all = null;
            for (String topic : settings.topics()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
                if (infos == null || infos.isEmpty()) {
                    if (all == null) {
                        all = consumer.listTopics(TIMEOUT);
                    }
                    throw new FerryException(
                            NOT_FOUND,
                            "topic '" + topic + "' does not exist at " + settings.bootstrapServers()
                                    + similarTopics(topic, all.keySet()));
                }
                byTopic.put(topic, infos);
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : byTopic.entrySet()) {
            TreeSet<Integer> present = new TreeSet<>();
            topic.getValue().forEach(info -> present.add(info.partition()));
            if (settings.partitions().isEmpty()) {
                present.forEach(p -> partitions.add(new TopicPartition(topic.getKey(), p)));
            } else {
                for (int chosen : settings.partitions()) {
                    if (!present.contains(chosen)) {
                        throw new FerryException(
                                NOT_FOUND,
                                "--partition " + chosen + ": topic '" + topic.getKey() + "' has partitions "
                                        + present.first() + " to " + present.last());
                    }
                    partitions.add(new TopicPartition(topic.getKey(), chosen));
                }
            }
        }
        partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return partitions;
    }

    /** The first offset of each partition whose timestamp is at or after {@code time}; else {@code otherwise}. */
    private static Map<TopicPartition, Long> offsetsAt(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Instant time,
            Map<TopicPartition, Long> otherwise) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            offsets.put(partition, at == null ? at(otherwise, partition) : at.offset());
        }
        return offsets;
    }

    /** The offset {@code offsets} hold for {@code partition}; Kafka answers for every partition asked. */
    static long at(Map<TopicPartition, Long> offsets, TopicPartition partition) {
        return requireNonNull(offsets.get(partition), () -> "Kafka returned no offset for " + partition);
    }

    private static String similarTopics(String wanted, Set<String> existing) {
        String lower = wanted.toLowerCase(Locale.ROOT);
        List<String> similar = existing.stream()
                .filter(name -> !name.startsWith("__"))
                .filter(name -> {
                    String other = name.toLowerCase(Locale.ROOT);
                    return other.contains(lower) || lower.contains(other) || editDistance(lower, other) <= 2;
                })
                .sorted()
                .limit(5)
                .toList();
        return similar.isEmpty() ? "" : "; did you mean " + String.join(", ", similar) + "?";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
