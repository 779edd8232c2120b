package io.ferry.cli.serve;

import static io.ferry.spi.error.StandardErrorCode.NOT_FOUND;

import io.ferry.cli.ByteSize;
import io.ferry.cli.ServedCommands;
import io.ferry.cli.StateOptions;
import io.ferry.core.job.StopSignal;
import io.ferry.core.state.SqliteStateStore;
import io.ferry.server.ApiServer;
import io.ferry.server.ApiToken;
import io.ferry.server.JobEvents;
import io.ferry.server.JobKind;
import io.ferry.server.JobRegistry;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Serve every transfer as a job behind an HTTP API, with a live dashboard at /.",
            "",
            "Jobs (POST /jobs with kind export, import, db-export, edfi-send, edfi-validate, edfi-count or edfi-delete) run in this process, each with its own"
                    + " checkpoints in the state store; they can be listed, followed (GET /jobs/ID, Server-Sent"
                    + " Events at /jobs/ID/events), paused, resumed, cancelled and retuned (PATCH /jobs/ID) without a"
                    + " restart. A server that is stopped or killed resumes its running jobs when it starts again."
                    + " The database archive service's POST/GET /exports[/TASK] answer as before.",
            "",
            "Every route but /healthz and the dashboard page needs 'Authorization: Bearer TOKEN': the token is"
                    + " $FERRY_API_TOKEN, or one generated at the first start, printed once and kept (mode 0600) in"
                    + " <state-dir>/api-token. The routes are described at /openapi.json.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  ferry serve                                       127.0.0.1:8080, state in ~/.ferry",
            "  ferry serve --port 9000 --data-root /data --log-format json",
            "  ferry serve --tasks /DSL/Export --database postgresql://archiver@db/app --to /exported-data",
            "  curl -H \"Authorization: Bearer $FERRY_API_TOKEN\" -d '{\"kind\":\"export\",\"from\":\"/data/o.jsonl\","
                    + "\"to\":\"/archive\"}' localhost:8080/jobs",
            "",
            "Exit codes: 0 stopped by SIGTERM or Ctrl-C (running jobs paused at a checkpoint, resumed at the next"
                    + " start); 2 bad options; 3 cannot listen or open the state store."
        })
