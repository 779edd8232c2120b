package io.ferry.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.kafka.TestingKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real ferry processes, two different import jobs of one bucket into one Kafka topic, started at
 * the same moment with one state directory: exactly one of them writes the topic and finishes; the
 * other is refused at once with TARGET_BUSY, a message naming the topic, the job that holds it and
 * what to do, and writes nothing. The topic ends with every source record exactly once, in order.
 */
class KafkaConcurrentImportIT {
    private static final int PARTITIONS = 4;
    /** Enough data (about 160 MB) that the import taking the lease is still running when the other is refused. */
    private static final int RECORDS = 160_000;

    private static final int VALUE_BYTES = 1000;

    @TempDir
    Path dir;

    @Test
    void twoImportsStartedTogetherIntoOneTopicOneIsRefusedWithTargetBusyAndTheTopicHoldsEveryRecordOnce()
            throws Exception {
        TestingKafka kafka = TestingKafka.shared();
        String bootstrap = kafka.bootstrapServers();
        String source = TestingKafka.uniqueTopic("concurrent-source");
        String target = TestingKafka.uniqueTopic("concurrent-target");
        kafka.createTopic(source, PARTITIONS, Map.of("retention.ms", "-1"));
        kafka.createTopic(target, PARTITIONS, Map.of("retention.ms", "-1"));
        produce(kafka, source);

        String state = dir.resolve("state").toString();
        Path bucket = dir.resolve("bucket");
        Ferry.Result export = Ferry.run(
                "export",
                "kafka://" + bootstrap + "/" + source,
                bucket.toString(),
                "--compression-level",
                "1",
                "--progress",
                "none",
                "--state-dir",
                state);
        assertEquals(0, export.exitCode(), export.err());

        List<String> names = List.of("restore-a", "restore-b");
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (String name : names) {
            Path log = dir.resolve(name + ".log");
            logs.add(log);
            processes.add(Ferry.start(
                    log,
                    List.of(
                            "import",
                            bucket.toString(),
                            "kafka://" + bootstrap + "/" + target,
                            "--name",
                            name,
                            "--progress",
                            "json",
                            "--state-dir",
                            state)));
        }

        // The refused one stops at its lease, before reading or writing anything; the other is busy
        // with 160 MB for many seconds more.
        int refused = awaitFirstExit(processes);
        int winner = 1 - refused;
        String refusedLog = Files.readString(logs.get(refused), UTF_8);
        assertTrue(
                processes.get(winner).isAlive(),
                "both imports ended before one was refused, so they did not overlap; log of " + names.get(winner)
                        + ":\n" + Files.readString(logs.get(winner), UTF_8));
        assertEquals(2, processes.get(refused).exitValue(), "exit code of the refused import; log:\n" + refusedLog);
        assertTrue(refusedLog.contains("[TARGET_BUSY]"), refusedLog);
        assertTrue(
                refusedLog.contains("kafka://" + bootstrap + "/" + target),
                "the message names the topic as the user wrote it:\n" + refusedLog);
        assertTrue(refusedLog.contains(names.get(winner)), "the message names the job holding it:\n" + refusedLog);
        assertTrue(refusedLog.contains("Wait for it to finish"), "the message says what to do:\n" + refusedLog);
        System.out.println(
                "KafkaConcurrentImportIT: " + names.get(refused) + " was refused while " + names.get(winner) + " ran: "
                        + refusedLog
                                .lines()
                                .filter(l -> l.contains("TARGET_BUSY"))
                                .findFirst()
                                .orElse(""));

        assertTrue(processes.get(winner).waitFor(5, TimeUnit.MINUTES), names.get(winner) + " did not finish");
        String winnerLog = Files.readString(logs.get(winner), UTF_8);
        assertEquals(0, processes.get(winner).exitValue(), "the import that took the topic; log:\n" + winnerLog);

        List<List<ConsumerRecord<byte[], byte[]>>> expected = new ArrayList<>();
        long total = 0;
        for (int partition = 0; partition < PARTITIONS; partition++) {
            List<ConsumerRecord<byte[], byte[]>> want = kafka.readAll(source, partition);
            expected.add(want);
            total += want.size();
            List<ConsumerRecord<byte[], byte[]>> got = kafka.readAll(target, partition);
            assertEquals(want.size(), got.size(), "records in target partition " + partition);
            for (int i = 0; i < want.size(); i++) {
                String where = "target partition " + partition + " record " + i;
                assertArrayEquals(want.get(i).key(), got.get(i).key(), where + " key");
                assertArrayEquals(want.get(i).value(), got.get(i).value(), where + " value");
                assertEquals(want.get(i).timestamp(), got.get(i).timestamp(), where + " timestamp");
            }
        }
        assertEquals(RECORDS, total);

        // The refused job, run again now that the topic is free, still finds it written by another
        // import and writes nothing.
        Path again = dir.resolve(names.get(refused) + "-again.log");
        Process rerun = Ferry.start(
                again,
                List.of(
                        "import",
                        bucket.toString(),
                        "kafka://" + bootstrap + "/" + target,
                        "--name",
                        names.get(refused),
                        "--progress",
                        "none",
                        "--state-dir",
                        state));
        assertTrue(rerun.waitFor(2, TimeUnit.MINUTES), names.get(refused) + " run again did not end");
        assertEquals(2, rerun.exitValue(), "the refused job run again; log:\n" + Files.readString(again, UTF_8));
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assertEquals(
                    expected.get(partition).size(),
                    kafka.readAll(target, partition).size(),
                    "records in target partition " + partition + " after the refused job ran again");
        }
    }

    /** Waits until one of the two processes has exited and returns its index. */
    private static int awaitFirstExit(List<Process> processes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    return i;
                }
            }
            Thread.sleep(5);
        }
        processes.forEach(Process::destroyForcibly);
        throw new AssertionError("neither import ended within 3 minutes");
    }

    /** Text keys and JSON-like values of {@value #VALUE_BYTES} bytes, explicit partitions and timestamps. */
    private static void produce(TestingKafka kafka, String topic) throws Exception {
        SplittableRandom random = new SplittableRandom(20261122);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                StringBuilder value = new StringBuilder("{\"i\":").append(i).append(",\"note\":\"");
                while (value.length() < VALUE_BYTES - 2) {
                    value.append((char) ('a' + random.nextInt(26)));
                }
                value.append("\"}");
                sent.add(producer.send(new ProducerRecord<>(
                        topic,
                        i % PARTITIONS,
                        1_700_000_000_000L + i,
                        ("key-" + random.nextInt(10_000)).getBytes(UTF_8),
                        value.toString().getBytes(UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> record : sent) {
                record.get(); // throws if the broker refused it
            }
        }
    }
}
