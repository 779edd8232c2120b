package io.ferry.cli;

import static io.ferry.spi.error.StandardErrorCode.NOT_FOUND;

import io.ferry.core.progress.Formats;
import io.ferry.core.state.Checkpoint;
import io.ferry.core.state.JobRecord;
import io.ferry.core.state.SplitProgress;
import io.ferry.core.state.StateStore;
import io.ferry.spi.error.FerryException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "List, show and delete jobs: their state, positions, progress and last error.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.ShowJob.class, JobsCommand.DeleteJob.class},
        footer = {"", "Examples:", "  ferry jobs list", "  ferry jobs show export-orders-3f2a9c1b", "", ExitCode.HELP})
final class JobsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("Name a jobs command: list, show NAME or delete NAME (see ferry jobs --help)");
        return ExitCode.USER_INPUT;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List every job with its state, progress and last update.",
            footer = {"", "Example:", "  ferry jobs list --state-dir /var/lib/ferry", "", ExitCode.HELP})
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        StateOptions state = new StateOptions();

        @Override
        public Integer call() {
            PrintStream out = System.out;
            try (StateStore store = state.open()) {
                List<JobRecord> jobs = store.listJobs();
                if (jobs.isEmpty()) {
                    out.println("No jobs in " + state.directory());
                    return ExitCode.OK;
                }
                out.printf(
                        Locale.ROOT,
                        "%-40s %-8s %-10s %8s %14s  %s%n",
                        "NAME",
                        "KIND",
                        "STATE",
                        "DONE",
                        "RECORDS",
                        "UPDATED");
                for (JobRecord job : jobs) {
                    List<SplitProgress> splits = store.splits(job.name());
                    out.printf(
                            Locale.ROOT,
                            "%-40s %-8s %-10s %8s %14s  %s%n",
                            job.name(),
                            job.kind(),
                            job.state(),
                            percent(splits),
                            Formats.count(splits.stream()
                                    .mapToLong(SplitProgress::records)
                                    .sum()),
                            job.updatedAt());
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one job: its options, state, each split's progress and position, and the last error.",
            footer = {"", "Example:", "  ferry jobs show export-orders-3f2a9c1b", "", ExitCode.HELP})
    static final class ShowJob implements Callable<Integer> {
        @Parameters(
                paramLabel = "NAME",
                description = "The job's name, as printed when it started or by ferry jobs list."
                        + " Example: export-orders-3f2a9c1b")
        String name = "";

        @Mixin
        StateOptions state = new StateOptions();

        @Override
        public Integer call() {
            PrintStream out = System.out;
            try (StateStore store = state.open()) {
                JobRecord job = find(store, name);
                out.println("Job:      " + job.name());
                out.println("Kind:     " + job.kind());
                out.println("State:    " + job.state());
                out.println("Created:  " + job.createdAt());
                out.println("Updated:  " + job.updatedAt());
                List<SplitProgress> splits = store.splits(job.name());
                out.println("Progress: " + percent(splits) + ", "
                        + Formats.count(splits.stream()
                                .mapToLong(SplitProgress::records)
                                .sum()) + " records, "
                        + Formats.bytes(
                                splits.stream().mapToLong(SplitProgress::bytes).sum()));
                job.findLastError().ifPresent(error -> out.println("Error:    " + error));
                out.println("Options:");
                job.spec().lines().skip(1).forEach(line -> out.println("  " + line));
                out.println("Splits:");
                for (SplitProgress split : splits) {
                    out.println("  " + split.split() + "  " + split.state() + "  " + Formats.count(split.records())
                            + " records"
                            + split.knownTotal().stream()
                                    .mapToObj(total -> String.format(
                                            Locale.ROOT,
                                            "  %.1f%%",
                                            total == 0 ? 100.0 : 100.0 * Math.min(split.progress(), total) / total))
                                    .findFirst()
                                    .orElse("")
                            + split.findLastError()
                                    .map(error -> "  error: " + error)
                                    .orElse(""));
                }
                out.println("Checkpoints:");
                for (Checkpoint checkpoint : store.checkpoints(job.name())) {
                    out.println("  " + checkpoint.split() + " -> " + checkpoint.sink() + "  offset "
                            + checkpoint.lastOffset() + "  position " + checkpoint.position() + "  ("
                            + Formats.count(checkpoint.records()) + " records, " + checkpoint.updatedAt() + ")");
                }
                store.lastRun(job.name())
                        .ifPresent(run -> out.println("Last run: " + run.startedAt() + " -> "
                                + (run.finishedAt() == null ? "(running or killed)" : run.finishedAt()) + "  "
                                + run.state()));
                return ExitCode.OK;
            }
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Forget a job and its checkpoints (the data it wrote stays).",
            footer = {"", "Example:", "  ferry jobs delete export-orders-3f2a9c1b", "", ExitCode.HELP})
    static final class DeleteJob implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The job's name. Example: export-orders-3f2a9c1b")
        String name = "";

        @Mixin
        StateOptions state = new StateOptions();

        @Override
        public Integer call() {
            try (StateStore store = state.open()) {
                find(store, name);
                store.deleteJob(name);
                System.err.println("Deleted job " + name);
                return ExitCode.OK;
            }
        }
    }

    static JobRecord find(StateStore store, String name) {
        return store.findJob(name)
                .orElseThrow(() -> new FerryException(
                        NOT_FOUND, "No job named '" + name + "'; see the jobs there are with: ferry jobs list"));
    }

    private static String percent(List<SplitProgress> splits) {
        long done = 0;
        long total = 0;
        for (SplitProgress split : splits) {
            if (split.knownTotal().isEmpty()) {
                return "-";
            }
            total += split.total();
            done += Math.min(split.progress(), split.total());
        }
        if (splits.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f%%", total == 0 ? 100.0 : 100.0 * done / total);
    }
}
