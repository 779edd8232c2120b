package io.ferry.spi.sink;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.source.Split;

/**
 * What a sink is told when a writer opens: the job, the split being written, and whether this job
 * has run before (so output it left behind is its own to replace, not a stranger's to refuse).
 */
public record SinkContext(String jobName, Split split, boolean resuming) {
    public SinkContext {
        requireNonNull(jobName, "jobName is null");
        requireNonNull(split, "split is null");
    }
}