public final class ServeCommand implements Callable<Integer> {
    static final String DEFAULT_TASKS = "/DSL/Export";
    static final String DEFAULT_EXPORTS = "/exported-data";

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "The address to listen on. Default: ${DEFAULT-VALUE} (this machine only); 0.0.0.0 for"
                    + " every interface. Example: --bind 0.0.0.0")
    String bind = "127.0.0.1";

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "The port; 0 picks a free one (printed). Default: ${DEFAULT-VALUE}. Example: --port 9000")
    int port = 8080;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "How job events (created, started, paused, ..., failed) are logged on stderr, one line"
                    + " each with the job id: text or json. Default: ${DEFAULT-VALUE}. Example: --log-format json")
    String logFormat = "text";

    @Option(
            names = "--max-body",
            paramLabel = "SIZE",
            defaultValue = "1MiB",
            converter = ByteSize.class,
            description = "The largest request body accepted; larger ones get 413. Default: ${DEFAULT-VALUE}."
                    + " Example: --max-body 64KiB")
    long maxBody = ApiServer.Settings.DEFAULT_MAX_BODY_BYTES;

    @Option(
            names = "--data-root",
            paramLabel = "DIR",
            description = "A directory jobs may read and write; repeatable. When given, every local path in a"
                    + " request must be absolute and inside one of them. Default: any path. Example: --data-root /data")
    List<Path> dataRoots = new ArrayList<>();

    @Option(
            names = "--tasks",
            paramLabel = "DIR",
            description = "The database export task folder for db-export jobs and /exports. Default: $DSL_PATH,"
                    + " else " + DEFAULT_TASKS + ". Example: --tasks ./dsl/export")
    @Nullable
    String tasks;

    @Option(
            names = "--database",
            paramLabel = "URL",
            description = "The database of db-export jobs: postgresql://user[:password]@host[:port]/db. Default:"
                    + " $DATABASE_URL. The password is never shown. Example: --database postgresql://archiver@db/app")
    @Nullable
    String database;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "Read the database password from the first line of FILE. Example: --password-file"
                    + " /run/secrets/db-password")
    @Nullable
    Path passwordFile;

    @Option(
            names = "--to",
            paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Where db-export jobs write their files. Default: $EXPORT_PATH, else " + DEFAULT_EXPORTS
                    + ". Example: --to /exported-data")
    @Nullable
    String to;

    @Mixin
    StateOptions state = new StateOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Running running = start(System.getenv(), out, System.err);
        try {
            StopSignal shutdown = new StopSignal();
            ServedCommands.pauseOnSignals(shutdown, System.err);
            out.println("ferry serve: listening on " + running.url() + " (dashboard at /, API at /jobs, state in "
                    + state.directory() + ")");
            out.flush();
            while (!shutdown.await(1000)) {
                // serving; the HTTP server and the jobs run on their own threads
            }
            System.err.println("Stopping: running jobs pause at a checkpoint and resume at the next start.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.close();
        }
        return 0;
    }

    /** A started server: its URL; closing it pauses running jobs (they resume at the next start). */
    public static final class Running implements AutoCloseable {
        private final ApiServer server;
        private final JobRegistry registry;
        private final SqliteStateStore store;

        Running(ApiServer server, JobRegistry registry, SqliteStateStore store) {
            this.server = server;
            this.registry = registry;
            this.store = store;
        }

        public String url() {
            String host = server.host();
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
        }

        public int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.close();
            registry.close();
            store.close();
        }
    }

    /** Starts serving with {@code environment} standing for the process environment. */
    public Running start(Map<String, String> environment, PrintStream out, PrintStream err) {
        JobEvents.Format format = JobEvents.Format.parse(logFormat);
        checkBind(err);
        Path stateDir = state.directory();
        ApiToken token = ApiToken.load(environment.getOrDefault(ApiToken.ENVIRONMENT, ""), stateDir, out);
        DataRoots roots = new DataRoots(dataRoots);
        DbExportKind db = new DbExportKind(
                new DbExportKind.Target(
                        Path.of(fromEnvironment(tasks, environment, "DSL_PATH", DEFAULT_TASKS)),
                        database != null ? database : blankToNull(environment.get("DATABASE_URL")),
                        password(),
                        fromEnvironment(to, environment, "EXPORT_PATH", DEFAULT_EXPORTS)),
                environment);
        List<JobKind> kinds = new ArrayList<>(List.of(
                new EngineKind("export", "a stream (JSONL file or directory, kafka://) into buckets", roots),
                new EngineKind("import", "a bucket back into a stream (JSONL files, kafka://)", roots),
                db));
        for (EdfiKind.Command command : EdfiKind.Command.values()) {
            kinds.add(new EdfiKind(command, roots, stateDir, environment));
        }
        SqliteStateStore store = SqliteStateStore.open(stateDir);
        JobRegistry registry = new JobRegistry(store, state.lockDirectory(), kinds, new JobEvents(err, format));
        try {
            registry.recover();
            ApiServer server = ApiServer.start(
                    new ApiServer.Settings(bind, port, maxBody),
                    token,
                    registry,
                    Optional.of(new TaskFolderExports(db)));
            return new Running(server, registry, store);
        } catch (RuntimeException e) {
            registry.close();
            store.close();
            throw e;
        }
    }

    private void checkBind(PrintStream err) {
        try {
            InetAddress address = InetAddress.getByName(bind);
            if (!address.isLoopbackAddress()) {
                err.println(
                        "warning: listening on " + bind + ", reachable from other machines; every route but"
                                + " /healthz needs the token, but use TLS in front (a reverse proxy) outside a trusted network");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "--bind " + bind + " is not an address of this machine (example: --bind 127.0.0.1)", e);
        }
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

    private static String fromEnvironment(
            @Nullable String option, Map<String, String> environment, String variable, String fallback) {
        if (option != null) {
            return option;
        }
        String value = blankToNull(environment.get(variable));
        return value == null ? fallback : value;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
