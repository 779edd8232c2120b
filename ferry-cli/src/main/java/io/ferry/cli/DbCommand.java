package io.ferry.cli;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static io.ferry.spi.error.StandardErrorCode.NOT_FOUND;

import io.ferry.archive.format.Compression;
import io.ferry.archive.store.ObjectStore;
import io.ferry.core.progress.Formats;
import io.ferry.postgres.Database;
import io.ferry.postgres.DatabaseUrl;
import io.ferry.postgres.ExportSettings;
import io.ferry.postgres.TaskDirectory;
import io.ferry.postgres.TaskExporter;
import io.ferry.postgres.TaskFolder;
import io.ferry.postgres.TaskResult;
import io.ferry.postgres.TaskRunner;
import io.ferry.spi.error.ErrorKind;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description = {
            "Archive PostgreSQL rows to compressed CSV files and delete exactly the rows archived.",
            "",
            "A task is a folder <tasks>/<name>/ with select.sql (COPY (...) TO STDOUT WITH CSV HEADER) and, optionally,"
                    + " delete.sql (the DELETE of those rows), as the data export service used them.",
            ""
        },
        subcommands = {DbCommand.ListTasks.class, DbCommand.ShowTask.class, DbCommand.ExportTasks.class},
        footer = {
            "",
            "Examples:",
            "  ferry db list --tasks /DSL/Export",
            "  ferry db show versions",
            "  ferry db export --all --param export_boundary=2024-01-01",
            "",
            ExitCode.HELP
        })
final class DbCommand implements Callable<Integer> {
    static final String DEFAULT_TASKS = "/DSL/Export";
    static final String DEFAULT_EXPORTS = "/exported-data";

    @Override
    public Integer call() {
        System.err.println("Name a db command: list, show TASK or export [TASK...] (see ferry db --help)");
        return ExitCode.USER_INPUT;
    }

    /** Where the task folders are. */
    static final class TaskOptions {
        @Option(
                names = "--tasks",
                paramLabel = "DIR",
                description = "The folder holding one subfolder per task. Default: $DSL_PATH, else " + DEFAULT_TASKS
                        + ". Example: --tasks ./dsl/export")
        @Nullable
        String tasks;

        Path directory() {
            if (tasks != null) {
                return Path.of(tasks);
            }
            String fromEnvironment = System.getenv("DSL_PATH");
            return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_TASKS : fromEnvironment);
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the tasks: how each removes what it exports, its parameters, and broken folders.",
            footer = {"", "Example:", "  ferry db list --tasks /DSL/Export", "", ExitCode.HELP})
    static final class ListTasks implements Callable<Integer> {
        @Mixin
        TaskOptions options = new TaskOptions();

        @Override
        public Integer call() {
            PrintStream out = System.out;
            TaskDirectory directory = TaskDirectory.scan(options.directory());
            if (directory.names().isEmpty()) {
                out.println("No tasks in " + directory.root() + " (a task is a folder with a select.sql)");
                return ExitCode.OK;
            }
            out.printf(Locale.ROOT, "%-32s %-18s %s%n", "TASK", "DELETES", "PARAMETERS");
            for (String name : directory.names()) {
                Optional<TaskFolder> task = directory.findTask(name);
                if (task.isPresent()) {
                    out.printf(
                            Locale.ROOT,
                            "%-32s %-18s %s%n",
                            name,
                            describe(task.get().mode()),
                            String.join(", ", task.get().parameters()));
                } else {
                    out.printf(Locale.ROOT, "%-32s %-18s %s%n", name, "BROKEN", "");
                }
            }
            for (TaskDirectory.BrokenTask broken : directory.broken()) {
                System.err.println("error: " + broken.error().getMessage() + " ["
                        + broken.error().code().name() + "]");
            }
            return directory.broken().isEmpty() ? ExitCode.OK : ExitCode.PROBLEMS;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one task: its folder, how it deletes, its parameters and its SQL.",
            footer = {"", "Example:", "  ferry db show versions --tasks /DSL/Export", "", ExitCode.HELP})
    static final class ShowTask implements Callable<Integer> {
        @Parameters(paramLabel = "TASK", description = "The task's folder name. Example: versions")
        String name = "";

        @Mixin
        TaskOptions options = new TaskOptions();

