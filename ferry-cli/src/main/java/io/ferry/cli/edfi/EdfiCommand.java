package io.ferry.cli.edfi;

import io.ferry.cli.ExitCode;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.EdFiSession;
import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.api.Metadata;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.data.ResourceFiles;
import io.ferry.edfi.fetch.Counter;
import io.ferry.edfi.fetch.Deleter;
import io.ferry.edfi.fetch.Fetcher;
import io.ferry.edfi.fetch.ResourceCount;
import io.ferry.edfi.send.ResourceResults;
import io.ferry.edfi.send.RunResults;
import io.ferry.edfi.send.Sender;
import io.ferry.edfi.validate.Validator;
import io.ferry.spi.error.FerryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "edfi",
        versionProvider = EdfiCommand.Version.class,
        description = {
            "Send JSONL payloads into an Ed-Fi API, and count, fetch, validate, delete and truncate: lightbeam's"
                    + " commands, flags, YAML file, state and results file.",
            "",
            "A lightbeam user switches by running 'ferry edfi' (or the 'lightbeam' launcher) instead of 'lightbeam'.",
            ""
        },
        subcommands = {
            EdfiCommand.Count.class,
            EdfiCommand.Fetch.class,
            EdfiCommand.Validate.class,
            EdfiCommand.Send.class,
            EdfiCommand.ValidateSend.class,
            EdfiCommand.Delete.class,
            EdfiCommand.Truncate.class,
            EdfiCommand.ImportState.class
        },
        footer = {
            "",
            "Examples:",
            "  ferry edfi send -c lightbeam.yaml",
            "  ferry edfi validate+send -c lightbeam.yaml -s schools,student* --results-file results.json",
            "  ferry edfi count -c lightbeam.yaml -e *Descriptors",
            "",
            EdfiCommand.EXIT_CODES
        })
