package io.ferry.core.state;

/** Where a job stands. */
public enum JobState {
    /** A process is running it now (or died while running it: resuming is safe). */
    RUNNING,
    /** Stopped cleanly at a checkpoint; running the same command again resumes it. */
    PAUSED,
    /** Every split reached its end. */
    SUCCEEDED,
    /** Stopped by an error; running the same command again resumes from the last checkpoint. */
    FAILED;

    public boolean resumable() {
        return switch (this) {
            case RUNNING, PAUSED, FAILED -> true;
            case SUCCEEDED -> false;
        };
    }
}