        @Override
        public Integer call() {
            PrintStream out = System.out;
            TaskDirectory directory = TaskDirectory.scan(options.directory());
            Optional<TaskDirectory.BrokenTask> broken = directory.findBroken(name);
            if (broken.isPresent()) {
                throw broken.get().error();
            }
            TaskFolder task = directory.findTask(name).orElseThrow(() -> unknownTask(directory, name));
            out.println("Task:       " + task.name());
            out.println("Folder:     " + task.directory());
            out.println("Deletes:    " + describe(task.mode()));
            out.println(
                    "Parameters: " + (task.parameters().isEmpty() ? "(none)" : String.join(", ", task.parameters())));
            out.println("Query hash: " + task.queryHash());
            out.println("--- " + TaskFolder.SELECT_FILE);
            out.println(task.selectSql().strip());
            task.deleteSql().ifPresent(sql -> {
                out.println("--- " + TaskFolder.DELETE_FILE);
                out.println(sql.strip());
            });
            return ExitCode.OK;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            usageHelpAutoWidth = true,
            description = {
                "Export tasks to <task>-YYYY_MM_DD-HH_MM_SS_AM.csv.gz files (each with a .manifest.json) and delete"
                        + " exactly the exported rows.",
                "",
                "Each task runs on its own connection in one REPEATABLE READ transaction: the COPY streams into the"
                        + " compressor and the file is made durable (fsync, rename) before delete.sql runs on the same"
                        + " snapshot; if it deletes another number of rows than were exported, everything is rolled"
                        + " back. A task runs once at a time (PostgreSQL advisory lock). The table ferry_export_log"
                        + " (--log-table) records each file in the delete's transaction; a file left by a run that"
                        + " never committed is removed by the task's next run. A failed task deletes nothing and"
                        + " the other tasks still run.",
                "",
                "Exit code 0: every task ran. 1: some tasks failed, others ran. When every task failed, the code of"
                        + " the failure: 2 for the tasks' own faults (bad SQL, missing parameter, broken folder), 3"
                        + " for the database or the destination (down, wrong credentials, disk full, task busy).",
                ""
            },
            footer = {
                "",
                "Examples:",
                "  ferry db export --all --database postgresql://archiver@db:5432/app --param export_boundary=2024-01-01",
                "  ferry db export versions --to ./exported --compression zstd --keep",
                "  DATABASE_URL=postgresql://archiver@db/app ferry db export --all --dry-run",
                "",
                ExitCode.HELP
            })
    static final class ExportTasks implements Callable<Integer> {
        @Parameters(
                paramLabel = "TASK",
                arity = "0..*",
                description = "The tasks to run (folder names); or --all. Example: versions")
        List<String> names = new ArrayList<>();

        @Option(names = "--all", description = "Run every task in the folder. Example: --all")
        boolean all;

        @Mixin
        TaskOptions options = new TaskOptions();

        @Option(
                names = "--database",
                paramLabel = "URL",
                description = "The database: postgresql://user[:password]@host[:port]/db[?sslmode=..] or"
                        + " jdbc:postgresql://host/db?user=... Default: $DATABASE_URL. The password is never printed."
                        + " Example: --database postgresql://archiver@db.internal:5432/app")
        @Nullable
        String database;

        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "Read the database password from the first line of FILE (else the URL's, else"
                        + " $PGPASSWORD). Example: --password-file /run/secrets/db-password")
        @Nullable
        Path passwordFile;

        @Option(
                names = "--to",
                paramLabel = "DIR|s3://BUCKET/PREFIX",
                description = "Where files go: a directory (created when missing) or an S3 bucket and prefix (a file is"
                        + " visible only once its multipart upload completed). Default: $EXPORT_PATH, else "
                        + DEFAULT_EXPORTS + ". Example: --to s3://archive/db-exports")
        @Nullable
        String to;

        @Mixin
        S3Options s3 = new S3Options();

        @Option(
                names = "--compression",
                paramLabel = "CODEC",
                defaultValue = "gzip",
                description = "gzip (.csv.gz, as the data export service wrote), zstd (.csv.zst) or none (.csv)."
                        + " Default: ${DEFAULT-VALUE}. Example: --compression zstd")
        String compression = "gzip";

        @Option(
                names = "--compression-level",
                paramLabel = "N",
                description =
                        "gzip 1-9 (default 6), zstd 1-22 (default 3); lower is faster. Example: --compression-level 1")
        @Nullable
        Integer level;

        @Option(
                names = "--compression-threads",
                paramLabel = "N",
                description = "Threads compressing beside the one reading the COPY; 0 compresses on the reading"
                        + " thread. Default: one for zstd, one per core for gzip (the output is one ordinary gzip"
                        + " stream either way). Example: --compression-threads 1")
        @Nullable
        Integer compressionThreads;

