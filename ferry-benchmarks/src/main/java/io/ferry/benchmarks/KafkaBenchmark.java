package io.ferry.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ferry.kafka.TestingKafka;
import io.ferry.testing.TestingS3;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka &lt;-&gt; S3 benchmark: {@code ferry export} of a Kafka topic (1 KiB values, 6 partitions,
 * 1 GiB of values by default) to S3 against {@code kafka-console-consumer | zstd -1}, and {@code ferry
 * import} of that export back into a new topic against {@code kafka-console-producer} reading the
 * same values, in alternating rounds (baseline first). Import rounds also run the console producer fed
 * from the same S3 server ({@code curl | zstd -d | kafka-console-producer}), the least any import from a
 * bucket has to do on these cores. Prints a markdown report and appends it to a results file.
 *
 * <p>This JVM hosts the broker ({@link TestingKafka}, KRaft, on loopback) and the S3 server ({@link
 * TestingS3}, s3proxy, in memory); every contender is a child process. ferry runs as a user runs it,
 * through the repository's launcher (with its class-data archive per command, made by an untimed
 * warm-up), unless {@code --launch jar} asks for {@code java -jar}. Run from the repository root
 * after building ferry-cli and this module, with this module's dependency directory on the class path:
 *
 * <pre>{@code
 * java -Xmx4g -cp 'ferry-benchmarks/target/classes:ferry-benchmarks/target/kafka-bench-lib/*' \
 *     io.ferry.benchmarks.KafkaBenchmark [--rounds 3] [--size-mib 1024] [--work-dir /tmp/kafka-bench] ...
 * }</pre>
 *
 * <p>Exits 1 when a ferry run or a check of its output failed (the report says which), 2 on a bad
 * option.
 */
public final class KafkaBenchmark {
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern USER_TIME = Pattern.compile("User time \\(seconds\\): ([0-9.]+)");
    private static final Pattern SYSTEM_TIME = Pattern.compile("System time \\(seconds\\): ([0-9.]+)");
    private static final Pattern REPORT_RECORDS = Pattern.compile("\"records\"\\s*:\\s*(\\d+)");
    private static final Path GNU_TIME = Path.of("/usr/bin/time");
    private static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    private static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    private static final String SOURCE_TOPIC = "bench-source";
    private static final String BUCKET = "bench";
    private static final String WARM_UP_TOPIC = "bench-warm-up";
    private static final int WARM_UP_RECORDS = 6_000;
    private static final long SEED = 20261122;
    private static final long BASE_TIME = 1_790_000_000_000L;
    /** The value of a record: an {@link EventLines} line without its line feed. */
    static final int VALUE_BYTES = EventLines.LINE_BYTES - 1;
    // ferry's import producer settings (batch.size and linger.ms in ferry-kafka's ClientConfigs), given
    // to the console producer as well.
    private static final int PRODUCER_BATCH_BYTES = 256 << 10;
    private static final int PRODUCER_LINGER_MS = 5;

    private final Options options;
    private final Path javaBinary;
    private final boolean timeAvailable;
    private final StringBuilder report = new StringBuilder();
    private boolean allSucceeded = true;
    private @Nullable TestingS3 s3; // the S3 server of the latest export round

    private KafkaBenchmark(Options options) {
        this.options = options;
        this.javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        this.timeAvailable = Files.isExecutable(GNU_TIME);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        boolean succeeded = new KafkaBenchmark(options).run();
        System.exit(succeeded ? 0 : 1);
    }

    /**
     * One timed child process: wall seconds, exit code, CPU seconds (NaN without GNU time), peak RSS, and
     * the CPU seconds this JVM (the broker and the S3 server) spent meanwhile.
     */
    record Run(
            double seconds,
            int exitCode,
            double cpuSeconds,
            OptionalLong peakRssKiB,
            double serverCpuSeconds,
            Path stderr) {
        Run {
            requireNonNull(peakRssKiB, "peakRssKiB is null");
            requireNonNull(stderr, "stderr is null");
        }
    }

    /** One contender's result in one round, with what the check of its output found ("" when right). */
    record Outcome(Run run, String problem) {
        Outcome {
            requireNonNull(run, "run is null");
            requireNonNull(problem, "problem is null");
        }

        boolean succeeded() {
            return run.exitCode() == 0 && problem.isEmpty();
        }
    }

    private boolean run() throws Exception {
        try {
            return runRounds();
        } finally {
            TestingS3 server = s3;
            if (server != null) {
                server.close();
            }
        }
    }

    private boolean runRounds() throws Exception {
        Path work = options.workDir();
        Files.createDirectories(work.resolve("logs"));
        Path lib = options.lib();
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(
                    lib + " does not exist; build it first: ./mvnw -B -q -pl ferry-benchmarks install -DskipTests");
        }
        String started =
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        line("## Kafka <-> S3 benchmark, " + started);
        line("");
        line("Machine: " + Host.machine() + " for the runner, broker, S3 server and every contender"
                + "; load average at start " + Host.loadAverage() + ".");
        line("");
        Path ferryJar = ferryJar(work);

