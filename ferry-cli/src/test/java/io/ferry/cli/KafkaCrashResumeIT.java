package io.ferry.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import io.ferry.archive.ArchivePosition;
import io.ferry.archive.ArchiveSource;
import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.kafka.CheckedSends;
import io.ferry.kafka.TestingKafka;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ferry process killed with SIGKILL at random moments, ten times while it exports a Kafka topic
 * and ten times while it imports the bucket into a new topic; each time the same command is run again.
 * At the end the bucket holds every record of the topic once (ferry verify: no gap, no overlap), and
 * the new topic holds every source record exactly once per partition, in order.
 */
class KafkaCrashResumeIT {
    private static final int PARTITIONS = 6;
    private static final int RECORDS = 400_000;
    private static final int KILLS = 10;
    private static final long BASE_TIME = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void exportAndImportKilledTenTimesEachLeaveNoGapAndNoDuplicateInTheBucketOrTheTargetTopic() throws Exception {
        long seed = Long.getLong("ferry.test.seed", System.nanoTime());
        Random random = new Random(seed);
        String context = "seed " + seed + " (rerun with -Dferry.test.seed=" + seed + ")";

        TestingKafka kafka = TestingKafka.shared();
        String bootstrap = kafka.bootstrapServers();
        String source = TestingKafka.uniqueTopic("crash-source");
        // Explicit timestamps from 2023: keep them from time-based retention while the test runs.
        kafka.createTopic(source, PARTITIONS, Map.of("retention.ms", "-1"));
        long started = System.nanoTime();
        produce(kafka, source, seed);
        List<List<ConsumerRecord<byte[], byte[]>>> expected = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            expected.add(kafka.readAll(source, partition));
        }
        assertEquals(RECORDS, expected.stream().mapToInt(List::size).sum());
        log("produced %,d records in %d ms", RECORDS, millisSince(started));

        String state = dir.resolve("state").toString();

        // Export: a fresh bucket for each generation (see killTenTimesThenFinish).
        started = System.nanoTime();
        KillOutcome export = killTenTimesThenFinish(
                "export",
                generation -> List.of(
                        "export",
                        "kafka://" + bootstrap + "/" + source,
                        bucket(generation).toString(),
                        "--object-size",
                        "1MiB",
                        // All partitions at once (the default is one per CPU), so that every kill cuts
                        // each of them somewhere.
                        "--parallelism",
                        "6",
                        "--progress",
                        "json",
                        "--state-dir",
                        state),
                generation -> {},
                random,
                context);
        log("export: %s in %d ms", export, millisSince(started));
        Path bucket = bucket(export.generation());

