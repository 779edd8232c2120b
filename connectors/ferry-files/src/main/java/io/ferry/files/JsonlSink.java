package io.ferry.files;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static io.ferry.spi.error.StandardErrorCode.CANNOT_RESUME;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.source.Split;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Writes records as JSONL lines, through a {@link LineEncoder} ({@link LineEncoder#raw()} by
 * default), to a directory (one file per split), a single file (a source with one split), or
 * standard output.
 *
 * <p>In a directory, split {@code (stream, partition)} goes to {@code <dir>/<stream>.jsonl} for
 * partition 0 and {@code <dir>/<stream>.<partition>.jsonl} otherwise; a stream name containing
 * {@code /} makes subdirectories. A target is a single file when it is an existing regular file or
 * its name ends in {@code .jsonl}, {@code .ndjson} or {@code .json}; otherwise a directory.
 *
 * <p>Files are written exactly once across crashes: a writer's receipt state is the file length it
 * has fsynced ({@code len=<bytes>}), and a writer opened with that state truncates back to it. A
 * writer opened without state replaces an existing non-empty file only when the job is resuming
 * ({@link SinkContext#resuming()}) or the sink was made with {@code overwrite}. Standard output
 * cannot resume.
 */
public final class JsonlSink implements Sink {
    private enum Target {
        DIRECTORY,
        FILE,
        STREAM
    }

    private final Target target;
    private final @Nullable Path path;
    private final @Nullable OutputStream out;
    private final boolean overwrite;
    private final LineEncoder encoder;
    private final Map<Path, String> splitIdByFile = new HashMap<>(); // files this sink has opened
    private @Nullable Split singleFileSplit;

    /** Writes raw lines to the directory or file {@code target}. */
    public JsonlSink(Path target, boolean overwrite) {
        this(target, overwrite, LineEncoder.raw());
    }

    /** Writes lines made by {@code encoder} to the directory or file {@code target}. */
    public JsonlSink(Path target, boolean overwrite, LineEncoder encoder) {
        this(targetOf(requireNonNull(target, "target is null")), target, null, overwrite, encoder);
    }

    private JsonlSink(
            Target target, @Nullable Path path, @Nullable OutputStream out, boolean overwrite, LineEncoder encoder) {
        this.target = target;
        this.path = path;
        this.out = out;
        this.overwrite = overwrite;
        this.encoder = requireNonNull(encoder, "encoder is null");
    }

    /** Writes raw lines to {@code out} (standard output), which stays open. */
    public static JsonlSink stdout(OutputStream out) {
        return stdout(out, LineEncoder.raw());
    }

    /** Writes lines made by {@code encoder} to {@code out} (standard output), which stays open. */
    public static JsonlSink stdout(OutputStream out, LineEncoder encoder) {
        return new JsonlSink(Target.STREAM, null, requireNonNull(out, "out is null"), false, encoder);
    }

    @Override
    public String id() {
        return switch (target) {
            case DIRECTORY -> "jsonl-dir:" + requireNonNull(path).toAbsolutePath();
            case FILE -> "jsonl-file:" + requireNonNull(path).toAbsolutePath();
            case STREAM -> "stdout";
        };
    }

    /** The directory or file written; two imports into it at once would interleave their lines. */
    @Override
    public java.util.List<String> exclusiveTargets() {
        return target == Target.STREAM ? java.util.List.of() : java.util.List.of(id());
    }

    /** The file {@code split} is written to; empty for standard output. */
    public Optional<Path> outputFile(Split split) {
        return switch (target) {
            case DIRECTORY -> Optional.of(fileInDirectory(requireNonNull(path), split));
            case FILE -> Optional.of(requireNonNull(path));
            case STREAM -> Optional.empty();
        };
    }

    @Override
    public SinkWriter open(SinkContext context, Optional<String> state) {
        requireNonNull(context, "context is null");
        requireNonNull(state, "state is null");
        Split split = context.split();
        if (target == Target.STREAM) {
            if (state.isPresent()) {
                throw new FerryException(
                        CANNOT_RESUME,
                        "cannot resume writing split " + split.id() + " to standard output: what was written before"
                                + " is gone; write to a file or directory to be able to resume");
            }
            return new JsonlStreamWriter(requireNonNull(out), "standard output", encoder);
        }
        Path file = outputFile(split).orElseThrow();
        claim(file, split);
        return JsonlFileWriter.open(file, encoder, state, overwrite || context.resuming(), () -> release(file));
    }

    private synchronized void claim(Path file, Split split) {
        if (target == Target.FILE) {
            if (singleFileSplit != null && !singleFileSplit.id().equals(split.id())) {
                throw new FerryException(
                        BAD_OPTION,
                        "target " + file + " is a single file, but the source has more than one split ('"
                                + singleFileSplit.id() + "' and '" + split.id() + "'); give a directory as the target"
                                + " to write one file per split");
            }
            singleFileSplit = split;
        }
        String other = splitIdByFile.get(file);
        if (other != null) {
            throw new FerryException(
                    BAD_OPTION,
                    other.equals(split.id())
                            ? "split '" + split.id() + "' is already being written to " + file
                                    + "; close its writer first"
                            : "splits '" + other + "' and '" + split.id() + "' would both be written to " + file
                                    + "; rename a stream or write them to different targets");
        }
        splitIdByFile.put(file, split.id());
    }

    private synchronized void release(Path file) {
        splitIdByFile.remove(file);
    }

    private static Path fileInDirectory(Path directory, Split split) {
        String stream = split.stream();
        String name = stream + (split.partition() == 0 ? "" : "." + split.partition()) + ".jsonl";
        boolean safe = !stream.isEmpty()
                && !stream.startsWith("/")
                && stream.indexOf('\\') < 0
                && stream.indexOf('\0') < 0
                && !stream.endsWith("/");
        if (safe) {
            for (String segment : stream.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    safe = false;
                    break;
                }
            }
        }
        Path file = directory.resolve(name).normalize();
        if (!safe || !file.startsWith(directory.normalize())) {
            throw new FerryException(
                    BAD_OPTION,
                    "stream name '" + stream + "' of split '" + split.id() + "' cannot be a file name under "
                            + directory + " (it is empty, absolute, or has '.', '..', '\\' or empty parts); rename"
                            + " the stream or write it to a single file");
        }
        return file;
    }

    private static Target targetOf(Path target) {
        if (Files.isDirectory(target)) {
            return Target.DIRECTORY;
        }
        String name = target.getFileName() == null
                ? ""
                : target.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz") || name.endsWith(".zst")) {
            throw new FerryException(
                    BAD_OPTION,
                    "cannot write compressed JSONL to " + target + ": only uncompressed output is supported; write to"
                            + " a .jsonl file and compress it afterwards, or export to an archive");
        }
        if (name.endsWith(".jsonl")
                || name.endsWith(".ndjson")
                || name.endsWith(".json")
                || Files.isRegularFile(target)) {
            return Target.FILE;
        }
        return Target.DIRECTORY;
    }
}
