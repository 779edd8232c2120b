package io.ferry.core.job;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static io.ferry.spi.error.StandardErrorCode.TARGET_BUSY;

import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one job at a time the writer of a target (a topic, an output file): a {@link FileLease}
 * named after the target that holds the owning job's name, taken in the job's state directory and
 * again in a directory shared by every ferry process of this user on this machine, so two jobs with
 * different {@code --state-dir}s cannot write one target at once either. Jobs on different machines
 * are not coordinated by this lease.
 */
public final class TargetLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetLease.class);

    private final List<FileLease> leases;

    private TargetLease(List<FileLease> leases) {
        this.leases = List.copyOf(leases);
    }

    public static TargetLease acquire(Path lockDirectory, String target, String job) {
        return acquire(List.of(lockDirectory, machineDirectory()), target, job);
    }

    static TargetLease acquire(List<Path> directories, String target, String job) {
        List<FileLease> taken = new ArrayList<>();
        try {
            for (Path directory : directories.stream().distinct().toList()) {
                take(directory, target, job, directories.indexOf(directory) == 0)
                        .ifPresent(taken::add);
            }
            return new TargetLease(taken);
        } catch (RuntimeException e) {
            closeQuietly(taken);
            throw e;
        }
    }

    /** Where every ferry process of this user on this machine leases targets. */
    static Path machineDirectory() {
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "ferry-target-leases-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    private static Optional<FileLease> take(Path directory, String target, String job, boolean required) {
        Path file = directory.resolve("target-" + digest(target) + ".lock");
        FileLease.Result result;
        try {
            result = FileLease.tryAcquire(file, job);
        } catch (IOException e) {
            if (!required) {
                // the shared directory is a second line of defence; the state directory's lease stands
                LOG.warn(
                        "Cannot lease {} in {} ({}); only jobs sharing this state directory are kept off it",
                        target,
                        directory,
                        e.toString());
                return Optional.empty();
            }
            throw new FerryException(IO_ERROR, "Cannot lease " + target + " at " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(result.lease()
                .orElseThrow(() -> new FerryException(
                        TARGET_BUSY,
                        target + " is being written by job "
                                + (result.owner().isEmpty() ? "(unknown)" : result.owner())
                                + " in another ferry process; two writers would interleave their records. Wait"
                                + " for it to finish or pause it, or write somewhere else")));
    }

    private static void closeQuietly(List<FileLease> leases) {
        for (FileLease lease : leases) {
            try {
                lease.close();
            } catch (IOException e) {
                LOG.debug("Releasing a target lease failed", e);
            }
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
        IOException failure = null;
        for (FileLease lease : leases) {
            try {
                lease.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new FerryException(IO_ERROR, "Cannot release a target lease: " + failure.getMessage(), failure);
        }
    }
}
