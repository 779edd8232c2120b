package io.ferry.server;

import static java.util.Objects.requireNonNull;

import io.ferry.core.job.StopSignal;
import io.ferry.core.pipeline.LiveSettings;
import io.ferry.core.progress.ProgressTracker;
import io.ferry.core.state.StateStore;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a running job gets from the server: its id (also its engine job name), the state store and
 * lock directory, the signal that asks it to stop at a checkpoint, its live limits and the tracker
 * its progress goes to, and the report of its previous run, if any.
 */
public record JobContext(
        String jobId,
        StateStore store,
        Path lockDirectory,
        StopSignal stop,
        LiveSettings live,
        ProgressTracker progress,
        @Nullable String previousReport) {
    public JobContext {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(store, "store is null");
        requireNonNull(lockDirectory, "lockDirectory is null");
        requireNonNull(stop, "stop is null");
        requireNonNull(live, "live is null");
        requireNonNull(progress, "progress is null");
    }

    public Optional<String> findPreviousReport() {
        return Optional.ofNullable(previousReport);
    }
}
