package io.ferry.core.job;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** How a run reads: splits in parallel, and the longest a read may wait for records. */
public record RunSettings(int parallelism, Duration maxWait) {
    public RunSettings {
        requireNonNull(maxWait, "maxWait is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
        }
    }

    public static RunSettings defaults() {
        return new RunSettings(Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ofMillis(200));
    }
}
