package io.ferry.cli;

import static java.util.Objects.requireNonNull;

import io.ferry.core.job.JobSpec;
import io.ferry.core.job.RunSettings;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.source.Source;
import java.util.List;

/**
 * A job a command has turned its options into, ready to run: its spec, a hint for its derived name,
 * a one-line description, its source and sinks, and the run settings its kind of work reads best
 * with when {@code --parallelism} is not given. Nothing has been read or written yet.
 */
public record PreparedJob(
        JobSpec spec, String hint, String description, Source<?> source, List<Sink> sinks, RunSettings defaults) {
    public PreparedJob {
        requireNonNull(spec, "spec is null");
        requireNonNull(hint, "hint is null");
        requireNonNull(description, "description is null");
        requireNonNull(source, "source is null");
        sinks = List.copyOf(sinks);
        requireNonNull(defaults, "defaults is null");
    }
}
