package io.ferry.cli;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;

import io.ferry.archive.ArchiveOptions;
import io.ferry.archive.ArchiveSink;
import io.ferry.archive.BadRecordPolicy;
import io.ferry.archive.EnvelopeLineSource;
import io.ferry.archive.format.Compression;
import io.ferry.core.job.JobSpec;
import io.ferry.core.job.RunSettings;
import io.ferry.files.JsonlSource;
import io.ferry.files.LinePosition;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.sink.Sink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Export a stream to a bucket: every event becomes one JSON envelope line (stream, partition, offset,"
                    + " timestamp, key, value, headers) in compressed objects named by their first offset,"
                    + " each with a manifest.",
            "",
            "The stream is a JSONL file (.jsonl, .ndjson, .json, optionally .gz or .zst), a directory of them, or -"
                    + " for standard input. Each line is one event. The bucket is a directory; objects land at"
                    + " <bucket>/<stream>/<partition>/<first-offset>.jsonl.zst.",
            "",
            "Ctrl-C or SIGTERM pauses at a checkpoint; running the same command again resumes where it stopped,"
                    + " with nothing lost and nothing written twice.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  ferry export examples/orders.jsonl ./bucket",
            "  ferry export logs/ --to ./bucket --compression gzip --object-size 256MiB",
            "  zcat events.jsonl.gz | ferry export - ./bucket --name events-today",
            "  ferry export orders.jsonl s3://archive/orders --s3-region eu-west-1",
            "  ferry export kafka://localhost:9092/orders s3://archive/kafka --from-time 2026-11-01T00:00:00Z",
            "",
            ExitCode.HELP
        })
final class ExportCommand implements Callable<Integer> {
    private static final long MAX_LINE_SIZE_LIMIT = 1L << 30;

    /** How a line of the stream becomes an event. */
    enum InputFormat {
        raw,
        envelope
    }