        @Option(
                names = "--param",
                paramLabel = "NAME=VALUE",
                description = "A value for :NAME in the tasks' SQL, inlined as a quoted literal; repeatable."
                        + " Example: --param export_boundary=2024-01-01")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Option(
                names = "--dry-run",
                description = "Count the rows each task would export and check its SQL; write and delete nothing."
                        + " Example: --dry-run")
        boolean dryRun;

        @Option(
                names = "--keep",
                description = "Export without running delete.sql (the manifest says 'kept'). Example: --keep")
        boolean keep;

        @Option(
                names = "--parallelism",
                paramLabel = "N",
                defaultValue = "1",
                description = "Tasks run at once, each on its own connection. Default: ${DEFAULT-VALUE}."
                        + " Example: --parallelism 4")
        int parallelism = 1;

        @Option(
                names = "--log-table",
                paramLabel = "TABLE",
                defaultValue = "ferry_export_log",
                description = "The bookkeeping table in the database (created when missing) that records each file"
                        + " in its delete's transaction. Default: ${DEFAULT-VALUE}."
                        + " Example: --log-table archive.ferry_export_log")
        String logTable = "ferry_export_log";

        @Override
        public Integer call() {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ExportSettings settings = settings();
            TaskDirectory directory = TaskDirectory.scan(options.directory());
            List<TaskFolder> tasks = new ArrayList<>();
            List<TaskDirectory.BrokenTask> broken = new ArrayList<>();
            choose(directory, tasks, broken);
            warnAboutUnusedParameters(tasks, err);
            DatabaseUrl url = DatabaseUrl.parse(databaseUrl(), password(), System.getenv());
            try (ObjectStore store = Endpoints.bucket(destination(), s3)) {
                TaskExporter exporter = new TaskExporter(new Database(url), store, settings);
                exporter.prepare();
                err.println((settings.dryRun() ? "Dry run: counting " : "Exporting ") + (tasks.size() + broken.size())
                        + " task(s) from " + url.masked() + (settings.dryRun() ? "" : " to " + store.describe()));
                List<TaskRunner.Outcome> outcomes =
                        new TaskRunner(exporter, parallelism).run(tasks, broken, outcome -> report(outcome, out, err));
                return summarize(outcomes, out);
            }
        }

        private ExportSettings settings() {
            Compression codec;
            try {
                codec = Compression.fromOption(compression);
            } catch (IllegalArgumentException e) {
                throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
            }
            if (dryRun && keep) {
                throw new FerryException(BAD_OPTION, "--dry-run already deletes nothing; drop --keep");
            }
            try {
                ExportSettings settings =
                        ExportSettings.defaults().withCompression(codec, level == null ? codec.defaultLevel() : level);
                if (compressionThreads != null) {
                    settings = settings.withCompressionThreads(compressionThreads);
                }
                return settings.withParameters(parameters)
                        .withKeep(keep)
                        .withDryRun(dryRun)
                        .withLogTable(logTable);
            } catch (IllegalArgumentException e) {
                throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
            }
        }

        private void choose(TaskDirectory directory, List<TaskFolder> tasks, List<TaskDirectory.BrokenTask> broken) {
            if (all == !names.isEmpty()) {
                throw new FerryException(
                        BAD_OPTION,
                        all
                                ? "give either task names or --all, not both"
                                : "name the tasks to run, or --all (tasks in " + directory.root() + ": "
                                        + String.join(", ", directory.names()) + ")");
            }
            if (all) {
                tasks.addAll(directory.tasks());
                broken.addAll(directory.broken());
                return;
            }
            for (String name : new LinkedHashSet<>(names)) {
                Optional<TaskFolder> task = directory.findTask(name);
                Optional<TaskDirectory.BrokenTask> brokenTask = directory.findBroken(name);
                if (task.isPresent()) {
                    tasks.add(task.get());
                } else if (brokenTask.isPresent()) {
                    broken.add(brokenTask.get());
                } else {
                    throw unknownTask(directory, name);
                }
            }
        }

        private void warnAboutUnusedParameters(List<TaskFolder> tasks, PrintStream err) {
            Set<String> used = new LinkedHashSet<>();
            tasks.forEach(task -> used.addAll(task.parameters()));
            for (String name : parameters.keySet()) {
                if (!used.contains(name)) {
                    err.println("warning: --param " + name + " is used by none of the tasks run"
                            + (used.isEmpty() ? "" : " (they use: " + String.join(", ", used) + ")"));
                }
            }
        }

