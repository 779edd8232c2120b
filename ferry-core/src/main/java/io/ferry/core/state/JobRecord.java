package io.ferry.core.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A job as stored: its name, kind ({@code export}, {@code import}), the specification it was
 * created with (JSON; what "the same command" means), its state and its last error.
 */
public record JobRecord(
        String name,
        String kind,
        String spec,
        JobState state,
        Instant createdAt,
        Instant updatedAt,
        @Nullable String lastError) {
    public JobRecord {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    public Optional<String> findLastError() {
        return Optional.ofNullable(lastError);
    }
}
