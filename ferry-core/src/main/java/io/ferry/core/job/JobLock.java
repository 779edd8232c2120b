package io.ferry.core.job;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static io.ferry.spi.error.StandardErrorCode.JOB_MISMATCH;

import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes sure one job runs in one process at a time: an OS file lock in the state directory, released
 * by the operating system when the process dies, however it dies.
 */
public final class JobLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private JobLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static JobLock acquire(Path lockDirectory, String job) {
        Path file = lockDirectory.resolve(job + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(lockDirectory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw busy(job);
            }
            return new JobLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw busy(job);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new FerryException(IO_ERROR, "Cannot lock job " + job + " at " + file + ": " + e.getMessage(), e);
        }
    }

    private static FerryException busy(String job) {
        return new FerryException(
                JOB_MISMATCH,
                "Job " + job + " is running in another process; wait for it, or pause it with Ctrl-C there"
                        + " (see it with: ferry jobs show " + job + ")");
    }

    private static void closeQuietly(@org.jspecify.annotations.Nullable FileChannel channel) {
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
            throw new FerryException(IO_ERROR, "Cannot release a job lock: " + e.getMessage(), e);
        }
    }
}
