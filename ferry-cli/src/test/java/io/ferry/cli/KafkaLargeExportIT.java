package io.ferry.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import io.ferry.kafka.TestingKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports 2 GiB of 1 KiB records from a 12-partition topic in a child JVM limited to a 256 MiB heap,
 * and watches the child's peak resident memory: it must stay far below the data size, bounded by the
 * heap limit plus the JVM's fixed costs, however much data flows through.
 */
class KafkaLargeExportIT {
    private static final int PARTITIONS = 12;
    private static final int VALUE_SIZE = 1024;
    /** The data exported; {@code -Dferry.test.largeExportMiB=N} changes it for measuring. */
    private static final long DATA_BYTES = Long.getLong("ferry.test.largeExportMiB", 2048) << 20;

    private static final long RECORDS = DATA_BYTES / VALUE_SIZE;
    /**
     * The bound on the child's peak RSS. The heap is capped at 256 MiB (-Xmx256m in {@link Ferry#start});
     * on top of it the JVM needs metaspace and class data, the JIT's code cache, G1's remembered sets
     * and card tables, thread stacks and native zstd contexts: a fixed cost that does not depend on the
     * data. Measured on a 2-core machine: peak RSS 267 MiB exporting 256 MiB, 316 MiB exporting 2 GiB
     * (the heap grows towards its cap, nothing else grows). 512 MiB leaves headroom for other JVMs and
     * machines, yet fails if native memory outside the heap (direct buffers, which may take as much as
     * the heap again, or compression contexts) grows by ~200 MiB, and a process holding even one
     * partition's share of the data (170 MiB) in memory beside the heap would cross it.
     */
    private static final long MAX_RSS_BYTES = 512L << 20;

    @TempDir
    Path dir;

    @Test
    void exportingTwoGibibytesFromTwelvePartitionsSucceedsWithA256MiBHeapAndBoundedResidentMemory() throws Exception {
        TestingKafka kafka = TestingKafka.shared();
        String topic = TestingKafka.uniqueTopic("large");
        kafka.createTopic(topic, PARTITIONS, Map.of("retention.ms", "-1", "retention.bytes", "-1"));

        long started = System.nanoTime();
        produce(kafka, topic);
        long produceMillis = millisSince(started);
        log("produced %,d records (%,d MiB) in %,d ms", RECORDS, DATA_BYTES >> 20, produceMillis);

        Path bucket = dir.resolve("bucket");
        Path log = dir.resolve("export.log");
        started = System.nanoTime();
        Process export = Ferry.start(
                log,
                List.of(
                        "export",
                        "kafka://" + kafka.bootstrapServers() + "/" + topic,
                        bucket.toString(),
                        "--compression-level",
                        "1",
                        "--progress",
                        "json",
                        "--state-dir",
                        dir.resolve("state").toString()));
        long peakRss = 0;
        int samples = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!export.waitFor(100, TimeUnit.MILLISECONDS)) {
            // VmHWM is the kernel's own high-water mark of the resident set, so sampling it misses no peak
            // except one in the last 100 ms.
            long hwm = highWaterMark(export.pid());
            if (hwm > 0) {
                peakRss = Math.max(peakRss, hwm);
                samples++;
            }
            if (System.nanoTime() > deadline) {
                export.destroyForcibly();
                throw new AssertionError("the export did not finish in 5 minutes; log:\n" + tail(log));
            }
        }
        long exportMillis = millisSince(started);
        assertEquals(0, export.exitValue(), "exit code; log:\n" + tail(log));
        long bucketBytes;
        try (var files = Files.walk(bucket)) {
            bucketBytes = files.filter(Files::isRegularFile)
                    .mapToLong(path -> path.toFile().length())
                    .sum();
        }
        log(
                "exported in %,d ms (%.0f MiB/s), bucket %,d MiB, peak RSS %,d MiB (%d samples)",
                exportMillis, (DATA_BYTES >> 20) * 1000.0 / exportMillis, bucketBytes >> 20, peakRss >> 20, samples);

        assertTrue(samples > 0, "no RSS sample taken; log:\n" + tail(log));
        assertTrue(
                peakRss < MAX_RSS_BYTES,
                "peak RSS " + (peakRss >> 20) + " MiB, above " + (MAX_RSS_BYTES >> 20) + " MiB, while exporting "
                        + (DATA_BYTES >> 20) + " MiB");

        started = System.nanoTime();
        Ferry.Result verify = Ferry.run("verify", bucket.toString());
        log("verified in %,d ms", millisSince(started));
        assertEquals(0, verify.exitCode(), verify.out());
        assertTrue(verify.out().contains(String.format(Locale.ROOT, "%,d records", RECORDS)), verify.out());
        assertTrue(verify.out().contains(PARTITIONS + " stream partitions"), verify.out());
    }

    /**
     * Sends {@link #RECORDS} records of {@value #VALUE_SIZE} bytes round-robin over the partitions. Values
     * are slices of a pool of random hex text (compressible about 2:1, like real payloads), so producing
     * them costs a copy, not a random number per byte.
     */
    private static void produce(TestingKafka kafka, String topic) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(5);
        byte[] pool = new byte[4 << 20];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = (byte) Character.forDigit(random.nextInt(16), 16);
        }
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                1 << 20,
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                128L << 20,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "none",
                ProducerConfig.ACKS_CONFIG,
                "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false))) {
            for (long i = 0; i < RECORDS; i++) {
                int from = random.nextInt(pool.length - VALUE_SIZE);
                byte[] value = Arrays.copyOfRange(pool, from, from + VALUE_SIZE);
                byte[] key = Long.toString(i).getBytes(UTF_8);
                // The callback counts acknowledgements and keeps the first failure, checked below.
                Future<RecordMetadata> unused = producer.send(
                        new ProducerRecord<>(topic, (int) (i % PARTITIONS), key, value), (metadata, exception) -> {
                            if (exception != null) {
                                failure.compareAndSet(null, exception);
                            } else {
                                acknowledged.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new AssertionError("cannot produce the test data", failure.get());
        }
        assertEquals(RECORDS, acknowledged.get(), "records acknowledged by Kafka");
    }

    /** VmHWM of a process in bytes, or 0 once it has gone. */
    private static long highWaterMark(long pid) throws IOException {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kilobytes =
                            line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return Long.parseLong(kilobytes) * 1024;
                }
            }
        } catch (NoSuchFileException e) {
            // The process has exited between waitFor and this read.
        }
        return 0;
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.length() <= 8000 ? text : "..." + text.substring(text.length() - 8000);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    @FormatMethod
    private static void log(@FormatString String format, Object... args) {
        System.out.println("KafkaLargeExportIT: " + String.format(Locale.ROOT, format, args));
    }
}
