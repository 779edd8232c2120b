package io.ferry.cli;

import static java.util.Objects.requireNonNull;

import io.ferry.archive.store.ObjectStore;
import io.ferry.core.job.RunSettings;
import io.ferry.core.job.StopSignal;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The job commands ({@code export}, {@code import}) for ferry serve: the options they take, and
 * their arguments turned into a prepared job exactly as the command line does it.
 */
public final class ServedCommands {
    /** A command's job, ready to run, and its run settings (its defaults, or what it asked for). */
    public record Prepared(PreparedJob job, RunSettings settings) {
        public Prepared {
            requireNonNull(job, "job is null");
            requireNonNull(settings, "settings is null");
        }
    }

    private ServedCommands() {}

    /** The long option names of {@code command}, without their dashes. */
    public static List<String> optionNames(String command) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option :
                new CommandLine(command(command)).getCommandSpec().options()) {
            names.add(option.longestName().replaceFirst("^-+", ""));
        }
        return names;
    }

    /** Why {@code args} do not parse as {@code command}'s arguments, if they do not. */
    public static Optional<String> parseError(String command, List<String> args) {
        try {
            new CommandLine(command(command)).parseArgs(args.toArray(String[]::new));
            return Optional.empty();
        } catch (CommandLine.ParameterException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Parses {@code args} as {@code command}'s and prepares its job, checking every option as the
     * command line does; fails with a FerryException, IllegalArgumentException or
     * CommandLine.ParameterException naming the problem.
     */
    public static Prepared prepare(String command, List<String> args) {
        Object parsed = command(command);
        new CommandLine(parsed).parseArgs(args.toArray(String[]::new));
        return switch (parsed) {
            case ExportCommand export -> prepared(export.prepare(), export.run);
            case ImportCommand restore -> prepared(restore.prepare(), restore.run);
            default -> throw new IllegalArgumentException("no job command '" + command + "'");
        };
    }

    /**
     * A bucket for served database exports: a local directory (created when missing) or
     * {@code s3://BUCKET/PREFIX}, reached with the S3 settings of the environment.
     */
    public static ObjectStore bucket(String location) {
        return Endpoints.bucket(location);
    }

    /** Turns SIGINT and SIGTERM into {@code stop}'s pause request, as the job commands do. */
    public static void pauseOnSignals(StopSignal stop, PrintStream err) {
        Signals.pauseOn(stop, err);
    }

    private static Prepared prepared(PreparedJob job, RunOptions run) {
        return new Prepared(job, run.settings(job.defaults()));
    }

    private static Object command(String name) {
        return switch (name) {
            case "export" -> new ExportCommand();
            case "import" -> new ImportCommand();
            default ->
                throw new IllegalArgumentException("no job command '" + name + "'; the served ones are export, import");
        };
    }
}
