package io.ferry.files;

import static io.ferry.spi.error.StandardErrorCode.CANNOT_RESUME;
import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static io.ferry.spi.error.StandardErrorCode.TARGET_EXISTS;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends lines to one file. Durable means fsynced: the receipt's state is the file's length at the
 * last sync ({@code len=<bytes>}); reopening with it truncates the file back to that length, so
 * lines written after it (by a run that crashed) are dropped and written again exactly once.
 * Closing without a flush truncates to the last sync as well.
 */
final class JsonlFileWriter implements SinkWriter {
    /** Unforced flushes sync once this many bytes are waiting... */
    static final long SYNC_BYTES = 64L << 20;
    /** ...or this long after the last sync. */
    static final long SYNC_INTERVAL_NANOS = 2_000_000_000L;

    private static final Logger log = LoggerFactory.getLogger(JsonlFileWriter.class);
    private static final int BUFFER_BYTES = 1 << 20;
    private static final String STATE_PREFIX = "len=";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final LineEncoder encoder;
    private final WriteBuffer buffer;
    private final long startLength;
    private final Runnable onClose;
    private long durableLength;
    private long lastOffset = -1;
    private @Nullable Position lastPosition;
    private WriteReceipt receipt;
    private long lastSyncNanos;
    private boolean directorySynced;
    private boolean closed;

    private JsonlFileWriter(
            Path file, FileChannel channel, FileLock lock, LineEncoder encoder, long startLength, Runnable onClose) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.encoder = encoder;
        this.startLength = startLength;
        this.onClose = onClose;
        this.buffer = new WriteBuffer(this::writeToChannel, BUFFER_BYTES);
        this.durableLength = startLength;
        this.receipt = WriteReceipt.nothingDurable(state(startLength));
        this.lastSyncNanos = System.nanoTime();
    }

    /**
     * Opens {@code file} for appending: after truncating it to the length in {@code state}, or, with
     * no state, from empty (refusing to replace a non-empty file unless {@code replaceExisting}).
     */
    static JsonlFileWriter open(
            Path file, LineEncoder encoder, Optional<String> state, boolean replaceExisting, Runnable onClose) {
        FileChannel channel = null;
        try {
            long length = state.map(s -> parseState(file, s)).orElse(0L);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lock(file, channel);
            long size = channel.size();
            if (state.isPresent()) {
                if (size < length) {
                    throw new FerryException(
                            CANNOT_RESUME,
                            "cannot resume writing " + file + ": it is " + size + " bytes, shorter than the " + length
                                    + " bytes the checkpoint made durable; it was changed outside this job, so write"
                                    + " to a new target or run again with --overwrite from the start");
                }
                if (size > length) {
                    log.debug("resuming {}: dropping {} bytes written after the checkpoint", file, size - length);
                }
            } else if (size > 0 && !replaceExisting) {
                throw new FerryException(
                        TARGET_EXISTS,
                        file + " already exists and holds " + size + " bytes; pass --overwrite to replace it, or"
                                + " choose another target");
            }
            channel.truncate(length);
            channel.position(length);
            return new JsonlFileWriter(file, channel, lock, encoder, length, onClose);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            onClose.run();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new FerryException(IO_ERROR, "cannot open " + file + " for writing: " + e, e);
        }
    }

    @Override
    public void write(List<Record> records) {
        checkOpen();
        try {
            for (Record record : records) {
                encoder.encode(record, buffer);
                lastOffset = record.offset();
                lastPosition = record.position();
            }
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot write " + file + ": " + e + "; check free space", e);
        }
    }

    @Override
    public WriteReceipt flush(boolean force) {
        checkOpen();
        long length = startLength + buffer.accepted();
        long waiting = length - durableLength;
        if (waiting == 0 && receipt.lastOffset() == lastOffset) {
            return receipt; // everything written is durable already
        }
        if (!force
                && (waiting == 0
                        || (waiting < SYNC_BYTES && System.nanoTime() - lastSyncNanos < SYNC_INTERVAL_NANOS))) {
            return receipt;
        }
        try {
            buffer.drain();
            channel.force(true);
            if (!directorySynced) {
                syncDirectory();
                directorySynced = true;
            }
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot make " + file + " durable (fsync): " + e, e);
        }
        lastSyncNanos = System.nanoTime();
        durableLength = length;
        Position position = lastPosition;
        receipt = position == null
                ? WriteReceipt.nothingDurable(state(length))
                : WriteReceipt.durableThrough(lastOffset, position, state(length));
        return receipt;
    }

    /** Drops what is not durable (buffered lines, and lines written to the file since the last sync). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.discard();
        try (channel) {
            if (channel.size() > durableLength) {
                channel.truncate(durableLength);
            }
            lock.release();
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot close " + file + ": " + e, e);
        } finally {
            onClose.run();
        }
    }

    private void writeToChannel(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(bytes, offset, length);
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    /** Makes the file's directory entry durable too; where directories cannot be opened, skips it. */
    private void syncDirectory() {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        try (FileChannel directory = FileChannel.open(parent, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            log.debug("cannot sync directory {} (not supported on this platform?): {}", parent, e.toString());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("writer for " + file + " is closed");
        }
    }

    private static FileLock lock(Path file, FileChannel channel) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new FerryException(
                    TARGET_EXISTS,
                    file + " is being written by another job or process; wait for it to finish or choose another"
                            + " target");
        }
        return lock;
    }

    private static String state(long length) {
        return STATE_PREFIX + length;
    }

    private static long parseState(Path file, String state) {
        if (state.startsWith(STATE_PREFIX)) {
            String digits = state.substring(STATE_PREFIX.length());
            if (!digits.isEmpty() && digits.length() <= 18 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(digits);
            }
        }
        throw new FerryException(
                CANNOT_RESUME,
                "cannot resume writing " + file + ": the checkpoint state '" + state + "' is not a file length"
                        + " (expected len=<bytes>, such as len=1024); it was not written by a JSONL file sink, so"
                        + " start the job afresh under a new name");
    }
}
