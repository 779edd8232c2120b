package io.ferry.cli;

import io.ferry.core.job.RunSettings;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every job command shares: naming, restarting, progress display and the results file. */
public final class RunOptions {
    /** How progress is shown. */
    public enum ProgressStyle {
        auto,
        bar,
        plain,
        json,
        none
    }

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The job's name; running a command with the same name resumes that job. Default: derived"
                    + " from the command's options, so the same command always finds its job."
                    + " Example: --name nightly-orders")
    @Nullable
    String name;

    @Option(
            names = "--restart",
            description = "Forget the job's checkpoints and start from the beginning"
                    + " (a finished job is otherwise not run again). Example: --restart")
    boolean restart;

    @Option(
            names = "--progress",
            paramLabel = "STYLE",
            defaultValue = "auto",
            description = "How to show progress: ${COMPLETION-CANDIDATES}. auto = a bar on a terminal, plain lines"
                    + " otherwise. json = one JSON object per line on stderr. Default: ${DEFAULT-VALUE}."
                    + " Example: --progress json")
    ProgressStyle progress = ProgressStyle.auto;

    @Option(
            names = "--results-file",
            paramLabel = "FILE",
            description = "Write a JSON run report (start, end, duration, per-split counts and positions, failures"
                    + " grouped by reason) to FILE. Example: --results-file run.json")
    @Nullable
    Path resultsFile;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "How many splits (files, partitions) to move at once. Default for export: twice the"
                    + " number of CPUs, at least 4 (a split waiting on a fetch leaves its CPU to another); for"
                    + " import: the number of CPUs, at least 2 (its splits seldom wait). Each split buffers its"
                    + " own S3 parts, so lower it when the heap is small. Example: --parallelism 2")
    @Nullable
    Integer parallelism;

    /** The run settings: {@code defaults}, with {@code --parallelism} splits at once when it is given. */
    RunSettings settings(RunSettings defaults) {
        return parallelism == null ? defaults : defaults.withParallelism(parallelism);
    }
}
