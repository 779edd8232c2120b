package io.ferry.cli;

import static io.ferry.spi.error.StandardErrorCode.CANNOT_RESUME;

import io.ferry.core.state.JobRecord;
import io.ferry.core.state.StateStore;
import io.ferry.spi.error.FerryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = "Resume a paused or failed job from its last checkpoint, with the options it was started with.",
        footer = {"", "Example:", "  ferry resume export-orders-3f2a9c1b", "", ExitCode.HELP})
final class ResumeCommand implements Callable<Integer> {
    @Spec
    @Nullable
    CommandSpec spec;

    @Parameters(
            paramLabel = "NAME",
            description = "The job's name, as printed when it paused or by ferry jobs list."
                    + " Example: export-orders-3f2a9c1b")
    String name = "";

    @Option(
            names = "--progress",
            paramLabel = "STYLE",
            description = "How to show progress: auto, bar, plain, json or none. Example: --progress plain")
    @Nullable
    String progress;

    @Option(
            names = "--results-file",
            paramLabel = "FILE",
            description = "Write a JSON run report to FILE. Example: --results-file run.json")
    @Nullable
    String resultsFile;

    @Mixin
    StateOptions state = new StateOptions();

    @Override
    public Integer call() {
        JobRecord job;
        try (StateStore store = state.open()) {
            job = JobsCommand.find(store, name);
        }
        if (!job.state().resumable()) {
            System.err.println("Job " + name + " already finished; nothing to resume.");
            return ExitCode.OK;
        }
        List<String> extra = new ArrayList<>();
        if (progress != null) {
            extra.add("--progress=" + progress);
        }
        if (resultsFile != null) {
            extra.add("--results-file=" + resultsFile);
        }
        if (state.stateDir != null) {
            extra.add("--state-dir=" + state.directory());
        }
        List<String> args = argumentsOf(job, extra);
        CommandLine root = spec == null ? Main.commandLine() : spec.root().commandLine();
        Main.ensureSubcommand(root, job.kind());
        return root.execute(args.toArray(String[]::new));
    }

    /** Rebuilds the command line a job was created by from its stored spec. */
    static List<String> argumentsOf(JobRecord job, List<String> extraOptions) {
        List<String> positional = new ArrayList<>();
        List<String> options = new ArrayList<>();
        List<String> lines = job.spec().lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(job.kind())) {
            throw new FerryException(CANNOT_RESUME, "Job " + job.name() + " has a spec this version cannot read");
        }
        for (String line : lines.subList(1, lines.size())) {
            int equals = line.indexOf('=');
            String key = line.substring(0, equals);
            String value = line.substring(equals + 1);
            if (key.startsWith("@")) {
                positional.add(value);
            } else {
                int dot = key.indexOf('.');
                options.add((dot > 0 ? key.substring(0, dot) : key) + "=" + value);
            }
        }
        List<String> args = new ArrayList<>();
        args.add(job.kind());
        args.add("--name=" + job.name());
        args.addAll(options);
        args.addAll(extraOptions);
        args.add("--");
        args.addAll(positional);
        return args;
    }
}
