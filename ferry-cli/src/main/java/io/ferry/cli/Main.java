package io.ferry.cli;

import io.ferry.spi.error.FerryException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "ferry",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Moves data between streams, buckets, databases and APIs: correctly, fast, resumably.",
            "",
            "Every transfer is a job with checkpoints. Ctrl-C pauses it; the same command resumes it with nothing"
                    + " lost and nothing written twice. Jobs live in ~/.ferry (--state-dir, FERRY_STATE_DIR).",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  ferry export examples/orders.jsonl ./bucket     a stream into a bucket",
            "  ferry import ./bucket ./restored                and back, byte for byte",
            "  ferry verify ./bucket                           prove no gap and no overlap",
            "  ferry jobs list                                 what ran, what is paused",
            "",
            "Run 'ferry COMMAND --help' for a command's options.",
            "",
            ExitCode.HELP
        })
public final class Main implements Callable<Integer> {
    /**
     * Every subcommand, in the order help lists them. Only the one being run is registered (see
     * {@link #commandLine(String...)}): building picocli's model of every command costs about half a
     * second of start-up.
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            ExportCommand.class,
            ImportCommand.class,
            VerifyCommand.class,
            ResumeCommand.class,
            JobsCommand.class,
            DbCommand.class,
            io.ferry.cli.edfi.EdfiCommand.class,
            io.ferry.cli.serve.ServeCommand.class,
            CommandLine.HelpCommand.class);

    @Spec
    @org.jspecify.annotations.Nullable
    CommandSpec spec;

    @Override
    public Integer call() {
        if (spec != null) {
            spec.commandLine().usage(System.err);
        }
        return ExitCode.USER_INPUT;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs ferry with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        configureLogging();
        CommandLine commandLine = commandLine(args);
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(out, out.charset()), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(err, err.charset()), true));
        return commandLine.execute(args);
    }

    /** The whole command tree, every subcommand registered (for help, and for tests). */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree for running {@code arguments}: when they start with a subcommand's name, only that
     * subcommand is registered; otherwise (no arguments, help, a typo that wants suggestions) all are.
     */
    static CommandLine commandLine(String... arguments) {
        CommandLine commandLine = new CommandLine(new Main());
        Optional<Class<?>> named = arguments.length == 0 ? Optional.empty() : subcommand(arguments[0]);
        if (named.isPresent() && named.get() != CommandLine.HelpCommand.class) {
            commandLine.addSubcommand(named.get());
        } else {
            SUBCOMMANDS.forEach(commandLine::addSubcommand);
        }
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            PrintWriter err = line.getErr();
            if (exception instanceof FerryException ferry) {
                err.println("error: " + ferry.getMessage() + " [" + ferry.code().name() + "]");
                return ExitCode.of(ferry.kind());
            }
            if (exception instanceof IllegalArgumentException bad) {
                err.println("error: " + bad.getMessage() + " [BAD_OPTION]");
                return ExitCode.USER_INPUT;
            }
            err.println("error: ferry failed unexpectedly; please report this with the trace below [INTERNAL_ERROR]");
            exception.printStackTrace(err);
            return ExitCode.INTERNAL;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine line = exception.getCommandLine();
            PrintWriter err = line.getErr();
            err.println("error: " + exception.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("See '" + line.getCommandSpec().qualifiedName() + " --help' for the options and examples.");
            return ExitCode.USER_INPUT;
        });
        return commandLine;
    }

    /** Registers the subcommand called {@code name} on {@code root} unless it is there already. */
    static void ensureSubcommand(CommandLine root, String name) {
        if (!root.getSubcommands().containsKey(name)) {
            subcommand(name).ifPresent(root::addSubcommand);
        }
    }

    private static Optional<Class<?>> subcommand(String name) {
        for (Class<?> candidate : SUBCOMMANDS) {
            Command command = candidate.getAnnotation(Command.class);
            if (command != null
                    && (command.name().equals(name)
                            || List.of(command.aliases()).contains(name))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void configureLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            String level = System.getenv("FERRY_LOG_LEVEL");
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level == null ? "warn" : level);
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ferry " + (version == null ? "development build" : version)};
        }
    }
}