    @Spec
    @Nullable
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "STREAM",
            description = "What to export: a JSONL file, a directory of JSONL files, - for standard input, or"
                    + " kafka://HOST:PORT/TOPIC[,TOPIC] (bounded by the end offsets seen at the start unless"
                    + " --follow). Example: examples/orders.jsonl")
    String stream = "";

    @Parameters(
            index = "1..*",
            paramLabel = "BUCKET",
            description = "Where to write: a directory (created if missing) or s3://BUCKET/PREFIX. Several may be"
                    + " given; each gets the whole stream and its own checkpoint. Example: ./bucket")
    List<String> buckets = new ArrayList<>();

    @Option(
            names = "--to",
            paramLabel = "BUCKET",
            description = "Another destination, like the BUCKET argument; may be repeated. Example: --to ./bucket")
    List<String> to = new ArrayList<>();

    @Option(
            names = "--compression",
            paramLabel = "CODEC",
            defaultValue = "zstd",
            description =
                    "Object compression: zstd, gzip or none. Default: ${DEFAULT-VALUE}. Example: --compression gzip")
    String compression = "zstd";

    @Option(
            names = "--compression-level",
            paramLabel = "N",
            description = "Compression level: zstd 1-22 (default 3), gzip 1-9 (default 6); lower is faster."
                    + " Example: --compression-level 1")
    @Nullable
    Integer level;

    @Option(
            names = "--compression-threads",
            paramLabel = "N",
            defaultValue = "1",
            description = "Background threads compressing each object being written (zstd only), so that reading,"
                    + " encoding and compressing use two cores; 0 compresses on the reading thread. Default:"
                    + " ${DEFAULT-VALUE}. Example: --compression-threads 0")
    int compressionThreads = 1;

    @Option(
            names = "--object-size",
            paramLabel = "SIZE",
            converter = ByteSize.class,
            defaultValue = "64MiB",
            description = "Start a new object once the current one holds this much (uncompressed envelopes)."
                    + " Default: ${DEFAULT-VALUE}. Example: --object-size 256MiB")
    long objectSize = ArchiveOptions.DEFAULT_OBJECT_SIZE_BYTES;

    @Option(
            names = "--object-records",
            paramLabel = "N",
            description = "Start a new object once the current one holds N records. Default: no limit."
                    + " Example: --object-records 100000")
    @Nullable
    Long objectRecords;

    @Option(
            names = "--object-age",
            paramLabel = "DURATION",
            converter = Durations.class,
            description = "Also finish an object once it has been open this long, so a slow stream lands in the"
                    + " bucket on time. Resuming after a crash replaces what the stopped run published past its"
                    + " checkpoint, so no time limit causes gaps or overlaps. Default: no limit."
                    + " Example: --object-age 10m")
    @Nullable
    Duration objectAge;

    @Option(
            names = "--max-line-size",
            paramLabel = "SIZE",
            converter = ByteSize.class,
            defaultValue = "64MiB",
            description = "The longest line accepted from the stream; a longer one stops the export with its file"
                    + " and line number. Default: ${DEFAULT-VALUE}. Example: --max-line-size 256MiB")
    long maxLineSize = 64L * 1024 * 1024;

    @Option(
            names = "--input-format",
            paramLabel = "FORMAT",
            defaultValue = "raw",
            description = "raw: each line's bytes are an event's value. envelope: each line is a whole JSON envelope"
                    + " (as ferry import --format envelope writes), whose key, value, headers and timestamp the event"
                    + " takes. Default: ${DEFAULT-VALUE}. Example: --input-format envelope")
    InputFormat inputFormat = InputFormat.raw;

    @Option(
            names = "--on-bad-record",
            paramLabel = "POLICY",
            defaultValue = "fail",
            description = "What to do with a line that cannot be parsed (with --input-format envelope): fail (stop,"
                    + " naming the file and line), skip (leave it out and count it), or dead-letter=FILE (append it,"
                    + " its file, line and the reason to FILE, and go on). Default: ${DEFAULT-VALUE}."
                    + " Example: --on-bad-record dead-letter=rejected.jsonl")
    String onBadRecord = "fail";

    @Mixin
    S3Options s3 = new S3Options();

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    StateOptions state = new StateOptions();

    @Nullable
    private EnvelopeLineSource<LinePosition> envelopes;

    private BadRecordPolicy policy = BadRecordPolicy.parse("fail");

    @Override
    public Integer call() {
        PreparedJob job = prepare();
        int exit = new JobExecution(state, run, System.err).execute(job);
        if (envelopes != null && envelopes.rejected() > 0) {
            System.err.println("Set aside " + envelopes.rejected() + " line(s) that were not valid envelopes ("
                    + (policy instanceof BadRecordPolicy.DeadLetter deadLetter
                            ? "written to " + deadLetter.file()
                            : "skipped")
                    + ").");
        }
        return exit;
    }

    /** Checks the options and builds the job's source and sinks, without reading or writing. */
    PreparedJob prepare() {
        Set<String> destinations = new LinkedHashSet<>();
        buckets.forEach(bucket -> destinations.add(Endpoints.canonical(bucket)));
        to.forEach(bucket -> destinations.add(Endpoints.canonical(bucket)));
        if (destinations.isEmpty()) {
            throw new FerryException(
                    BAD_OPTION,
                    "Name where to export to: a directory after the stream, or --to DIR" + " (example: ferry export "
                            + stream + " ./bucket)");
        }
        ArchiveOptions options = archiveOptions();

        Map<String, String> specOptions = new TreeMap<>();
        specOptions.put("@1.stream", Endpoints.canonical(stream));
        int index = 0;
        for (String destination : destinations) {
            specOptions.put(String.format(Locale.ROOT, "--to.%02d", index++), destination);
        }
        specOptions.put("--compression", options.compression().name().toLowerCase(Locale.ROOT));
        specOptions.put("--compression-level", Integer.toString(options.level()));
        specOptions.put("--object-size", Long.toString(options.objectSizeBytes()));
        if (objectRecords != null) {
            specOptions.put("--object-records", Long.toString(objectRecords));
        }
        if (objectAge != null) {
            specOptions.put("--object-age", objectAge.toString());
        }
        specOptions.put("--max-line-size", Long.toString(maxLineSize));
        specOptions.put("--input-format", inputFormat.name());
        specOptions.putAll(s3.spec());
        try {
            policy = BadRecordPolicy.parse(onBadRecord);
        } catch (IllegalArgumentException e) {
            throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
        }
        if (policy instanceof BadRecordPolicy.DeadLetter deadLetter) {
            policy = new BadRecordPolicy.DeadLetter(
                    deadLetter.file().toAbsolutePath().normalize());
            specOptions.put(
                    "--on-bad-record",
                    "dead-letter=" + deadLetter.file().toAbsolutePath().normalize());
        } else {
            specOptions.put("--on-bad-record", onBadRecord.toLowerCase(Locale.ROOT));
        }
        JobSpec jobSpec = JobSpec.of("export", specOptions);

        List<Sink> sinks = new ArrayList<>();
        for (String destination : destinations) {
            sinks.add(new ArchiveSink(Endpoints.bucket(destination, s3), "", options));
        }
        String description = stream + " -> " + String.join(", ", destinations);
        if (KafkaOptions.isKafka(stream)) {
            if (inputFormat == InputFormat.envelope) {
                throw new FerryException(
                        BAD_OPTION,
                        "--input-format envelope is for JSONL files; a Kafka stream's records already"
                                + " have keys, headers and timestamps");
            }
            specOptions.putAll(kafka.spec());
            JobSpec kafkaSpec = JobSpec.of("export", specOptions);
            String topic = KafkaOptions.Location.parse(stream).topics().get(0);
            return new PreparedJob(
                    kafkaSpec, topic, description, kafka.source(stream), sinks, RunSettings.waitingSplits());
        }
        if (maxLineSize > MAX_LINE_SIZE_LIMIT) {
            throw new FerryException(
                    BAD_OPTION,
                    "--max-line-size can be at most 1GiB, got " + maxLineSize
                            + " bytes (example: --max-line-size 256MiB)");
        }
        int maxLine = (int) maxLineSize;
        JsonlSource lines = stream.equals("-")
                ? JsonlSource.stdin(System.in, maxLine)
                : new JsonlSource(Endpoints.existingStream(stream), maxLine);
        envelopes = inputFormat == InputFormat.envelope ? new EnvelopeLineSource<>(lines, policy) : null;
        String hint = stream.equals("-") ? "stdin" : fileStem(stream);
        return new PreparedJob(
                jobSpec, hint, description, envelopes == null ? lines : envelopes, sinks, RunSettings.waitingSplits());
    }

    private ArchiveOptions archiveOptions() {
        Compression codec;
        try {
            codec = Compression.fromOption(compression);
        } catch (IllegalArgumentException e) {
            throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
        }
        int chosenLevel = level == null ? codec.defaultLevel() : level;
        try {
            return new ArchiveOptions(
                    codec,
                    chosenLevel,
                    objectSize,
                    objectRecords == null ? ArchiveOptions.UNLIMITED_RECORDS : objectRecords,
                    compressionThreads,
                    objectAge == null ? Duration.ZERO : objectAge);
        } catch (IllegalArgumentException e) {
            throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
        }
    }

    static String fileStem(String location) {
        Path name = Path.of(location).toAbsolutePath().normalize().getFileName();
        String stem = name == null ? location : name.toString();
        int dot = stem.indexOf('.');
        return dot > 0 ? stem.substring(0, dot) : stem;
    }
}
