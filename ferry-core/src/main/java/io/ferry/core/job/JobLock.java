package io.ferry.core.job;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static io.ferry.spi.error.StandardErrorCode.JOB_MISMATCH;

import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.file.Path;

/** Makes sure one job runs in one process at a time (see {@link FileLease}). */
public final class JobLock implements AutoCloseable {
    private final FileLease lease;

    private JobLock(FileLease lease) {
        this.lease = lease;
    }

    public static JobLock acquire(Path lockDirectory, String job) {
        Path file = lockDirectory.resolve(job + ".lock");
        try {
            FileLease.Result result = FileLease.tryAcquire(file, job);
            return new JobLock(result.lease()
                    .orElseThrow(() -> new FerryException(
                            JOB_MISMATCH,
                            "Job " + job + " is running in another process; wait for it, or pause it with Ctrl-C"
                                    + " there (see it with: ferry jobs show " + job + ")")));
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "Cannot lock job " + job + " at " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lease.close();
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "Cannot release a job lock: " + e.getMessage(), e);
        }
    }
}
