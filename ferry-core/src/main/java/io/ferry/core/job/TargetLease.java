package io.ferry.core.job;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static io.ferry.spi.error.StandardErrorCode.TARGET_BUSY;

import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Makes one job at a time the writer of a target (a topic, an output file): an OS file lock named
 * after the target, holding the owning job's name, released by the operating system when the owner
 * dies however it dies.
 */
public final class TargetLease implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private TargetLease(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static TargetLease acquire(Path lockDirectory, String target, String job) {
        Path file = lockDirectory.resolve("target-" + digest(target) + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(lockDirectory);
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new FerryException(
                        TARGET_BUSY,
                        target + " is being written by job " + (owner.isEmpty() ? "(unknown)" : owner)
                                + " in another ferry process; two writers would interleave their records. Wait for"
                                + " it to finish or pause it, or write somewhere else");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(job.getBytes(StandardCharsets.UTF_8)), 0);
            return new TargetLease(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new FerryException(IO_ERROR, "Cannot lease " + target + " at " + file + ": " + e.getMessage(), e);
        }
    }

    private static String digest(String target) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "Cannot release a target lease: " + e.getMessage(), e);
        }
    }
}