public final class EdfiCommand implements Callable<Integer> {
    static final String EXIT_CODES = """
            Exit codes:
              0   done
              1   send: every payload failed; validate: problems were found
              2   bad input: the YAML file, a flag, a data file or the credentials; the message says what to fix
              3   the API failed or cannot be reached; often worth a retry
              4   a bug in ferry; please report it with the message
              99  send: every payload was skipped (already sent), as lightbeam""";

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    @Option(
            names = {"-v", "-V", "--version"},
            versionHelp = true,
            description = "Print the version (lightbeam's -v).")
    boolean version;

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EdfiCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "ferry edfi " + (version == null ? "development build" : version) + " (lightbeam-compatible)"
            };
        }
    }

    @Override
    public Integer call() {
        System.err.println("Name an edfi command: count, fetch, validate, send, validate+send, delete, truncate"
                + " (see ferry edfi --help)");
        return ExitCode.USER_INPUT;
    }

    private static EdFiSession open(EdFiConfig config) {
        return EdFiSession.open(config);
    }

    private static void writeResults(RunResults results, @Nullable Path file) {
        if (file != null) {
            results.write(file);
            System.err.println("results written to " + file);
        }
    }

    private static void summarize(RunResults results, PrintStream err) {
        for (ResourceResults resource : results.resources()) {
            err.printf(
                    Locale.ROOT,
                    "%s: %d processed, %d skipped, %d failed%s%n",
                    resource.name(),
                    resource.processedCount(),
                    resource.skippedCount(),
                    resource.failedCount(),
                    resource.successCounts().isEmpty() ? "" : " " + resource.successCounts());
            for (String failure : resource.failureSummary(10)) {
                err.println("  failed: " + failure);
            }
        }
        err.printf(
                Locale.ROOT,
                "total: %d processed, %d skipped, %d failed in %.1f s%n",
                results.totalProcessed(),
                results.totalSkipped(),
                results.totalFailed(),
                results.elapsed().toMillis() / 1000.0);
    }

    private static boolean confirmed(EdFiConfig config, EdfiOptions options, List<ApiResource> resources, String verb) {
        if (config.forceDelete() || options.yes) {
            return true;
        }
        System.err.println("Preparing to " + verb + " the records of:");
        for (ApiResource resource : resources) {
            System.err.println("  - " + resource.name());
        }
        System.err.print("Type \"yes\" to confirm: ");
        System.err.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().equals("yes");
        } catch (IOException e) {
            return false;
        }
    }

    private static List<ApiResource> reversed(List<ApiResource> resources) {
        List<ApiResource> copy = new ArrayList<>(resources);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Command(
            name = "count",
            description = "Count the records of each selected resource in the API (Total-Count).",
            footer = {
                "",
                "Example:",
                "  ferry edfi count -c lightbeam.yaml -s localEducationAgencies,schools",
                "",
                EXIT_CODES
            })
    static final class Count implements Callable<Integer> {
        @Mixin
        EdfiOptions options = new EdfiOptions();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            EdFiConfig config = options.loadConfig();
            try (EdFiSession session = open(config)) {
                session.client().authenticate();
                List<ResourceCount> counts = new Counter(session.client())
                        .count(session.select(options.selector, options.exclude), options.queryParameters());
                String separator = config.countSeparator();
                Path file = options.resultsPath();
                StringBuilder table = new StringBuilder("Records" + separator + "Endpoint\n");
                for (ResourceCount count : counts) {
                    if (file != null || count.count() > 0) {
                        table.append(count.count())
                                .append(separator)
                                .append(count.resource().name())
                                .append('\n');
                    }
                }
                if (file != null) {
                    try {
                        Path parent = file.getParent();
                        if (parent != null) {
                            Files.createDirectories(parent);
                        }
                        Files.writeString(file, table);
                    } catch (IOException e) {
                        throw new FerryException(
                                EdFiErrorCode.BAD_ARGUMENT,
                                "cannot write the results file " + file + ": " + e.getMessage(),
                                e);
                    }
                } else {
                    System.out.print(table);
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(
            name = "fetch",
            description = "Download the records of each selected resource into {data_dir}/{resource}.jsonl.",
            footer = {
                "",
                "Example:",
                "  ferry edfi fetch -c lightbeam.yaml -s schools -d id,_etag,_lastModifiedDate",
                "",
                EXIT_CODES
            })
    static final class Fetch implements Callable<Integer> {
        @Mixin
        EdfiOptions options = new EdfiOptions();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            EdFiConfig config = options.loadConfig();
            try (EdFiSession session = open(config)) {
                session.client().authenticate();
                Fetcher fetcher = new Fetcher(
                        session.client(),
                        config.fetchPageSize(),
                        EdfiOptions.keys(options.keepKeys),
                        EdfiOptions.keys(options.dropKeys));
                Map<String, String> query = options.queryParameters();
                RunResults results =
                        new RunResults("fetch", config, config.api().baseUrl());
                for (ApiResource resource : session.select(options.selector, options.exclude)) {
                    long records = fetcher.fetch(resource, query, config.dataDir());
                    ResourceResults counts = results.resource(resource.name());
                    for (long i = 0; i < records; i++) {
                        counts.succeeded(200);
                    }
                    if (records > 0) {
                        System.err.println("fetched " + records + " " + resource.name() + " into "
                                + config.dataDir().resolve(resource.name() + ".jsonl"));
                    }
                }
                writeResults(results, options.resultsPath());
                return ExitCode.OK;
            }
        }
    }

    @Command(
            name = "validate",
            description = "Check the payloads without sending: JSON, and validate.methods of the YAML file (schema,"
                    + " descriptors, uniqueness, references).",
            footer = {"", "Example:", "  ferry edfi validate -c lightbeam.yaml -s schools", "", EXIT_CODES})
    static final class Validate implements Callable<Integer> {
        @Mixin
        EdfiOptions options = new EdfiOptions();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            EdFiConfig config = options.loadConfig();
            try (EdFiSession session = open(config)) {
                RunResults results = validate(session, options);
                writeResults(results, options.resultsPath());
                return results.totalFailed() > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
            }
        }
    }

    static RunResults validate(EdFiSession session, EdfiOptions options) {
        EdFiConfig config = session.config();
        session.client().authenticate();
        List<ResourceFiles> files = session.data().withData(session.select(options.selector, options.exclude));
        RunResults results = new RunResults("validate", config, config.api().baseUrl());
        Metadata metadata = new Metadata(session.client(), config.stateDir(), options.wipe);
        new Validator(session, metadata).validate(files, results);
        summarize(results, System.err);
        return results;
    }

    static int send(EdFiSession session, EdfiOptions options, String command) {
        EdFiConfig config = session.config();
        session.client().authenticate();
        List<ResourceFiles> files = session.data().withData(session.select(options.selector, options.exclude));
        RunResults results = new RunResults(command, config, config.api().baseUrl());
        new Sender(session.client(), config.stateDir(), options.criteria(), ProgressLine.forTerminal(System.err))
                .send(files, results);
        writeResults(results, options.resultsPath());
        summarize(results, System.err);
        int exit = results.exitCode();
        if (exit == RunResults.ALL_SKIPPED) {
            System.err.println("all payloads skipped (already sent; -f, -o, -n or -r resend)");
        } else if (exit == RunResults.ALL_FAILED) {
            System.err.println("all payloads failed");
        }
        return exit;
    }

    @Command(
            name = "send",
            description = "POST each payload line of {data_dir} to the API in dependency order, skipping lines"
                    + " already sent (state in state_dir) unless -f, -o, -n or -r select them.",
            footer = {
                "",
                "Examples:",
                "  ferry edfi send -c lightbeam.yaml",
                "  ferry edfi send -c lightbeam.yaml -r 409",
                "",
                EXIT_CODES
            })
    static final class Send implements Callable<Integer> {
        @Mixin
        EdfiOptions options = new EdfiOptions();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            EdFiConfig config = options.loadConfig();
            try (EdFiSession session = open(config)) {
                return send(session, options, "send");
            }
        }
    }

    @Command(
            name = "validate+send",
            description = "validate, then send only when validation found no problem.",
            footer = {"", "Example:", "  ferry edfi validate+send -c lightbeam.yaml", "", EXIT_CODES})
    static final class ValidateSend implements Callable<Integer> {
        @Mixin
        EdfiOptions options = new EdfiOptions();

        @Option(
                names = "--send-invalid",
                description = "Send even when validation found problems (the API answers the bad payloads)."
                        + " Example: --send-invalid")
        boolean sendInvalid;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            EdFiConfig config = options.loadConfig();
            try (EdFiSession session = open(config)) {
                RunResults validation = validate(session, options);
                if (validation.totalFailed() > 0 && !sendInvalid) {
                    writeResults(validation, options.resultsPath());
                    System.err.println("validation found " + validation.totalFailed()
                            + " problems; nothing was sent (fix them, or pass --send-invalid)");
                    return ExitCode.PROBLEMS;
                }
                return send(session, options, "validate+send");
            }
        }
    }

    @Command(
            name = "delete",
            description = "Delete from the API the records of the payload lines in {data_dir} (found by natural key),"
                    + " in reverse dependency order, and forget them in the send state.",
            footer = {"", "Example:", "  ferry edfi delete -c lightbeam.yaml -s schools", "", EXIT_CODES})
    static final class Delete implements Callable<Integer> {
        @Mixin
        EdfiOptions options = new EdfiOptions();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            EdFiConfig config = options.loadConfig();
            try (EdFiSession session = open(config)) {
                List<ResourceFiles> files =
                        session.data().withData(reversed(session.select(options.selector, options.exclude)));
                if (!confirmed(
                        config,
                        options,
                        files.stream().map(ResourceFiles::resource).toList(),
                        "delete")) {
                    System.err.println("You did not type \"yes\"; nothing was deleted.");
                    return ExitCode.USER_INPUT;
                }
                session.client().authenticate();
                RunResults results =
                        new RunResults("delete", config, config.api().baseUrl());
                Metadata metadata = new Metadata(session.client(), config.stateDir(), options.wipe);
                new Deleter(session.client(), config.stateDir()).delete(files, metadata.resources(), results);
                writeResults(results, options.resultsPath());
                summarize(results, System.err);
                return results.totalFailed() > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
            }
        }
    }

    @Command(
            name = "truncate",
            description = "Delete EVERY record of each selected resource in the API, in reverse dependency order, and"
                    + " clear its send state.",
            footer = {
                "",
                "Example:",
                "  ferry edfi truncate -c lightbeam.yaml -s studentSchoolAssociations",
                "",
                EXIT_CODES
            })
    static final class Truncate implements Callable<Integer> {
        @Mixin
        EdfiOptions options = new EdfiOptions();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            EdFiConfig config = options.loadConfig();
            try (EdFiSession session = open(config)) {
                List<ApiResource> resources = reversed(session.select(options.selector, options.exclude));
                if (!confirmed(config, options, resources, "TRUNCATE ALL DATA of")) {
                    System.err.println("You did not type \"yes\"; nothing was deleted.");
                    return ExitCode.USER_INPUT;
                }
                session.client().authenticate();
                RunResults results =
                        new RunResults("truncate", config, config.api().baseUrl());
                new Deleter(session.client(), config.stateDir()).truncate(resources, results);
                writeResults(results, options.resultsPath());
                summarize(results, System.err);
                return results.totalFailed() > 0 ? ExitCode.PROBLEMS : ExitCode.OK;
            }
        }
    }

    @Command(
            name = "import-state",
            description = "Import lightbeam's own state files ({resource}.dat, Python pickles) from DIR into ferry's"
                    + " state in the YAML file's state_dir, so that payloads lightbeam sent are skipped. Payloads ferry"
                    + " already has an answer for keep it; importing twice adds nothing.",
            footer = {"", "Example:", "  ferry edfi import-state ~/.lightbeam -c lightbeam.yaml", "", EXIT_CODES})
    static final class ImportState implements Callable<Integer> {
        @Parameters(
                paramLabel = "DIR",
                arity = "0..1",
                description = "lightbeam's state_dir. Default: the state_dir of the YAML file. Example: ~/.lightbeam")
        @Nullable
        String directory;

        @Option(
                names = {"-c", "--config-file"},
                paramLabel = "CONFIG_FILE",
                description = "The lightbeam YAML file; its state_dir receives the state. Example: -c ./lightbeam.yaml")
        @Nullable
        String configFile;

        @Option(
                names = {"-p", "--params"},
                paramLabel = "JSON",
                description = "Values for ${VAR} references in the YAML file. Example: -p '{\"STATE\": \"/var/lb\"}'")
        String params = "";

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            EdfiOptions options = new EdfiOptions();
            options.configFile = configFile;
            options.params = params;
            EdFiConfig config = options.loadConfig();
            Path stateDir = config.stateDir();
            if (stateDir == null) {
                throw new FerryException(
                        EdFiErrorCode.BAD_CONFIG,
                        config.configFile()
                                + " has no state_dir to import into; add one (example: state_dir: ~/.lightbeam/)");
            }
            Path source = directory == null ? stateDir : Path.of(directory);
            Map<String, Integer> imported = io.ferry.edfi.state.LightbeamState.importInto(source, stateDir);
            if (imported.isEmpty()) {
                System.err.println("no lightbeam state files ({resource}.dat) in " + source);
                return ExitCode.USER_INPUT;
            }
            imported.forEach((resource, count) -> System.err.println(
                    resource + ": " + count + " payloads imported from " + source.resolve(resource + ".dat")));
            return ExitCode.OK;
        }
    }
}
