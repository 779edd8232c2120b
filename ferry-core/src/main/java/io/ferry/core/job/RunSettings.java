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

    /**
     * Two splits per CPU, at least four: a split spends part of its time waiting (a fetch from a
     * broker, an upload, a checkpoint), and another split's encoding and compression fill that time.
     * Measured on 2 cores (docs/benchmarks.md): a 1 GiB Kafka to S3 export of 6 partitions took a
     * median 10.6 s with two splits at once and 9.2 s with four.
     */
    public static RunSettings defaults() {
        return new RunSettings(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), Duration.ofMillis(200));
    }
}