        long records = options.sizeMiB() * (1L << 20) / EventLines.LINE_BYTES;
        long valueBytes = records * VALUE_BYTES;
        TestingKafka kafka = TestingKafka.shared();
        String bootstrap = kafka.bootstrapServers();
        kafka.createTopic(SOURCE_TOPIC, options.partitions(), Map.of("retention.ms", "-1"));
        long start = System.nanoTime();
        produce(kafka, SOURCE_TOPIC, records);
        line(String.format(
                Locale.ROOT,
                "Data: topic `%s` on a single-node KRaft broker (kafka_2.13 4.3.1, in the runner's JVM, log on"
                        + " disk, no fsync per message), %d partitions, %,d records (round-robin over the"
                        + " partitions), produced in %.1f s: each a %d-byte value (a synthetic JSON event, 3.8:1"
                        + " with zstd -1), a 10-byte text key, one 12-byte header and an explicit timestamp;"
                        + " %,d bytes of values (%.2f GB).",
                SOURCE_TOPIC,
                options.partitions(),
                records,
                Host.seconds(start),
                VALUE_BYTES,
                valueBytes,
                valueBytes / 1e9));
        line("");
        line("S3: s3proxy over an in-memory blob store in the runner's JVM (`TestingS3`), a fresh server per"
                + " ferry export round; the import rounds read the last round's export. Both contenders of each"
                + " pair run as child processes while the runner serves Kafka (and S3 for ferry).");
        line("");
        line("MB = 10^6 bytes of record values (the console tools move nothing else; ferry also moves keys,"
                + " headers, timestamps and offsets, and keeps checkpoints). Ratio = ferry throughput / baseline"
                + " throughput (baseline time / ferry time).");
        line("");

        Map<String, String> environment = new HashMap<>(Map.of(
                "AWS_ACCESS_KEY_ID", TestingS3.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", TestingS3.SECRET_KEY,
                "AWS_REGION", TestingS3.REGION));
        List<String> consoleJava = List.of(javaBinary.toString(), "-Xmx512m", "-cp", lib.toAbsolutePath() + "/*");
        List<String> ferryJava = new ArrayList<>();
        String ferryJvmOptions = String.join(" ", jvmOptions());
        if (options.launcher()) {
            // As a user runs it: the repository's launcher, with its class-data archive per command.
            ferryJava.add(launcherHome(work, ferryJar).resolve("ferry").toString());
            environment.put("JAVA_HOME", System.getProperty("java.home"));
            environment.put("FERRY_JAVA_OPTS", ferryJvmOptions);
            warmUp(kafka, ferryJava, environment);
        } else {
            ferryJava.add(javaBinary.toString());
            ferryJava.addAll(jvmOptions());
            ferryJava.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", ferryJar.toString()));
        }
        String ferryCommand = options.launcher()
                ? "FERRY_JAVA_OPTS='" + ferryJvmOptions + "' " + ferryJava.getFirst()
                : String.join(" ", ferryJava);
        Path stateTemplate = stateTemplate(ferryJava, environment);

