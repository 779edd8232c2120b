package io.ferry.files;

import static io.ferry.spi.error.StandardErrorCode.BAD_RECORD;
import static io.ferry.spi.error.StandardErrorCode.CANNOT_RESUME;
import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/** Reads the lines of one JSONL file or stream as records, in batches. */
final class JsonlSourceReader implements SourceReader<LinePosition> {
    static final int MAX_BATCH_RECORDS = 1000;
    static final long MAX_BATCH_BYTES = 4L << 20;

    private static final int DECOMPRESSION_BUFFER_BYTES = 256 << 10;

    private final String name; // the file or "standard input", for messages
    private final Split split;
    private final int maxLineBytes;
    private final Compression compression;
    private final InputStream input; // what closes everything
    private final @Nullable CountingInputStream raw; // null when progress is the line position
    private final LineScanner scanner;
    private long nextLine;
    private long progress;
    private boolean ended;
    private boolean closed;

    private JsonlSourceReader(
            String name,
            Split split,
            int maxLineBytes,
            Compression compression,
            InputStream input,
            @Nullable CountingInputStream raw,
            LineScanner scanner,
            LinePosition start,
            long progress) {
        this.name = name;
        this.split = split;
        this.maxLineBytes = maxLineBytes;
        this.compression = compression;
        this.input = input;
        this.raw = raw;
        this.scanner = scanner;
        this.nextLine = start.nextLine();
        this.progress = progress;
    }

