package io.ferry.files;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static io.ferry.spi.error.StandardErrorCode.BAD_RECORD;
import static io.ferry.spi.error.StandardErrorCode.CANNOT_RESUME;
import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static io.ferry.spi.error.StandardErrorCode.NOT_FOUND;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads JSONL: one file, every JSONL file under a directory, or standard input. Each line is one
 * record whose value is the line's bytes without its line feed; offsets are 0-based line numbers.
 *
 * <p>A directory is searched recursively for names ending in {@code .jsonl}, {@code .ndjson} or
 * {@code .json}, optionally followed by {@code .gz} or {@code .zst}; files are read in the order
 * of their relative paths. Each file is one split: its id is the path relative to the directory
 * (or the file name), its stream that path without the suffixes, its partition 0. A compression
 * suffix must match the file's first bytes, and a compressed file must have one.
 *
 * <p>Progress and size are in bytes of the file as stored (compressed bytes for a compressed file).
 * Resuming an uncompressed file seeks straight to the saved byte offset; a compressed one is
 * decompressed and skipped up to it. Standard input cannot resume.
 */
public final class JsonlSource implements Source<LinePosition> {
    /** The longest line read by default: 64 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

    /** The command-line option that raises the longest line; named in error messages. */
    public static final String MAX_LINE_OPTION = "--max-line-size";

    /** The split of standard input. */
    public static final Split STDIN_SPLIT = new Split("-", "stdin", 0);

    private static final Logger log = LoggerFactory.getLogger(JsonlSource.class);
    private static final List<String> DATA_SUFFIXES = List.of(".jsonl", ".ndjson", ".json");
    private static final int MAX_SUPPORTED_LINE_BYTES = Integer.MAX_VALUE - 16;

    private final @Nullable Path path;
    private final @Nullable InputStream stdin;
    private final int maxLineBytes;
    private @Nullable Map<String, InputFile> files; // by split id, in plan order; set by plan()
    private boolean stdinOpened;

    /** Reads the file or directory at {@code path}, with lines of at most 64 MiB. */
    public JsonlSource(Path path) {
        this(path, DEFAULT_MAX_LINE_BYTES);
    }

    /** Reads the file or directory at {@code path}, refusing lines longer than {@code maxLineBytes}. */
    public JsonlSource(Path path, int maxLineBytes) {
        this(requireNonNull(path, "path is null"), null, maxLineBytes);
    }

