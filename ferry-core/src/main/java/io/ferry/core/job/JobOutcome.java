package io.ferry.core.job;

import static java.util.Objects.requireNonNull;

import io.ferry.core.report.RunReport;
import io.ferry.core.state.JobState;
import io.ferry.spi.error.FerryException;
import java.util.List;

/** How a run of a job ended, its report, and the failures of its splits. */
public record JobOutcome(JobState state, RunReport report, List<FerryException> failures) {
    public JobOutcome {
        requireNonNull(state, "state is null");
        requireNonNull(report, "report is null");
        failures = List.copyOf(failures);
    }
}
