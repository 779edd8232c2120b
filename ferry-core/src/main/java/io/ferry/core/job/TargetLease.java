package io.ferry.core.job;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static io.ferry.spi.error.StandardErrorCode.TARGET_BUSY;

import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Makes one job at a time the writer of a target (a topic, an output file): a {@link FileLease}
 * named after the target that holds the owning job's name.
 */
public final class TargetLease implements AutoCloseable {
    private final FileLease lease;

    private TargetLease(FileLease lease) {
        this.lease = lease;
    }

    public static TargetLease acquire(Path lockDirectory, String target, String job) {
        Path file = lockDirectory.resolve("target-" + digest(target) + ".lock");
        try {
            FileLease.Result result = FileLease.tryAcquire(file, job);
            return new TargetLease(result.lease()
                    .orElseThrow(() -> new FerryException(
                            TARGET_BUSY,
                            target + " is being written by job "
                                    + (result.owner().isEmpty() ? "(unknown)" : result.owner())
                                    + " in another ferry process; two writers would interleave their records. Wait"
                                    + " for it to finish or pause it, or write somewhere else")));
        } catch (IOException e) {
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

    @Override
    public void close() {
        try {
            lease.close();
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "Cannot release a target lease: " + e.getMessage(), e);
        }
    }
}
