package io.ferry.kafka;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;

/**
 * A single-node Kafka (KRaft broker and controller in one process) on free loopback ports with its
 * log in a temporary directory. {@link #shared()} is started once per test JVM and stopped when it
 * exits; tests isolate themselves by topic name ({@link #uniqueTopic}).
 */
public final class TestingKafka implements AutoCloseable {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static @Nullable TestingKafka shared;

    private final Path directory;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Admin admin;

    private TestingKafka() throws IOException {
        directory = Files.createTempDirectory("ferry-testing-kafka");
        Path logDir = directory.resolve("log");
        int brokerPort = freePort();
        int controllerPort = freePort();
        bootstrapServers = "127.0.0.1:" + brokerPort;

        Map<String, Object> config = new HashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", logDir.toString());
        config.put("metadata.log.dir", logDir.toString());
        config.put("auto.create.topics.enable", "false");
        // Tests write records with explicit old timestamps; time-based retention must never take them.
        config.put("log.retention.ms", "-1");
        config.put("num.partitions", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        KafkaConfig kafkaConfig = new KafkaConfig(config, false);

        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the log directory " + logDir, e);
        }
        server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
        server.startup();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        awaitReady();
    }

    /** The broker shared by every test of this JVM, started on first use. */
    public static synchronized TestingKafka shared() {
        if (shared == null) {
            try {
                TestingKafka started = new TestingKafka();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "testing-kafka-stop"));
                shared = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A topic name no other test of this JVM uses. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + TOPICS.incrementAndGet() + "-"
                + Uuid.randomUuid().toString().substring(0, 8);
    }

    /** Creates {@code name} and waits until every partition has a leader. */
    public void createTopic(String name, int partitions, Map<String, String> config) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config)))
                    .all()
                    .get();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                TopicDescription description = describe(name);
                if (description != null
                        && description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " has no leaders after " + TIMEOUT);
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + name, e.getCause());
        }
    }

    private @Nullable TopicDescription describe(String name) throws InterruptedException, ExecutionException {
        try {
            return admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null; // created, but the broker's metadata does not show it yet
            }
            throw e;
        }
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    public Admin admin() {
        return admin;
    }

    /** A producer of raw bytes; the caller closes it. */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    /** Sends {@code records} and waits until all are acknowledged. */
    public void produce(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(requireNonNull(record, "record is null")));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot produce to Kafka at " + bootstrapServers, e.getCause());
        }
    }

    /** Every record of {@code topic}'s {@code partition} up to its end offset, read without a group. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partition) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + tp + " to offset " + end + " in " + TIMEOUT);
                }
            }
            return records;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                if (!admin.describeCluster().nodes().get().isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // Not up yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka at " + bootstrapServers + " did not start in " + TIMEOUT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