    private JsonlSource(@Nullable Path path, @Nullable InputStream stdin, int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > MAX_SUPPORTED_LINE_BYTES) {
            throw new FerryException(
                    BAD_OPTION,
                    MAX_LINE_OPTION + " must be between 1 and " + MAX_SUPPORTED_LINE_BYTES + " bytes, got "
                            + maxLineBytes + " (example: " + MAX_LINE_OPTION + " " + DEFAULT_MAX_LINE_BYTES + ")");
        }
        this.path = path;
        this.stdin = stdin;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Reads standard input (or any stream) as one split, {@link #STDIN_SPLIT}; gzip and zstd input
     * is recognized by its first bytes. It can be opened once and cannot resume.
     */
    public static JsonlSource stdin(InputStream in) {
        return stdin(in, DEFAULT_MAX_LINE_BYTES);
    }

    /** As {@link #stdin(InputStream)}, refusing lines longer than {@code maxLineBytes}. */
    public static JsonlSource stdin(InputStream in, int maxLineBytes) {
        return new JsonlSource(null, requireNonNull(in, "in is null"), maxLineBytes);
    }

    @Override
    public String describe() {
        if (path == null) {
            return "stdin";
        }
        return (Files.isDirectory(path) ? "dir:" : "file:") + path;
    }

    /** One split per file, in the order of their relative paths; the first call fixes the list. */
    @Override
    public synchronized List<Split> plan() {
        if (path == null) {
            return List.of(STDIN_SPLIT);
        }
        return files().values().stream().map(InputFile::split).toList();
    }

    @Override
    public SourceReader<LinePosition> open(Split split, Optional<LinePosition> resumeAfter) {
        requireNonNull(split, "split is null");
        requireNonNull(resumeAfter, "resumeAfter is null");
        if (path == null) {
            return openStdin(split, resumeAfter);
        }
        InputFile file = file(split);
        return JsonlSourceReader.open(file, resumeAfter.orElse(LinePosition.START), maxLineBytes);
    }

    @Override
    public Optional<SplitSize> size(Split split) {
        if (path == null) {
            return Optional.empty();
        }
        InputFile file = file(split);
        try {
            return Optional.of(new SplitSize(Files.size(file.path()), SplitSize.Unit.BYTES));
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot read the size of " + file.path() + ": " + e, e);
        }
    }

    @Override
    public LinePosition decodePosition(Split split, String encoded) {
        return LinePosition.parse(encoded)
                .orElseThrow(() -> new FerryException(
                        CANNOT_RESUME,
                        "cannot resume " + split.id() + ": the checkpoint position '" + encoded
                                + "' is not a JSONL line position (expected b=<byte offset>;l=<next line>, such as"
                                + " b=1024;l=10); the checkpoint was not written by this source, so start this job"
                                + " afresh under a new name"));
    }

    private SourceReader<LinePosition> openStdin(Split split, Optional<LinePosition> resumeAfter) {
        InputStream in = requireNonNull(stdin, "stdin");
        if (!split.equals(STDIN_SPLIT)) {
            throw new FerryException(
                    BAD_OPTION, "standard input has one split, " + STDIN_SPLIT + "; cannot open " + split);
        }
        if (resumeAfter.isPresent() && !resumeAfter.get().equals(LinePosition.START)) {
            throw new FerryException(
                    CANNOT_RESUME,
                    "cannot resume reading standard input after "
                            + resumeAfter.get().encode()
                            + ": what was read from it is gone; give the input as a file to be able to resume");
        }
        synchronized (this) {
            if (stdinOpened) {
                throw new FerryException(
                        CANNOT_RESUME,
                        "standard input can be read only once; give the input as a file to read it again");
            }
            stdinOpened = true;
        }
        return JsonlSourceReader.openStream(in, split, "standard input", maxLineBytes);
    }

    private synchronized InputFile file(Split split) {
        InputFile file = files().get(split.id());
        if (file == null || !file.split().equals(split)) {
            throw new FerryException(
                    NOT_FOUND,
                    "split " + split + " is not a file of " + describe() + " (files: " + files().keySet()
                            + "); was a file renamed or removed since the job started?");
        }
        return file;
    }

    private synchronized Map<String, InputFile> files() {
        if (files == null) {
            files = findFiles(requireNonNull(path, "path"));
        }
        return files;
    }

    private static Map<String, InputFile> findFiles(Path root) {
        if (!Files.exists(root)) {
            throw new FerryException(
                    NOT_FOUND, "JSONL input " + root + " does not exist; check the path (use - for standard input)");
        }
        if (!Files.isDirectory(root)) {
            String name = root.getFileName() == null
                    ? root.toString()
                    : root.getFileName().toString();
            InputFile file = inputFile(root, name, name);
            return Map.of(file.split().id(), file);
        }
        List<String> relativePaths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file)
                            .toString()
                            .replace(root.getFileSystem().getSeparator(), "/"))
                    .filter(JsonlSource::isDataFileName)
                    .forEach(relativePaths::add);
        } catch (IOException | UncheckedIOException e) {
            throw new FerryException(IO_ERROR, "cannot list the JSONL files under " + root + ": " + e, e);
        }
        relativePaths.sort(null);
        Map<String, InputFile> files = new LinkedHashMap<>();
        Map<String, String> idByStream = new HashMap<>();
        for (String relative : relativePaths) {
            InputFile file = inputFile(root.resolve(relative), relative, relative);
            String earlier = idByStream.putIfAbsent(file.split().stream(), relative);
            if (earlier != null) {
                throw new FerryException(
                        BAD_OPTION,
                        "files " + earlier + " and " + relative + " under " + root + " are both stream '"
                                + file.split().stream() + "'; remove or rename one of them");
            }
            files.put(relative, file);
        }
        if (files.isEmpty()) {
            log.warn("no .jsonl, .ndjson or .json files (optionally .gz or .zst) under {}", root);
        }
        return files;
    }

    private static InputFile inputFile(Path file, String id, String name) {
        Compression compression = Compression.ofName(name);
        String stream = name.substring(0, name.length() - compression.suffix().length());
        String lower = stream.toLowerCase(Locale.ROOT);
        for (String suffix : DATA_SUFFIXES) {
            if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
                stream = stream.substring(0, stream.length() - suffix.length());
                break;
            }
        }
        if (stream.isEmpty()) {
            stream = name;
        }
        checkCompression(file, compression);
        return new InputFile(file, new Split(id, stream, 0), compression);
    }

    private static boolean isDataFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Compression compression = Compression.ofName(lower);
        String base = lower.substring(0, lower.length() - compression.suffix().length());
        return DATA_SUFFIXES.stream().anyMatch(base::endsWith);
    }

    /** Fails unless the file's first bytes agree with the compression its name says. */
    private static void checkCompression(Path file, Compression named) {
        byte[] head = new byte[Compression.MAGIC_LENGTH];
        int length = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(head);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    break;
                }
            }
            length = buffer.position();
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot read " + file + ": " + e, e);
        }
        Optional<Compression> actual = Compression.ofMagic(head, length);
        if (named == Compression.NONE) {
            if (actual.isPresent()) {
                throw new FerryException(
                        BAD_RECORD,
                        file + " starts with the " + actual.get().displayName() + " magic bytes "
                                + actual.get().magicHex() + " but its name does not end in "
                                + actual.get().suffix()
                                + "; rename it to " + file.getFileName()
                                + actual.get().suffix());
            }
        } else if (actual.isEmpty() || actual.get() != named) {
            throw new FerryException(
                    BAD_RECORD,
                    file + " is named " + named.suffix() + " but does not start with the " + named.displayName()
                            + " magic bytes " + named.magicHex() + " (it "
                            + (length == 0
                                    ? "is empty"
                                    : actual.map(c -> "is " + c.displayName() + "-compressed")
                                            .orElse("is not compressed"))
                            + "); rename it to match its content or re-create it");
        }
    }
}
