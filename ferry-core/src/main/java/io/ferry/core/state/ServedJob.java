package io.ferry.core.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A job created through the HTTP API, as stored: its id, kind, the request it was created with
 * (JSON), the server's view of its state (a name the server defines), its live limits (JSON), its
 * last error and its last report (JSON).
 */
public record ServedJob(
        String id,
        String kind,
        String request,
        String state,
        String limits,
        Instant createdAt,
        Instant updatedAt,
        @Nullable String lastError,
        @Nullable String report) {
    public ServedJob {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(request, "request is null");
        requireNonNull(state, "state is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    public Optional<String> findLastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<String> findReport() {
        return Optional.ofNullable(report);
    }
}
