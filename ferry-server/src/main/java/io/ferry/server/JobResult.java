package io.ferry.server;

import static java.util.Objects.requireNonNull;

import io.ferry.core.state.JobState;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** How one run of a served job ended: its state, its report (JSON) and its first error. */
public record JobResult(
        JobState state, @Nullable String report, @Nullable String error) {
    public JobResult {
        requireNonNull(state, "state is null");
    }

    public Optional<String> findReport() {
        return Optional.ofNullable(report);
    }

    public Optional<String> findError() {
        return Optional.ofNullable(error);
    }
}
