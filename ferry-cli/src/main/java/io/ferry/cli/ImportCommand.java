package io.ferry.cli;

import io.ferry.archive.ArchiveSource;
import io.ferry.core.job.JobSpec;
import io.ferry.core.job.RunSettings;
import io.ferry.files.JsonlSink;
import io.ferry.files.LineEncoder;
import io.ferry.spi.sink.Sink;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Import a bucket back into a stream: the events an export wrote, in offset order, each stream partition"
                    + " into its own JSONL file, byte-identical to what was exported.",
            "",
            "TARGET is a directory (one file per stream partition: <stream>.jsonl, or <stream>.<partition>.jsonl"
                    + " beyond partition 0), a file (when the bucket holds one stream partition), or - for"
                    + " standard output. Ctrl-C pauses; the same command resumes without writing a line twice.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  ferry import ./bucket ./restored",
            "  ferry import ./bucket restored.jsonl",
            "  ferry import ./bucket ./restored --format envelope",
            "  ferry import s3://archive/orders kafka://localhost:9092/orders-restored",
            "",
            ExitCode.HELP
        })
final class ImportCommand implements Callable<Integer> {
    /** What each line of the target holds. */
    enum Format {
        raw,
        envelope
    }

    @Parameters(
            index = "0",
            paramLabel = "BUCKET",
            description = "The bucket to read: a directory or s3://BUCKET/PREFIX an export wrote. Example: ./bucket")
    String bucket = "";

    @Parameters(
            index = "1",
            paramLabel = "TARGET",
            description = "Where to write: a directory, a file, - for standard output, or kafka://HOST:PORT/TOPIC"
                    + " (an existing topic; each record keeps its partition, key, headers and timestamp)."
                    + " Example: ./restored")
    String target = "";

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "raw",
            description = "raw: each event's value as one line (the original JSONL). envelope: each event as a whole"
                    + " JSON envelope (stream, partition, offset, timestamp, key, value, headers), so nothing is lost"
                    + " for events that came from a real stream. Default: ${DEFAULT-VALUE}. Example: --format envelope")
    Format format = Format.raw;

    @Option(
            names = "--overwrite",
            description = "Replace target files that exist and were not written by this job (by default ferry refuses"
                    + " to touch them). Example: --overwrite")
    boolean overwrite;

    @Mixin
    S3Options s3 = new S3Options();

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    StateOptions state = new StateOptions();

    @Override
    public Integer call() {
        PreparedJob job = prepare();
        return new JobExecution(state, run, System.err).execute(job);
    }

    /** Checks the options and builds the job's source and sink, without reading or writing. */
    PreparedJob prepare() {
        Map<String, String> specOptions = new TreeMap<>();
        specOptions.put("@1.bucket", Endpoints.canonical(bucket));
        specOptions.put("@2.target", Endpoints.canonical(target));
        specOptions.put("--format", format.name());
        specOptions.putAll(s3.spec());
        if (KafkaOptions.isKafka(target)) {
            specOptions.putAll(kafka.spec());
        }
        JobSpec jobSpec = JobSpec.of("import", specOptions);

        ArchiveSource source = new ArchiveSource(Endpoints.existingBucket(bucket, s3), "");
        LineEncoder encoder = switch (format) {
            case raw -> LineEncoder.raw();
            case envelope -> new EnvelopeLineEncoder();
        };
        Sink sink = KafkaOptions.isKafka(target)
                ? kafka.sink(target)
                : target.equals("-")
                        ? JsonlSink.stdout(System.out, encoder)
                        : new JsonlSink(Path.of(target).toAbsolutePath().normalize(), overwrite, encoder);
        String hint = ExportCommand.fileStem(bucket).toLowerCase(Locale.ROOT);
        return new PreparedJob(
                jobSpec, hint, bucket + " -> " + target, source, List.of(sink), RunSettings.busySplits());
    }
}