        private String databaseUrl() {
            if (database != null) {
                return database;
            }
            String fromEnvironment = System.getenv("DATABASE_URL");
            if (fromEnvironment == null || fromEnvironment.isBlank()) {
                throw new FerryException(
                        BAD_OPTION,
                        "no database given: use --database URL or set DATABASE_URL"
                                + " (example: --database postgresql://archiver@db.internal:5432/app)");
            }
            return fromEnvironment;
        }

        private Optional<String> password() {
            if (passwordFile == null) {
                return Optional.empty();
            }
            try {
                List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                return Optional.of(lines.isEmpty() ? "" : lines.get(0));
            } catch (IOException e) {
                throw new FerryException(
                        NOT_FOUND,
                        "--password-file " + passwordFile + " cannot be read: "
                                + e.getClass().getSimpleName()
                                + "; name a readable file holding the password on its first line");
            }
        }

        private String destination() {
            if (to != null) {
                return to;
            }
            String fromEnvironment = System.getenv("EXPORT_PATH");
            return fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_EXPORTS : fromEnvironment;
        }

        private static void report(TaskRunner.Outcome outcome, PrintStream out, PrintStream err) {
            switch (outcome) {
                case TaskRunner.Exported exported -> {
                    TaskResult result = exported.result();
                    String line = result.dryRun()
                            ? String.format(
                                    Locale.ROOT,
                                    "%-24s would export %s rows  (%s)",
                                    result.task(),
                                    Formats.count(result.rows()),
                                    Formats.duration(result.duration()))
                            : String.format(
                                    Locale.ROOT,
                                    "%-24s %s rows  %s deleted  %s  %s  (%s)%s",
                                    result.task(),
                                    Formats.count(result.rows()),
                                    Formats.count(result.deletedRows()),
                                    Formats.bytes(result.bytes()),
                                    result.file().orElse("-"),
                                    Formats.duration(result.duration()),
                                    result.orphansRemoved() == 0
                                            ? ""
                                            : "  removed " + result.orphansRemoved() + " file(s) of uncommitted runs");
                    synchronized (out) {
                        out.println(line);
                    }
                }
                case TaskRunner.Failed failed -> {
                    synchronized (err) {
                        err.println("error: " + failed.error().getMessage() + " ["
                                + failed.error().code().name() + "]");
                    }
                }
            }
        }

        private static int summarize(List<TaskRunner.Outcome> outcomes, PrintStream out) {
            long rows = 0;
            long bytes = 0;
            int exported = 0;
            List<FerryException> failures = new ArrayList<>();
            for (TaskRunner.Outcome outcome : outcomes) {
                switch (outcome) {
                    case TaskRunner.Exported done -> {
                        exported++;
                        rows += done.result().rows();
                        bytes += done.result().bytes();
                    }
                    case TaskRunner.Failed failed -> failures.add(failed.error());
                }
            }
            out.println(outcomes.size() + " task(s): " + exported + " ok (" + Formats.count(rows) + " rows, "
                    + Formats.bytes(bytes) + "), " + failures.size() + " failed");
            if (failures.isEmpty()) {
                return ExitCode.OK;
            }
            if (exported > 0) {
                return ExitCode.PROBLEMS;
            }
            ErrorKind worst = ErrorKind.USER_INPUT;
            for (FerryException failure : failures) {
                if (failure.kind().compareTo(worst) > 0) {
                    worst = failure.kind();
                }
            }
            return ExitCode.of(worst);
        }
    }

    private static String describe(TaskFolder.Mode mode) {
        return switch (mode) {
            case COPY_THEN_DELETE -> "delete.sql";
            case DELETE_RETURNING -> "DELETE RETURNING";
            case EXPORT_ONLY -> "no (export only)";
        };
    }

    private static FerryException unknownTask(TaskDirectory directory, String name) {
        String suggestion = directory.names().stream()
                .filter(candidate -> distance(candidate.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)) <= 2
                        || candidate.startsWith(name))
                .findFirst()
                .map(candidate -> "; did you mean '" + candidate + "'?")
                .orElse("");
        return new FerryException(
                NOT_FOUND,
                "no task '" + name + "' in " + directory.root() + " (a task is a folder with a select.sql)" + suggestion
                        + (suggestion.isEmpty() ? "; see the tasks with: ferry db list" : ""));
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