        // Export rounds.
        Path baselineOut = work.resolve("baseline-values.zst");
        String consumerCommand = String.join(
                        " ",
                        consoleJava.stream().map(KafkaBenchmark::shellQuote).toList())
                + " " + CONSOLE_CONSUMER + " --bootstrap-server " + bootstrap + " --topic " + SOURCE_TOPIC
                + " --from-beginning --max-messages " + records + " --timeout-ms 120000 | zstd -1 -q > "
                + shellQuote(baselineOut.toString());
        List<String> consumer = List.of("bash", "-o", "pipefail", "-c", consumerCommand);
        line("Export baseline: `" + consumerCommand + "`");
        line("");
        line("Export, ferry: `" + ferryCommand + " export kafka://" + bootstrap + "/" + SOURCE_TOPIC
                + " s3://" + BUCKET + "/export --s3-endpoint http://127.0.0.1:PORT --compression-level 1 --progress"
                + " none --state-dir DIR --results-file FILE" + ferryArgsText()
                + "` (credentials in AWS_ACCESS_KEY_ID and"
                + " AWS_SECRET_ACCESS_KEY; a fresh S3 server and state directory each round).");
        line("");
        List<Outcome> exportBaselines = new ArrayList<>();
        List<Outcome> exportFerries = new ArrayList<>();
        List<String> exportLoads = new ArrayList<>();
        long baselineBytes = -1;
        for (int round = 1; round <= options.rounds(); round++) {
            exportLoads.add(loadAverage1());
            Files.deleteIfExists(baselineOut);
            Run baseline = timed(consumer, work.resolve("logs/export-" + round + "-baseline"), Map.of(), null);
            String baselineProblem = "";
            if (baseline.exitCode() != 0) {
                baselineProblem = "exit " + baseline.exitCode() + ": " + tail(baseline.stderr());
            } else if (!Files.readString(baseline.stderr(), UTF_8)
                    .contains("Processed a total of " + records + " messages")) {
                baselineProblem = "did not report " + records + " messages: " + tail(baseline.stderr());
            }
            baselineBytes = Files.exists(baselineOut) ? Files.size(baselineOut) : -1;
            exportBaselines.add(new Outcome(baseline, baselineProblem));

            TestingS3 previous = s3;
            if (previous != null) {
                previous.close();
            }
            TestingS3 server = TestingS3.startWithBuckets(BUCKET);
            s3 = server;
            Path roundDir = work.resolve("round");
            Host.deleteTree(roundDir);
            Path results = roundDir.resolve("results.json");
            List<String> export = exportCommand(
                    ferryJava, bootstrap, SOURCE_TOPIC, server, "export", stateDir(stateTemplate, roundDir));
            export.addAll(List.of("--results-file", results.toString()));
            Run ferry = timed(export, work.resolve("logs/export-" + round + "-ferry"), environment, null);
            exportFerries.add(new Outcome(ferry, checkReport(ferry, results, records)));
        }
        table(
                "Export, Kafka -> S3",
                "console consumer | zstd -1",
                exportBaselines,
                exportFerries,
                exportLoads,
                records,
                valueBytes);
        line(String.format(
                Locale.ROOT,
                "Output: the baseline's values file with zstd -1: %,d bytes; ferry's objects and manifests are"
                        + " in the S3 server's memory (the results file counts %,d records).",
                baselineBytes,
                records));
        line("");