        Ferry.Result verify = Ferry.run("verify", bucket.toString());
        assertEquals(0, verify.exitCode(), context + "\n" + verify.out());
        assertTrue(
                verify.out().contains(String.format(Locale.ROOT, "%,d records", RECORDS)),
                context + "\n" + verify.out());
        try (var files = Files.walk(bucket)) {
            assertEquals(
                    List.of(),
                    files.filter(path -> path.getFileName().toString().endsWith(".tmp"))
                            .toList(),
                    "temporary files left behind; " + context);
        }
        LocalDirectoryStore store = new LocalDirectoryStore(bucket);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            List<ConsumerRecord<byte[], byte[]>> want = expected.get(partition);
            List<Record> archived = read(store, source, partition);
            assertEquals(
                    want.size(), archived.size(), "records of partition " + partition + " in the bucket; " + context);
            for (int i = 0; i < want.size(); i++) {
                String where = "bucket partition " + partition + " record " + i + "; " + context;
                ConsumerRecord<byte[], byte[]> original = want.get(i);
                Record copy = archived.get(i);
                assertEquals(original.offset(), copy.offset(), where + " offset");
                assertArrayEquals(original.key(), copy.key(), where + " key");
                assertArrayEquals(original.value(), copy.value(), where + " value");
                assertEquals(original.timestamp(), copy.timestamp(), where + " timestamp");
                assertEquals(headers(original), copy.headers(), where + " headers");
            }
        }

        // Import: a new empty topic for each generation.
        List<String> targets = new ArrayList<>();
        started = System.nanoTime();
        KillOutcome imported = killTenTimesThenFinish(
                "import",
                generation -> List.of(
                        "import",
                        bucket.toString(),
                        "kafka://" + bootstrap + "/" + targets.get(generation),
                        "--parallelism",
                        "6",
                        "--progress",
                        "json",
                        "--state-dir",
                        state),
                generation -> {
                    String target = TestingKafka.uniqueTopic("crash-target");
                    kafka.createTopic(target, PARTITIONS, Map.of("retention.ms", "-1"));
                    targets.add(target);
                },
                random,
                context);
        log("import: %s in %d ms", imported, millisSince(started));
        String target = targets.get(imported.generation());

        for (int partition = 0; partition < PARTITIONS; partition++) {
            List<ConsumerRecord<byte[], byte[]>> want = expected.get(partition);
            List<ConsumerRecord<byte[], byte[]>> got = kafka.readAll(target, partition);
            assertEquals(want.size(), got.size(), "records of target partition " + partition + "; " + context);
            for (int i = 0; i < want.size(); i++) {
                String where = "target partition " + partition + " record " + i + "; " + context;
                ConsumerRecord<byte[], byte[]> original = want.get(i);
                ConsumerRecord<byte[], byte[]> copy = got.get(i);
                assertArrayEquals(original.key(), copy.key(), where + " key");
                assertArrayEquals(original.value(), copy.value(), where + " value");
                assertEquals(original.timestamp(), copy.timestamp(), where + " timestamp");
                assertEquals(headers(original), withoutFerryHeaders(headers(copy)), where + " headers");
            }
        }
    }

    /** How a kill loop ended: which generation (bucket or target) it finished, after how many runs. */
    private record KillOutcome(int generation, int kills, int runs, int finishedEarly) {}

    /**
     * Runs {@code command} as a child process and kills it with SIGKILL at a random moment, {@value
     * #KILLS} times, re-running the same command after each kill, then lets it finish.
     *
     * <p>Kill moments: JVM start-up takes a second or more on a small machine, and a kill then tests
     * nothing. One kill in five lands at a random moment after the job has been registered (while it
     * lists partitions, scans the target, takes its lease, writes its first checkpoint, or later); the
     * others wait until the job's progress passes a random record count, drawn from the k-th of ten
     * equal slices of the first 80% of the records for the k-th kill, and then a random further 0-200
     * ms. So the kills spread over the whole job on any machine, with progress lines (every 500 ms)
     * only choosing roughly where. A run that still finishes before its kill leaves nothing to kill:
     * the loop then starts over with the next generation (a fresh destination, prepared by {@code
     * fresh}).
     */
    private KillOutcome killTenTimesThenFinish(
            String what, IntFunction<List<String>> command, IntConsumer fresh, Random random, String context)
            throws Exception {
        int generation = 0;
        int runs = 0;
        int finishedEarly = 0;
        fresh.accept(generation);
        int kills = 0;
        List<Long> progress = new ArrayList<>();
        while (kills < KILLS) {
            Path log = dir.resolve(what + "-" + runs++ + ".log");
            Process process = Ferry.start(log, command.apply(generation));
            if (random.nextInt(5) == 0) {
                awaitLogLine(
                        process,
                        log,
                        line -> line.startsWith("Starting job ") || line.startsWith("Resuming job "),
                        context);
                Thread.sleep(random.nextInt(1500));
            } else {
                long target = (long) (RECORDS * 0.8 * (kills + random.nextDouble()) / KILLS);
                awaitLogLine(process, log, line -> recordsIn(line) >= target, context);
                Thread.sleep(random.nextInt(200));
            }
            if (!process.isAlive()) {
                assertEquals(
                        0, process.waitFor(), what + " exit code; " + context + "; log:\n" + Files.readString(log));
                assertTrue(finishedEarly < 3, "could not kill the " + what + " " + KILLS + " times; " + context);
                finishedEarly++;
                generation++;
                fresh.accept(generation);
                kills = 0;
                progress.clear();
                continue;
            }
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), what + " did not die; " + context);
            assertEquals(137, process.exitValue(), "killed by SIGKILL; " + context);
            kills++;
            progress.add(lines(log).stream()
                    .mapToLong(KafkaCrashResumeIT::recordsIn)
                    .max()
                    .orElse(-1));
            if (Boolean.getBoolean("ferry.test.debug")) { // -Dferry.test.debug=true shows each killed run's log
                System.out.println("=== " + log + "\n" + Files.readString(log));
            }
        }
        Path log = dir.resolve(what + "-final.log");
        Process last = Ferry.start(log, command.apply(generation));
        assertTrue(last.waitFor(3, TimeUnit.MINUTES), what + " did not finish; " + context);
        assertEquals(0, last.exitValue(), what + " failed; " + context + "; log:\n" + Files.readString(log));
        log("%s: records done (last progress line) when killed: %s; final run: %s", what, progress, lastLine(log));
        return new KillOutcome(generation, kills, runs + 1, finishedEarly);
    }

    /** Waits until the child has written a line that matches {@code wanted} to its log, or has exited. */
    private static void awaitLogLine(Process process, Path log, Predicate<String> wanted, String context)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (process.isAlive()) {
            List<String> lines = lines(log);
            if (lines.stream().anyMatch(wanted)) {
                return;
            }
            assertTrue(
                    System.nanoTime() < deadline,
                    "no awaited line in the log after 60 s; " + context + "; log:\n" + String.join("\n", lines));
            Thread.sleep(10);
        }
    }

    /** The lines of a log a child may still be writing (a torn character does not fail the read). */
    private static List<String> lines(Path log) throws IOException {
        return new String(Files.readAllBytes(log), UTF_8).lines().toList();
    }

    private static String lastLine(Path log) throws IOException {
        List<String> lines = lines(log);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The (cumulative) records count of a progress line, or -1 for another line. */
    private static long recordsIn(String line) {
        int at = line.indexOf("\"records\":");
        if (!line.startsWith("{") || at < 0) {
            return -1;
        }
        int start = at + "\"records\":".length();
        int end = start;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return end > start ? Long.parseLong(line.substring(start, end)) : -1;
    }

    private Path bucket(int generation) {
        return dir.resolve("bucket-" + generation);
    }

    private static List<Header> headers(ConsumerRecord<byte[], byte[]> record) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            headers.add(new Header(header.key(), header.value()));
        }
        return headers;
    }

    private static List<Header> withoutFerryHeaders(List<Header> headers) {
        return headers.stream()
                .filter(header -> !header.name().startsWith("ferry."))
                .toList();
    }

    private static List<Record> read(LocalDirectoryStore store, String topic, int partition) {
        ArchiveSource archive = new ArchiveSource(store, "");
        Split split = new Split(topic + "/" + partition, topic, partition);
        List<Record> records = new ArrayList<>();
        try (SourceReader<ArchivePosition> reader = archive.open(split, Optional.empty())) {
            while (true) {
                ReadBatch batch = reader.read(Duration.ofSeconds(1));
                records.addAll(batch.records());
                if (batch.end()) {
                    return records;
                }
            }
        }
    }

    /** Mixed keys (null, binary, text), values (tombstones, binary, JSON), headers and explicit timestamps. */
    private static void produce(TestingKafka kafka, String topic, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] headerNames = {"trace", "dup", "dup", "", "with space", "ünïcödé"};
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 << 10,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"))) {
            CheckedSends sends = new CheckedSends(producer);
            for (int i = 0; i < RECORDS; i++) {
                byte[] key = switch (random.nextInt(10)) {
                    case 0 -> null;
                    case 1, 2, 3 -> bytes(random, 16);
                    default -> ("customer-" + random.nextInt(5000)).getBytes(UTF_8);
                };
                byte[] value = switch (random.nextInt(20)) {
                    case 0 -> null;
                    case 1, 2, 3, 4 -> bytes(random, 1 + random.nextInt(300));
                    default ->
                        ("{\"i\":" + i + ",\"note\":\"" + HexFormat.of().formatHex(bytes(random, 20))
                                        + "\",\"city\":\"Zürich\"}")
                                .getBytes(UTF_8);
                };
                ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>(topic, random.nextInt(PARTITIONS), BASE_TIME + i, key, value);
                int headers = random.nextInt(4);
                for (int h = 0; h < headers; h++) {
                    String name = headerNames[random.nextInt(headerNames.length)];
                    record.headers().add(new RecordHeader(name, random.nextInt(5) == 0 ? null : bytes(random, 6)));
                }
                sends.send(record);
            }
            sends.flush();
        }
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    @FormatMethod
    private static void log(@FormatString String format, Object... args) {
        System.out.println("KafkaCrashResumeIT: " + String.format(Locale.ROOT, format, args));
    }
}
