package io.ferry.core.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One run (one process invocation) of a job, with its report once finished. */
public record RunRecord(
        long id,
        String job,
        Instant startedAt,
        @Nullable Instant finishedAt,
        JobState state,
        @Nullable String report) {
    public RunRecord {
        requireNonNull(job, "job is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(state, "state is null");
    }

    public Optional<String> findReport() {
        return Optional.ofNullable(report);
    }
}