        // Import rounds, from the last export's bucket and from the baseline's values.
        Path values = work.resolve("values.txt");
        TestingS3 server = s3;
        if (server == null || !Files.exists(baselineOut)) {
            line("Import rounds skipped: no export round produced a bucket and a values file.");
            allSucceeded = false;
            return finish();
        }
        try {
            Run decompress = timed(
                    List.of("zstd", "-d", "-q", "-f", baselineOut.toString(), "-o", values.toString()),
                    work.resolve("logs/decompress"),
                    Map.of(),
                    null);
            if (decompress.exitCode() != 0 || Files.size(values) != records * EventLines.LINE_BYTES) {
                line("Import rounds skipped: the baseline's values file does not hold " + records + " lines of "
                        + EventLines.LINE_BYTES + " bytes: " + tail(decompress.stderr()));
                allSucceeded = false;
                return finish();
            }
            readThrough(values);
            String s3Values = uploadForCurl(server, baselineOut);
            List<String> producerArgs = List.of(
                    CONSOLE_PRODUCER,
                    "--bootstrap-server",
                    bootstrap,
                    "--batch-size",
                    Integer.toString(PRODUCER_BATCH_BYTES),
                    "--timeout",
                    Integer.toString(PRODUCER_LINGER_MS),
                    "--topic");
            line("Import baseline: `"
                    + String.join(
                            " ",
                            consoleJava.stream().map(KafkaBenchmark::shellQuote).toList()) + " "
                    + String.join(" ", producerArgs) + " TOPIC < " + values + "` ("
                    + String.format(Locale.ROOT, "%,d", Files.size(values)) + " bytes: the values the baseline"
                    + " consumer wrote, one per line; batch size and linger as ferry's producer, acks=all and"
                    + " idempotence as both default to).");
            line("");
            String s3FedCommand = curlCommand(s3Values) + " | zstd -d -c -q | "
                    + String.join(
                            " ",
                            consoleJava.stream().map(KafkaBenchmark::shellQuote).toList()) + " "
                    + String.join(" ", producerArgs) + " ";
            line("Import baseline fed from S3: `" + s3FedCommand + "TOPIC` (the baseline's zstd file, uploaded"
                    + " untimed to the S3 server ferry imports from: the least an import from a bucket does with"
                    + " the standard tools, fetching and decompressing the values on the same cores).");
            line("");
            line("Import, ferry: `" + ferryCommand + " import s3://" + BUCKET + "/export kafka://"
                    + bootstrap + "/TOPIC --s3-endpoint http://127.0.0.1:PORT --progress none --state-dir DIR"
                    + " --results-file FILE" + ferryArgsText() + "`. Each contender writes a new topic of "
                    + options.partitions()
                    + " partitions each round, deleted afterwards; the check counts the target's records.");
            line("");
            List<Outcome> importBaselines = new ArrayList<>();
            List<Outcome> importS3Fed = new ArrayList<>();
            List<Outcome> importFerries = new ArrayList<>();
            List<String> importLoads = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                importLoads.add(loadAverage1());
                String baselineTopic = "bench-console-" + round;
                kafka.createTopic(baselineTopic, options.partitions(), Map.of("retention.ms", "-1"));
                List<String> producer = new ArrayList<>(consoleJava);
                producer.addAll(producerArgs);
                producer.add(baselineTopic);
                Run baseline = timed(producer, work.resolve("logs/import-" + round + "-baseline"), Map.of(), values);
                importBaselines.add(new Outcome(baseline, checkCount(kafka, baselineTopic, records)));
                deleteTopic(kafka, baselineTopic);

                String s3FedTopic = "bench-console-s3-" + round;
                kafka.createTopic(s3FedTopic, options.partitions(), Map.of("retention.ms", "-1"));
                Run s3Fed = timed(
                        List.of("bash", "-o", "pipefail", "-c", s3FedCommand + s3FedTopic),
                        work.resolve("logs/import-" + round + "-baseline-s3"),
                        environment,
                        null);
                importS3Fed.add(new Outcome(
                        s3Fed,
                        s3Fed.exitCode() != 0
                                ? "exit " + s3Fed.exitCode() + ": " + tail(s3Fed.stderr())
                                : checkCount(kafka, s3FedTopic, records)));
                deleteTopic(kafka, s3FedTopic);

                String ferryTopic = "bench-ferry-" + round;
                kafka.createTopic(ferryTopic, options.partitions(), Map.of("retention.ms", "-1"));
                Path roundDir = work.resolve("round");
                Host.deleteTree(roundDir);
                Path results = roundDir.resolve("results.json");
                List<String> imported = importCommand(
                        ferryJava, "export", bootstrap, ferryTopic, server, stateDir(stateTemplate, roundDir));
                imported.addAll(List.of("--results-file", results.toString()));
                Run ferry = timed(imported, work.resolve("logs/import-" + round + "-ferry"), environment, null);
                String problem = checkReport(ferry, results, records);
                if (problem.isEmpty()) {
                    problem = checkCount(kafka, ferryTopic, records);
                }
                importFerries.add(new Outcome(ferry, problem));
                deleteTopic(kafka, ferryTopic);
            }
            table(
                    "Import, S3 -> Kafka",
                    "console producer",
                    importBaselines,
                    importFerries,
                    importLoads,
                    records,
                    valueBytes);
            table(
                    "Import, S3 -> Kafka, against the console producer fed from the same S3 server",
                    "curl | zstd -d | console producer",
                    importS3Fed,
                    importFerries,
                    importLoads,
                    records,
                    valueBytes);
            double ceiling = ExportBenchmark.median(
                    IntStream.range(0, importBaselines.size())
                            .mapToObj(i -> importBaselines.get(i).run().seconds()
                                    / importS3Fed.get(i).run().seconds())
                            .toList(),
                    Double::doubleValue);
            line(String.format(
                    Locale.ROOT,
                    "The console producer fed from S3 reaches %.2f of the one reading a local file (median of"
                            + " per-round ratios): what fetching the values from the S3 server and decompressing"
                            + " them, which any import from a bucket does, costs on these shared cores.",
                    ceiling));
            line("");
        } finally {
            Files.deleteIfExists(values);
        }
        return finish();
    }

    /**
     * Uploads a file to the S3 server with curl (untimed) for the S3-fed baseline, returning the object's
     * URL. curl signs with AWS signature v4 from {@code AWS_ACCESS_KEY_ID} and {@code
     * AWS_SECRET_ACCESS_KEY}, so the keys never appear in a command line the report prints.
     */
    private String uploadForCurl(TestingS3 server, Path file) throws IOException, InterruptedException {
        String url = server.endpoint() + "/" + BUCKET + "/baseline/" + file.getFileName();
        Map<String, String> keys =
                Map.of("AWS_ACCESS_KEY_ID", TestingS3.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", TestingS3.SECRET_KEY);
        Run upload = timed(
                List.of("bash", "-o", "pipefail", "-c", curlCommand(url) + " -T " + shellQuote(file.toString())),
                options.workDir().resolve("logs/upload-baseline-values"),
                keys,
                null);
        if (upload.exitCode() != 0) {
            throw new IllegalStateException("could not upload " + file + " to " + url + ": " + tail(upload.stderr()));
        }
        return url;
    }

    /** A curl command for an object of the runner's S3 server, signed with the keys in the environment. */
    private static String curlCommand(String url) {
        // s3proxy wants the payload hash header, which curl's signer does not add by itself.
        return "curl -sS -f --aws-sigv4 aws:amz:" + TestingS3.REGION + ":s3"
                + " --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "
                + shellQuote(url);
    }

    /** {@code ferry export} of a topic to {@code s3://BUCKET/PREFIX}, with the options of every round. */
    private List<String> exportCommand(
            List<String> ferry, String bootstrap, String topic, TestingS3 server, String prefix, Path stateDir) {
        return ferryCommand(
                ferry,
                List.of(
                        "export",
                        "kafka://" + bootstrap + "/" + topic,
                        "s3://" + BUCKET + "/" + prefix,
                        "--compression-level",
                        "1"),
                server,
                stateDir);
    }

    /** {@code ferry import} of {@code s3://BUCKET/PREFIX} into a topic, with the options of every round. */
    private List<String> importCommand(
            List<String> ferry, String prefix, String bootstrap, String topic, TestingS3 server, Path stateDir) {
        return ferryCommand(
                ferry,
                List.of("import", "s3://" + BUCKET + "/" + prefix, "kafka://" + bootstrap + "/" + topic),
                server,
                stateDir);
    }

    private List<String> ferryCommand(List<String> ferry, List<String> transfer, TestingS3 server, Path stateDir) {
        List<String> command = new ArrayList<>(ferry);
        command.addAll(transfer);
        command.addAll(List.of(
                "--s3-endpoint",
                server.endpoint().toString(),
                "--progress",
                "none",
                "--state-dir",
                stateDir.toString()));
        command.addAll(options.ferryArgs());
        return command;
    }

    private List<String> jvmOptions() {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx" + options.xmx());
        jvm.addAll(options.ferryJvmArgs());
        return jvm;
    }

    /**
     * A ferry installation of its own in the work directory: the repository's launcher and its JDK
     * finder beside the jar under test, where the launcher expects it, and no class-data archives
     * yet (the warm-up makes them).
     */
    private Path launcherHome(Path work, Path ferryJar) throws IOException {
        Path home = work.resolve("ferry-home");
        Host.deleteTree(home);
        Path target = Files.createDirectories(home.resolve("ferry-cli/target"));
        Files.createDirectories(home.resolve("tools"));
        Files.copy(options.repo().resolve("ferry"), home.resolve("ferry"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(
                options.repo().resolve("tools/jdk.sh"),
                home.resolve("tools/jdk.sh"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(ferryJar, target.resolve("ferry.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        return home;
    }

    /**
     * One small export and import, untimed, before the rounds: the launcher makes each command's
     * class-data archive on that command's first run, as it would on a user's machine.
     */
    private void warmUp(TestingKafka kafka, List<String> ferryJava, Map<String, String> environment) throws Exception {
        Path work = options.workDir();
        int partitions = options.partitions();
        kafka.createTopic(WARM_UP_TOPIC, partitions, Map.of("retention.ms", "-1"));
        kafka.createTopic(WARM_UP_TOPIC + "-imported", partitions, Map.of("retention.ms", "-1"));
        produce(kafka, WARM_UP_TOPIC, WARM_UP_RECORDS);
        try (TestingS3 server = TestingS3.startWithBuckets(BUCKET)) {
            Path dir = work.resolve("warm-up");
            Host.deleteTree(dir);
            String bootstrap = kafka.bootstrapServers();
            List<String> export =
                    exportCommand(ferryJava, bootstrap, WARM_UP_TOPIC, server, "warm-up", dir.resolve("export-state"));
            List<String> imported = importCommand(
                    ferryJava, "warm-up", bootstrap, WARM_UP_TOPIC + "-imported", server, dir.resolve("import-state"));
            for (List<String> command : List.of(export, imported)) {
                Run run = timed(command, work.resolve("logs/warm-up-" + command.get(1)), environment, null);
                if (run.exitCode() != 0) {
                    throw new IllegalStateException("the warm-up run `" + String.join(" ", command) + "` exited "
                            + run.exitCode() + ": " + tail(run.stderr()));
                }
            }
        } finally {
            deleteTopic(kafka, WARM_UP_TOPIC);
            deleteTopic(kafka, WARM_UP_TOPIC + "-imported");
        }
        line("Warm-up (untimed): ferry exported and imported " + WARM_UP_RECORDS + " records through the"
                + " launcher, which made its class-data archive for each command, as on a user's first run.");
        line("");
    }

    /**
     * An empty state store, made once (untimed) by {@code ferry jobs list}: each timed run starts from
     * a copy of it, as on a machine where ferry has run before, so no round pays the store's one-time
     * creation (its schema migrations).
     */
    private Path stateTemplate(List<String> ferryJava, Map<String, String> environment) throws Exception {
        Path template = options.workDir().resolve("state-template");
        Host.deleteTree(template);
        List<String> command = new ArrayList<>(ferryJava);
        command.addAll(List.of("jobs", "list", "--state-dir", template.toString()));
        Run run = timed(command, options.workDir().resolve("logs/state-template"), environment, null);
        if (run.exitCode() != 0) {
            throw new IllegalStateException(
                    "`" + String.join(" ", command) + "` exited " + run.exitCode() + ": " + tail(run.stderr()));
        }
        line("State: every timed ferry run gets a new state directory holding a copy of an empty state store"
                + " made once by `ferry jobs list` (untimed), as on a machine where ferry has run before.");
        line("");
        return template;
    }

    /** A new state directory for a round's ferry run: a copy of {@code template}. */
    private static Path stateDir(Path template, Path roundDir) throws IOException {
        Path state = roundDir.resolve("state");
        Files.createDirectories(state);
        try (Stream<Path> files = Files.list(template)) {
            for (Path file : files.toList()) {
                Files.copy(file, state.resolve(file.getFileName()));
            }
        }
        return state;
    }

    private boolean finish() throws IOException {
        line("Load average at end " + Host.loadAverage() + ".");
        line("");
        Files.writeString(
                options.results(),
                report,
                UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        System.out.println("Appended to " + options.results().toAbsolutePath());
        return allSucceeded;
    }

    private String ferryArgsText() {
        return options.ferryArgs().isEmpty() ? "" : " " + String.join(" ", options.ferryArgs());
    }

    /** The jar every ferry run uses: the one given, or a copy of ferry-cli's taken now. */
    private Path ferryJar(Path work) throws IOException {
        Path given = options.ferryJar();
        if (given != null) {
            if (!Files.isRegularFile(given)) {
                throw new IllegalStateException(given + " (--ferry-jar) does not exist");
            }
            return given.toAbsolutePath();
        }
        Path built = options.repo().resolve("ferry-cli/target/ferry.jar");
        if (!Files.isRegularFile(built)) {
            throw new IllegalStateException(
                    built + " does not exist; build it first: ./mvnw -B -q -DskipTests -pl ferry-cli -am install");
        }
        Path copy = work.resolve("ferry.jar");
        FileTime builtAt = Files.getLastModifiedTime(built);
        Files.copy(built, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        line("ferry.jar: a copy of " + built + " (built " + builtAt + ") taken at the start.");
        return copy;
    }

    private void table(
            String title,
            String baselineName,
            List<Outcome> baselines,
            List<Outcome> ferries,
            List<String> loads,
            long records,
            long valueBytes) {
        line("### " + title);
        line("");
        line("| round | load (1 min) | baseline (s) | ferry (s) | baseline records/s | ferry records/s | baseline MB/s"
                + " | ferry MB/s | ratio | baseline CPU (s) | ferry CPU (s) | broker+S3 CPU during baseline (s)"
                + " | broker+S3 CPU during ferry (s) | ferry peak RSS (MiB) | ferry |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < baselines.size(); i++) {
            Run baseline = baselines.get(i).run();
            Run ferry = ferries.get(i).run();
            line(String.format(
                    Locale.ROOT,
                    "| %d | %s | %.2f | %.2f | %,.0f | %,.0f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |",
                    i + 1,
                    loads.get(i),
                    baseline.seconds(),
                    ferry.seconds(),
                    records / baseline.seconds(),
                    records / ferry.seconds(),
                    valueBytes / 1e6 / baseline.seconds(),
                    valueBytes / 1e6 / ferry.seconds(),
                    baseline.seconds() / ferry.seconds(),
                    baseline.cpuSeconds(),
                    ferry.cpuSeconds(),
                    baseline.serverCpuSeconds(),
                    ferry.serverCpuSeconds(),
                    Host.mebibytes(ferry.peakRssKiB()),
                    ferries.get(i).succeeded() ? "ok" : "FAILED"));
        }
        double baselineMedian = ExportBenchmark.median(baselines, o -> o.run().seconds());
        double ferryMedian = ExportBenchmark.median(ferries, o -> o.run().seconds());
        double pairedRatio = ExportBenchmark.median(
                IntStream.range(0, baselines.size())
                        .mapToObj(i -> baselines.get(i).run().seconds()
                                / ferries.get(i).run().seconds())
                        .toList(),
                Double::doubleValue);
        double baselineCpu = ExportBenchmark.median(baselines, o -> o.run().cpuSeconds());
        double ferryCpu = ExportBenchmark.median(ferries, o -> o.run().cpuSeconds());
        line(String.format(
                Locale.ROOT,
                "| **median** | | **%.2f** | **%.2f** | **%,.0f** | **%,.0f** | **%.1f** | **%.1f** | **%.2f** | **%.2f**"
                        + " | **%.2f** | **%.2f** | **%.2f** | | |",
                baselineMedian,
                ferryMedian,
                records / baselineMedian,
                records / ferryMedian,
                valueBytes / 1e6 / baselineMedian,
                valueBytes / 1e6 / ferryMedian,
                pairedRatio,
                baselineCpu,
                ferryCpu,
                ExportBenchmark.median(baselines, o -> o.run().serverCpuSeconds()),
                ExportBenchmark.median(ferries, o -> o.run().serverCpuSeconds())));
        line("");
        line(String.format(
                Locale.ROOT,
                "%s: %s %,.0f records/s (%.1f MB/s), ferry %,.0f records/s (%.1f MB/s); ferry/baseline %.2f"
                        + " (ratio of medians), %.2f (median of per-round ratios); CPU time ratio (baseline/ferry)"
                        + " %.2f. ferry runs that exited 0 with a right result: %d of %d.",
                title,
                baselineName,
                records / baselineMedian,
                valueBytes / 1e6 / baselineMedian,
                records / ferryMedian,
                valueBytes / 1e6 / ferryMedian,
                baselineMedian / ferryMedian,
                pairedRatio,
                baselineCpu / ferryCpu,
                ferries.stream().filter(Outcome::succeeded).count(),
                ferries.size()));
        line("");
        for (int i = 0; i < baselines.size(); i++) {
            if (!baselines.get(i).succeeded()) {
                line("Baseline round " + (i + 1) + " failed: `"
                        + baselines.get(i).problem() + "`");
                line("");
                allSucceeded = false;
            }
            if (!ferries.get(i).succeeded()) {
                line("ferry round " + (i + 1) + " failed: `"
                        + (ferries.get(i).problem().isEmpty()
                                ? "exit " + ferries.get(i).run().exitCode()
                                : ferries.get(i).problem())
                        + "`");
                line("");
                allSucceeded = false;
            }
        }
    }

    /** Produces the records of a topic: round-robin over the partitions, keys, one header, timestamps. */
    private void produce(TestingKafka kafka, String topic, long records)
            throws InterruptedException, ExecutionException {
        EventLines events = new EventLines(SEED);
        byte[] header = "bench-run-01".getBytes(UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 << 10))) {
            for (long i = 0; i < records; i++) {
                byte[] line = events.next();
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                        topic,
                        (int) (i % options.partitions()),
                        BASE_TIME + i,
                        String.format(Locale.ROOT, "user-%05d", i % 100_000).getBytes(UTF_8),
                        Arrays.copyOf(line, VALUE_BYTES));
                record.headers().add(new RecordHeader("origin", header));
                // A failed send shows in the count below.
                Future<RecordMetadata> unused = producer.send(record);
            }
            producer.flush();
        }
        long produced = count(kafka, topic, options.partitions());
        if (produced != records) {
            throw new IllegalStateException(
                    "produced " + records + " records to " + topic + " but it holds " + produced);
        }
    }

    private static long count(TestingKafka kafka, String topic, int partitions)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        return kafka.admin().listOffsets(latest).all().get().values().stream()
                .mapToLong(info -> info.offset())
                .sum();
    }

    private String checkCount(TestingKafka kafka, String topic, long records)
            throws InterruptedException, ExecutionException {
        long count = count(kafka, topic, options.partitions());
        return count == records ? "" : topic + " holds " + count + " records, expected " + records;
    }

    private static String checkReport(Run run, Path results, long records) throws IOException {
        if (run.exitCode() != 0) {
            return "exit " + run.exitCode() + ": " + tail(run.stderr());
        }
        if (!Files.exists(results)) {
            return "no results file " + results;
        }
        Matcher matcher = REPORT_RECORDS.matcher(Files.readString(results, UTF_8));
        if (!matcher.find() || Long.parseLong(matcher.group(1)) != records) {
            return "the results file does not count " + records + " records";
        }
        return "";
    }

    private static void deleteTopic(TestingKafka kafka, String topic) throws InterruptedException, ExecutionException {
        kafka.admin().deleteTopics(List.of(topic)).all().get();
    }

    private Run timed(List<String> command, Path logPrefix, Map<String, String> environment, @Nullable Path stdin)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (timeAvailable) {
            full.addAll(List.of(GNU_TIME.toString(), "-v"));
        }
        full.addAll(command);
        Path stdout = logPrefix.resolveSibling(logPrefix.getFileName() + ".out");
        Path stderr = logPrefix.resolveSibling(logPrefix.getFileName() + ".err");
        ProcessBuilder builder =
                new ProcessBuilder(full).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        builder.environment().remove("FERRY_JAVA_OPTS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(environment);
        double serverCpuBefore = serverCpuSeconds();
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(1, TimeUnit.HOURS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within an hour");
        }
        double seconds = Host.seconds(start);
        double serverCpu = serverCpuSeconds() - serverCpuBefore;
        OptionalLong rss = OptionalLong.empty();
        double cpu = Double.NaN;
        if (timeAvailable) {
            String timeReport = Files.readString(stderr, UTF_8);
            Matcher matcher = MAX_RSS.matcher(timeReport);
            if (matcher.find()) {
                rss = OptionalLong.of(Long.parseLong(matcher.group(1)));
            }
            Matcher user = USER_TIME.matcher(timeReport);
            Matcher system = SYSTEM_TIME.matcher(timeReport);
            if (user.find() && system.find()) {
                cpu = Double.parseDouble(user.group(1)) + Double.parseDouble(system.group(1));
            }
        }
        return new Run(seconds, process.exitValue(), cpu, rss, serverCpu, stderr);
    }

    /** CPU seconds of this JVM so far (NaN where the JVM does not tell). */
    private static double serverCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }

    private static void readThrough(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            while (in.read(buffer) >= 0) {
                // only warms the page cache
            }
        }
    }

    private static String loadAverage1() {
        String load = Host.loadAverage();
        int space = load.indexOf(' ');
        return space > 0 ? load.substring(0, space) : load;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = new String(Files.readAllBytes(file), UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("\t"))
                    .toList();
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static String shellQuote(String value) {
        return value.matches("[A-Za-z0-9_./:=@-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    /** The command-line options; all optional. */
    record Options(
            Path workDir,
            int rounds,
            long sizeMiB,
            int partitions,
            String xmx,
            Path repo,
            Path lib,
            @Nullable Path ferryJar,
            List<String> ferryArgs,
            List<String> ferryJvmArgs,
            boolean launcher,
            Path results) {
        static final String USAGE = "usage: KafkaBenchmark [--work-dir DIR (default /tmp/kafka-bench)] [--rounds N"
                + " (default 3)] [--size-mib N: MiB of 1 KiB records (default 1024)] [--partitions N (default 6)]"
                + " [--xmx SIZE: ferry's heap (default 256m)] [--repo DIR (default .)] [--lib DIR (default"
                + " REPO/ferry-benchmarks/target/kafka-bench-lib)] [--ferry-jar FILE (default: a copy of"
                + " REPO/ferry-cli/target/ferry.jar)] [--ferry-arg ARG: appended to both ferry commands, may be repeated,"
                + " e.g. --ferry-arg --parallelism=6] [--ferry-jvm-arg ARG: a JVM option for every ferry run, may be"
                + " repeated] [--launch launcher|jar: ferry through the repository's launcher with its class-data"
                + " archives, made by an untimed warm-up (default), or as java -jar FERRY_JAR]"
                + " [--results FILE (default WORK_DIR/results.md)]";

        Options {
            ferryArgs = List.copyOf(ferryArgs);
            ferryJvmArgs = List.copyOf(ferryJvmArgs);
            if (rounds < 1 || sizeMiB < 1 || partitions < 1) {
                throw new IllegalArgumentException("--rounds, --size-mib and --partitions must be at least 1, got "
                        + rounds + ", " + sizeMiB + " and " + partitions + "; " + USAGE);
            }
        }

        static Options parse(String... args) {
            Path workDir = Path.of("/tmp/kafka-bench");
            int rounds = 3;
            long sizeMiB = 1024;
            int partitions = 6;
            String xmx = "256m";
            Path repo = Path.of("").toAbsolutePath();
            @Nullable Path lib = null;
            @Nullable Path ferryJar = null;
            @Nullable Path results = null;
            List<String> ferryArgs = new ArrayList<>();
            List<String> ferryJvmArgs = new ArrayList<>();
            boolean launcher = true;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || option.equals("-h")) {
                    throw new IllegalArgumentException(USAGE);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value; " + USAGE);
                }
                String value = args[++i];
                switch (option) {
                    case "--work-dir" -> workDir = Path.of(value);
                    case "--rounds" -> rounds = count(option, value);
                    case "--size-mib" -> sizeMiB = count(option, value);
                    case "--partitions" -> partitions = count(option, value);
                    case "--xmx" -> xmx = value;
                    case "--repo" -> repo = Path.of(value).toAbsolutePath().normalize();
                    case "--lib" -> lib = Path.of(value);
                    case "--ferry-jar" -> ferryJar = Path.of(value);
                    case "--ferry-arg" -> ferryArgs.add(value);
                    case "--ferry-jvm-arg" -> ferryJvmArgs.add(value);
                    case "--results" -> results = Path.of(value);
                    case "--launch" ->
                        launcher = switch (value) {
                            case "launcher" -> true;
                            case "jar" -> false;
                            default ->
                                throw new IllegalArgumentException(
                                        "--launch takes launcher or jar, got '" + value + "'; " + USAGE);
                        };
                    default -> throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
                }
            }
            return new Options(
                    workDir,
                    rounds,
                    sizeMiB,
                    partitions,
                    xmx,
                    repo,
                    lib == null ? repo.resolve("ferry-benchmarks/target/kafka-bench-lib") : lib,
                    ferryJar,
                    ferryArgs,
                    ferryJvmArgs,
                    launcher,
                    results == null ? workDir.resolve("results.md") : results);
        }

        private static int count(String option, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        option + " must be a whole number, got '" + value + "' (example: " + option + " 3)", e);
            }
        }
    }
}
