package io.ferry.cli;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;
import static java.util.Objects.requireNonNull;

import io.ferry.core.job.JobOutcome;
import io.ferry.core.job.JobRunner;
import io.ferry.core.job.JobSpec;
import io.ferry.core.job.RunSettings;
import io.ferry.core.job.StopSignal;
import io.ferry.core.progress.Formats;
import io.ferry.core.progress.JsonProgressLog;
import io.ferry.core.progress.PlainProgressLog;
import io.ferry.core.progress.ProgressRenderer;
import io.ferry.core.progress.ProgressReporter;
import io.ferry.core.progress.ProgressTracker;
import io.ferry.core.progress.TerminalProgressBar;
import io.ferry.core.report.FailureGroup;
import io.ferry.core.state.JobRecord;
import io.ferry.core.state.JobState;
import io.ferry.core.state.StateStore;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs one job from the command line: finds or registers it, runs it with progress, pauses it on
 * Ctrl-C or SIGTERM, prints how it ended and how to resume, writes the results file, and returns the
 * exit code.
 */
final class JobExecution {
    private final StateOptions state;
    private final RunOptions run;
    private final PrintStream err;

    JobExecution(StateOptions state, RunOptions run, PrintStream err) {
        this.state = requireNonNull(state, "state is null");
        this.run = requireNonNull(run, "run is null");
        this.err = requireNonNull(err, "err is null");
    }

    @SuppressWarnings("try") // the progress reporter runs for the try block, never named in it
    int execute(PreparedJob prepared) {
        JobSpec spec = prepared.spec();
        String name = run.name != null ? JobSpec.checkName(run.name) : spec.derivedName(prepared.hint());
        try (StateStore store = state.open()) {
            JobRunner runner = new JobRunner(store, state.lockDirectory());
            JobRecord job = runner.register(name, spec);
            if (run.restart) {
                store.resetJob(name);
            } else if (job.state() == JobState.SUCCEEDED) {
                err.println("Job " + name + " already finished (" + job.updatedAt() + "); nothing to do."
                        + " Use --restart to run it again from the beginning.");
                return ExitCode.OK;
            }
            boolean resuming = !run.restart && !store.checkpoints(name).isEmpty();
            err.println((resuming ? "Resuming job " : "Starting job ") + name + ": " + prepared.description());

            StopSignal stop = new StopSignal();
            Signals.pauseOn(stop, err);
            ProgressTracker tracker = new ProgressTracker(name);
            RunSettings settings = run.settings(prepared.defaults());
            JobOutcome outcome;
            try (ProgressReporter reporter = new ProgressReporter(tracker, renderer())) {
                outcome = runner.run(job, prepared.source(), prepared.sinks(), settings, tracker, stop);
            }
            if (run.resultsFile != null) {
                try {
                    outcome.report().writeTo(run.resultsFile);
                } catch (IOException e) {
                    throw new FerryException(
                            IO_ERROR, "Cannot write the results file " + run.resultsFile + ": " + e.getMessage(), e);
                }
            }
            return conclude(name, outcome);
        }
    }

    private int conclude(String name, JobOutcome outcome) {
        var report = outcome.report();
        String totals = Formats.count(report.records()) + " records, " + Formats.bytes(report.bytes()) + " in "
                + Formats.duration(Duration.ofMillis(report.durationMillis()));
        return switch (outcome.state()) {
            case SUCCEEDED -> {
                err.println("Job " + name + " finished: " + totals + ".");
                yield ExitCode.OK;
            }
            case PAUSED -> {
                err.println("Job " + name + " paused at a checkpoint after " + totals + ".");
                err.println("Resume with: ferry resume " + name + "   (or run the same command again)");
                yield ExitCode.PAUSED;
            }
            case FAILED, RUNNING -> {
                err.println("Job " + name + " failed after " + totals + ".");
                for (FailureGroup group : report.failures()) {
                    err.println("  " + group.code() + " in " + group.count() + " split(s) " + group.splits() + ": "
                            + group.message());
                }
                if (report.failures().isEmpty() && !outcome.failures().isEmpty()) {
                    FerryException first = outcome.failures().get(0);
                    err.println("  " + first.code().name() + ": " + first.getMessage());
                }
                err.println("Fix the cause and run the same command again: the job resumes from its last checkpoint"
                        + " (ferry jobs show " + name + ").");
                Optional<FerryException> first = outcome.failures().stream().findFirst();
                yield first.map(f -> ExitCode.of(f.kind())).orElse(ExitCode.PROBLEMS);
            }
        };
    }

    private ProgressRenderer renderer() {
        return switch (run.progress) {
            case auto ->
                Terminal.interactive()
                        ? new TerminalProgressBar(err)
                        : new PlainProgressLog(err, Duration.ofSeconds(5));
            case bar -> new TerminalProgressBar(err);
            case plain -> new PlainProgressLog(err, Duration.ofSeconds(5));
            case json -> new JsonProgressLog(err, Duration.ofMillis(500));
            case none -> ProgressRenderer.NONE;
        };
    }
}
