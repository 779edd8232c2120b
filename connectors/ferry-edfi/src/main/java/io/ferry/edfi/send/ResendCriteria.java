package io.ferry.edfi.send;

import static java.util.Objects.requireNonNull;

import io.ferry.edfi.state.SentRecord;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which payloads already answered are sent again: all with {@code -f}; those last answered before
 * {@code -o} or after {@code -n}; those whose last status is in {@code -r}. Any match selects.
 */
public record ResendCriteria(
        boolean force,
        @Nullable Instant olderThan,
        @Nullable Instant newerThan,
        Set<Integer> statuses) {
    public ResendCriteria {
        statuses = Set.copyOf(requireNonNull(statuses, "statuses is null"));
    }

    public static ResendCriteria none() {
        return new ResendCriteria(false, null, null, Set.of());
    }

    public boolean selects(SentRecord last) {
        return force
                || (olderThan != null && last.epochSecond() < olderThan.getEpochSecond())
                || (newerThan != null && last.epochSecond() > newerThan.getEpochSecond())
                || statuses.contains(last.status());
    }
}
