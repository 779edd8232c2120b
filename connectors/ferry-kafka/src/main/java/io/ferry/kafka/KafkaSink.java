package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static io.ferry.spi.error.StandardErrorCode.NOT_FOUND;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;

/**
 * Writes records to an existing Kafka topic, exactly once across crashes without trusting local
 * state: every event carries {@link FerryHeaders#ORIGIN} ({@code stream/partition/offset} of its
 * source record) and {@link FerryHeaders#JOB}; a writer opening for a split reads the tail of each
 * target partition the split writes to and skips records whose origin offset is at or below the
 * last one found there. The producer is idempotent with {@code acks=all}, so within a partition
 * events land once and in order.
 *
 * <p>A target partition must be empty or hold only this job's records, unless {@link
 * KafkaSinkSettings#allowNonEmptyTarget()}. A record larger than the largest event the topic takes
 * is written as consecutive chunk events ({@code ferry.chunk.*} headers) to one partition, which
 * {@link KafkaSource} puts back together. Events become visible as they are acknowledged, not only
 * at a forced flush; what lies beyond a checkpoint is recognised by its origin and not written again.
 */
public final class KafkaSink implements Sink {
    /** Room left in each event for Kafka's batch and record framing. */
    static final int FRAMING_BYTES = 512;

    private final KafkaSinkSettings settings;
    private @Nullable Target target;
    // Consumers that read a target's tail for a split, kept for the next split: making one costs more
    // than the few reads it does.
    private final ArrayDeque<KafkaConsumer<byte[], byte[]>> idleScanConsumers = new ArrayDeque<>();
    private boolean closed;

    /** What the sink learned of the target topic and the clients it made, once. */
    record Target(Admin admin, KafkaProducer<byte[], byte[]> producer, int partitions, int maxEventSize) {}

    public KafkaSink(KafkaSinkSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public String id() {
        return "kafka://" + settings.bootstrapServers() + "/" + settings.topic();
    }

    /** The topic: two imports into it at once would each take the other's records for foreign ones. */
    @Override
    public java.util.List<String> exclusiveTargets() {
        // named as the user writes a target, so a refusal message can be pasted back into a command
        return java.util.List.of("kafka://" + settings.bootstrapServers() + "/" + settings.topic());
    }

    @Override
    public SinkWriter open(SinkContext context, Optional<String> state) {
        Target opened = target();
        return new KafkaSinkWriter(settings, opened, context, state, this);
    }

    /** A consumer for reading the tail of target partitions: an idle one, or a new one. */
    KafkaConsumer<byte[], byte[]> borrowScanConsumer() {
        synchronized (this) {
            KafkaConsumer<byte[], byte[]> idle = idleScanConsumers.pollFirst();
            if (idle != null) {
                return idle;
            }
        }
        Map<String, Object> config =
                ClientConfigs.consumer(settings.bootstrapServers(), settings.clientProperties(), "import-scan");
        // The producer is not transactional: read everything it wrote, up to the high watermark.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ClientConfigs.MAX_PARTITION_FETCH_BYTES);
        return new KafkaConsumer<>(config);
    }

    synchronized int idleScanConsumers() {
        return idleScanConsumers.size();
    }

    /** Takes back a consumer from {@link #borrowScanConsumer} that finished its reads without failing. */
    void returnScanConsumer(KafkaConsumer<byte[], byte[]> consumer) {
        consumer.unsubscribe(); // no partitions assigned, nothing fetched for them in the meantime
        synchronized (this) {
            if (!closed) {
                idleScanConsumers.addLast(consumer);
                return;
            }
        }
        consumer.close(CloseOptions.timeout(Duration.ZERO));
    }

    private synchronized Target target() {
        Target known = target;
        if (known != null) {
            return known;
        }
        String topic = settings.topic();
        Admin admin = Admin.create(ClientConfigs.admin(settings.bootstrapServers(), settings.clientProperties()));
        try {
            TopicDescription description = requireNonNull(
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic), "Kafka described no topic");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            int topicMax = entry == null || entry.value() == null ? 1 << 20 : Integer.parseInt(entry.value());
            int maxEventSize = settings.maxEventSize().orElse(topicMax);
            if (maxEventSize > topicMax) {
                throw new FerryException(
                        BAD_OPTION,
                        "--max-event-size " + maxEventSize + " is larger than the " + topicMax
                                + " bytes the target topic '" + topic + "' accepts (its max.message.bytes): lower it"
                                + " or raise the topic's max.message.bytes");
            }
            if (maxEventSize < KafkaSinkSettings.MIN_EVENT_SIZE) {
                throw new FerryException(
                        BAD_OPTION,
                        "the target topic '" + topic + "' accepts events of at most " + maxEventSize
                                + " bytes (max.message.bytes), too small to split records into; raise it to at least "
                                + KafkaSinkSettings.MIN_EVENT_SIZE);
            }
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ClientConfigs.producer(
                    settings.bootstrapServers(), settings.clientProperties(), Math.max(maxEventSize, 1 << 20)));
            known = new Target(admin, producer, description.partitions().size(), maxEventSize);
            target = known;
            return known;
        } catch (ExecutionException e) {
            admin.close(Duration.ofSeconds(5));
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new FerryException(
                        NOT_FOUND,
                        "the target topic '" + topic + "' does not exist at " + settings.bootstrapServers()
                                + ": create it with the partitions and configuration it needs first"
                                + " (ferry does not create topics)");
            }
            throw ClientConfigs.failure(
                    settings.bootstrapServers(),
                    "describing the target topic '" + topic + "'",
                    e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            admin.close(Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw ClientConfigs.failure(settings.bootstrapServers(), "describing the target topic '" + topic + "'", e);
        } catch (KafkaException e) {
            admin.close(Duration.ofSeconds(5));
            throw ClientConfigs.failure(settings.bootstrapServers(), "connecting for topic '" + topic + "'", e);
        } catch (FerryException e) {
            admin.close(Duration.ofSeconds(5));
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (KafkaConsumer<byte[], byte[]> consumer : idleScanConsumers) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        idleScanConsumers.clear();
        Target opened = target;
        if (opened != null) {
            opened.producer().close(Duration.ofSeconds(30));
            opened.admin().close(Duration.ofSeconds(5));
            target = null;
        }
    }
}
