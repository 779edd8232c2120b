package io.ferry.edfi.send;

import static java.util.Objects.requireNonNull;

import io.ferry.edfi.state.SentRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
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

    /**
     * Reads an {@code -o}/{@code -n} value as lightbeam accepts it: an ISO date-time with an offset, a
     * local date-time ({@code T} or a space), a date (its start, local time), or epoch seconds; empty
     * when it is none of these.
     */
    public static Optional<Instant> parseTime(String text) {
        String value = text.strip();
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException notOffset) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(value.replace(' ', 'T'))
                    .atZone(ZoneId.systemDefault())
                    .toInstant());
        } catch (DateTimeParseException notLocal) {
            // try the next form
        }
        try {
            return Optional.of(
                    LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException notDate) {
            // try the next form
        }
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
        } catch (NumberFormatException notEpoch) {
            return Optional.empty();
        }
    }

    public boolean selects(SentRecord last) {
        return force
                || (olderThan != null && last.epochSecond() < olderThan.getEpochSecond())
                || (newerThan != null && last.epochSecond() > newerThan.getEpochSecond())
                || statuses.contains(last.status());
    }
}
