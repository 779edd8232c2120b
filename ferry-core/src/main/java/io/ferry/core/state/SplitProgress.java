package io.ferry.core.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * How far one split of a job has come: its state, the reader's progress against the split's total
 * (when known, in {@code unit}), and the records and bytes read.
 */
public record SplitProgress(
        String job,
        String split,
        SplitState state,
        long progress,
        long total,
        @Nullable String unit,
        long records,
        long bytes,
        @Nullable String lastError,
        Instant updatedAt) {
    /** {@code total} when the split's size is unknown. */
    public static final long UNKNOWN_TOTAL = -1;

    public SplitProgress {
        requireNonNull(job, "job is null");
        requireNonNull(split, "split is null");
        requireNonNull(state, "state is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    public OptionalLong knownTotal() {
        return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
    }

    public Optional<String> findLastError() {
        return Optional.ofNullable(lastError);
    }
}
