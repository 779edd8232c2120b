package io.ferry.core.job;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** How a run reads: splits in parallel, and the longest a read may wait for records. */
public record RunSettings(int parallelism, Duration maxWait) {
    private static final Duration MAX_WAIT = Duration.ofMillis(200);

    public RunSettings {
        requireNonNull(maxWait, "maxWait is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
        }
    }

    /**
     * For splits that wait on their reads (an export's fetches from a broker): two splits per CPU,
     * at least four, so that another split's encoding and compression fill a split's wait. Measured on
     * 2 cores (docs/benchmarks.md): a 1 GiB Kafka to S3 export of 6 partitions took a median 10.6 s
     * with two splits at once and 9.2 s with four.
     */
    public static RunSettings waitingSplits() {
        return new RunSettings(Math.max(4, 2 * cpus()), MAX_WAIT);
    }

    /**
     * For splits that seldom wait (an import's, which decode archived objects and hand the records to
     * a producer that batches them): one split per CPU, at least two. More splits than CPUs only add
     * switching, live batches and collection work. Measured on 2 cores (docs/benchmarks.md): a 1 GiB
     * S3 to Kafka import of 6 partitions reached 0.59 of the baseline's rate with two splits at once
     * against 0.49-0.51 with four.
     */
    public static RunSettings busySplits() {
        return new RunSettings(Math.max(2, cpus()), MAX_WAIT);
    }

    /** These settings with {@code parallelism} splits at once. */
    public RunSettings withParallelism(int parallelism) {
        return new RunSettings(parallelism, maxWait);
    }

    private static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
