package io.ferry.edfi.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;

/** The connection section: requests in flight, per-request timeout, and the retry policy. */
public record ConnectionSettings(
        int poolSize,
        Duration timeout,
        int numRetries,
        double backoffFactor,
        Set<Integer> retryStatuses,
        boolean verifySsl) {
    public ConnectionSettings {
        requireNonNull(timeout, "timeout is null");
        retryStatuses = Set.copyOf(requireNonNull(retryStatuses, "retryStatuses is null"));
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (numRetries < 0) {
            throw new IllegalArgumentException("numRetries must not be negative, got " + numRetries);
        }
        if (!(backoffFactor >= 0)) {
            throw new IllegalArgumentException("backoffFactor must not be negative, got " + backoffFactor);
        }
    }

    public static ConnectionSettings defaults() {
        return new ConnectionSettings(8, Duration.ofSeconds(60), 10, 1.5, Set.of(429, 500, 501, 503, 504), true);
    }
}
