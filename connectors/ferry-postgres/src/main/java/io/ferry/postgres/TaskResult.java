package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * What one task did: the file it wrote (none in a dry run), rows exported (counted in a dry run),
 * rows deleted, CSV and stored bytes, the stored bytes' SHA-256, how long it took and how many
 * leftover files of earlier, uncommitted runs it removed.
 */
public record TaskResult(
        String task,
        Optional<String> file,
        long rows,
        long deletedRows,
        long csvBytes,
        long bytes,
        String sha256,
        Duration duration,
        int orphansRemoved,
        boolean dryRun) {
    public TaskResult {
        requireNonNull(task, "task is null");
        requireNonNull(file, "file is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(duration, "duration is null");
        if (rows < 0 || deletedRows < 0 || csvBytes < 0 || bytes < 0 || orphansRemoved < 0) {
            throw new IllegalArgumentException("counts of task '" + task + "' must not be negative");
        }
    }
}