    /** Opens {@code file} to read the lines after {@code start}. */
    static JsonlSourceReader open(InputFile file, LinePosition start, int maxLineBytes) {
        Path path = file.path();
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot open " + path + ": " + e, e);
        }
        try {
            if (file.compression() == Compression.NONE) {
                return openUncompressed(file, channel, start, maxLineBytes);
            }
            CountingInputStream raw = new CountingInputStream(Channels.newInputStream(channel));
            InputStream decompressed = decompress(file.compression(), raw);
            skipTo(decompressed, start, path);
            LineScanner scanner = new LineScanner(decompressed, start.byteOffset(), maxLineBytes);
            return new JsonlSourceReader(
                    path.toString(),
                    file.split(),
                    maxLineBytes,
                    file.compression(),
                    decompressed,
                    raw,
                    scanner,
                    start,
                    raw.count());
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            if (e instanceof FerryException ferry) {
                throw ferry;
            }
            if (file.compression() == Compression.NONE || e instanceof RuntimeException) {
                throw new FerryException(IO_ERROR, "cannot read " + path + ": " + e, e);
            }
            throw new FerryException(
                    BAD_RECORD,
                    path + " is not valid " + file.compression().displayName() + " data (" + e
                            + "); re-create or re-download it",
                    e);
        }
    }

    private static JsonlSourceReader openUncompressed(
            InputFile file, FileChannel channel, LinePosition start, int maxLineBytes) throws IOException {
        Path path = file.path();
        long size = channel.size();
        long offset = start.byteOffset();
        if (offset > size) {
            throw new FerryException(
                    CANNOT_RESUME,
                    "cannot resume " + path + " at byte " + offset + " (line " + start.nextLine()
                            + "): the file is only "
                            + size + " bytes now; it was truncated or replaced since the checkpoint, so start the job"
                            + " afresh");
        }
        // Seek, never re-read: the byte before the position must end a line, unless it ends the file.
        if (offset > 0 && offset < size) {
            ByteBuffer previous = ByteBuffer.allocate(1);
            channel.read(previous, offset - 1);
            if (previous.get(0) != '\n') {
                throw new FerryException(
                        CANNOT_RESUME,
                        "cannot resume " + path + " at byte " + offset + " (line " + start.nextLine()
                                + "): no line ends there; the file was changed since the checkpoint, so start the"
                                + " job afresh");
            }
        }
        channel.position(offset);
        InputStream in = Channels.newInputStream(channel);
        LineScanner scanner = new LineScanner(in, offset, maxLineBytes);
        return new JsonlSourceReader(
                path.toString(), file.split(), maxLineBytes, Compression.NONE, in, null, scanner, start, offset);
    }

    /** Reads a stream (standard input) from its start; gzip or zstd data is recognized by its magic bytes. */
    static JsonlSourceReader openStream(InputStream in, Split split, String name, int maxLineBytes) {
        CountingInputStream raw = new CountingInputStream(in);
        BufferedInputStream buffered = new BufferedInputStream(raw, DECOMPRESSION_BUFFER_BYTES);
        try {
            buffered.mark(Compression.MAGIC_LENGTH);
            byte[] head = buffered.readNBytes(Compression.MAGIC_LENGTH);
            buffered.reset();
            Compression compression = Compression.ofMagic(head, head.length).orElse(Compression.NONE);
            InputStream decompressed = compression == Compression.NONE ? buffered : decompress(compression, buffered);
            LineScanner scanner = new LineScanner(decompressed, 0, maxLineBytes);
            return new JsonlSourceReader(
                    name, split, maxLineBytes, compression, decompressed, raw, scanner, LinePosition.START, 0);
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot read " + name + ": " + e, e);
        }
    }

    @Override
    public ReadBatch read(Duration maxWait) {
        if (ended) {
            throw new IllegalStateException("read after the end of " + name + " (split " + split.id() + ")");
        }
        if (closed) {
            throw new IllegalStateException("read after close of " + name);
        }
        List<Record> records = new ArrayList<>();
        long bytes = 0;
        while (records.size() < MAX_BATCH_RECORDS && bytes < MAX_BATCH_BYTES) {
            byte[] line = nextLine();
            if (line == null) {
                return end(records);
            }
            long offset = nextLine++;
            LinePosition position = new LinePosition(scanner.offset(), nextLine);
            List<Header> headers = scanner.lastTerminated() ? List.of() : List.of(LineTerminator.noneHeader());
            records.add(lineRecord(
                    line, headers, new SourceCoordinates(split.stream(), split.partition(), offset), position));
            bytes += line.length;
            if (raw == null) {
                progress = position.byteOffset();
            }
        }
        if (raw != null) {
            progress = raw.count();
        }
        if (scanner.exhausted()) {
            return end(records);
        }
        return new ReadBatch(records, false);
    }

    private static Record lineRecord(byte[] line, List<Header> headers, SourceCoordinates from, LinePosition position) {
        return new Record(null, line, headers, Record.NO_TIMESTAMP, from, position);
    }

    private ReadBatch end(List<Record> records) {
        ended = true;
        if (raw != null) {
            // Trailing bytes after the compressed data (padding, an index) still count as consumed.
            drainQuietly(raw);
            progress = raw.count();
        }
        closeInput();
        return new ReadBatch(records, true);
    }

    private byte @Nullable [] nextLine() {
        try {
            return scanner.nextLine();
        } catch (LineTooLongException e) {
            throw new FerryException(
                    BAD_RECORD,
                    "line " + (nextLine + 1) + " of " + name + " is " + (e.exact() ? "" : "at least ") + e.length()
                            + " bytes long, more than the maximum of " + maxLineBytes + " bytes; raise it with "
                            + JsonlSource.MAX_LINE_OPTION + " (for example " + JsonlSource.MAX_LINE_OPTION + " "
                            + suggestedMax(e.length()) + ") if the line is meant to be that long");
        } catch (IOException e) {
            closeInput();
            String where = "near line " + (nextLine + 1) + " (uncompressed byte " + scanner.offset() + ")";
            if (compression != Compression.NONE && (raw == null || !raw.failed())) {
                String problem = e instanceof EOFException ? "truncated" : "corrupt";
                throw new FerryException(
                        BAD_RECORD,
                        name + " is " + problem + ": its " + compression.displayName()
                                + " data breaks off " + where + " (" + e.getMessage()
                                + "); re-create or re-download it",
                        e);
            }
            throw new FerryException(IO_ERROR, "cannot read " + name + " " + where + ": " + e, e);
        }
    }

    @Override
    public void acknowledge(LinePosition upTo) {
        // Files are left as they are: nothing to commit or delete.
    }

    @Override
    public long progress() {
        return progress;
    }

    @Override
    public void close() {
        closeInput();
    }

    private void closeInput() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            input.close();
        } catch (IOException e) {
            // Read-only: nothing is lost when closing fails.
        }
    }

    private static InputStream decompress(Compression compression, InputStream raw) throws IOException {
        return switch (compression) {
            case NONE -> raw;
            case GZIP -> new GZIPInputStream(raw, DECOMPRESSION_BUFFER_BYTES);
            case ZSTD -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(raw), DECOMPRESSION_BUFFER_BYTES);
        };
    }

    /** Skips the decompressed stream to {@code start}, checking that a line ends just before it. */
    private static void skipTo(InputStream in, LinePosition start, Path path) throws IOException {
        long offset = start.byteOffset();
        if (offset == 0) {
            return;
        }
        try {
            in.skipNBytes(offset - 1);
        } catch (EOFException e) {
            throw new FerryException(
                    CANNOT_RESUME,
                    "cannot resume " + path + " at uncompressed byte " + offset + " (line " + start.nextLine()
                            + "): the file is shorter now; it was truncated or replaced since the checkpoint, so"
                            + " start the job afresh",
                    e);
        }
        int previous = in.read();
        if (previous != '\n' && (previous < 0 || in.read() >= 0)) {
            throw new FerryException(
                    CANNOT_RESUME,
                    "cannot resume " + path + " at uncompressed byte " + offset + " (line " + start.nextLine()
                            + "): no line ends there; the file was changed since the checkpoint, so start the job"
                            + " afresh");
        }
    }

    private static long suggestedMax(long length) {
        long suggestion = Long.highestOneBit(Math.max(1, length)) << 1;
        return Math.min(suggestion, Integer.MAX_VALUE - 16L);
    }

    private static void drainQuietly(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The data was complete; a failure in trailing bytes does not matter.
        }
    }

    private static void closeQuietly(AutoCloseable closeable, Throwable failure) {
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
