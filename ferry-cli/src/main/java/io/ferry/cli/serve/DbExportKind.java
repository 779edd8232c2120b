package io.ferry.cli.serve;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.archive.format.Compression;
import io.ferry.archive.store.ObjectStore;
import io.ferry.cli.ServedCommands;
import io.ferry.core.progress.ProgressTracker;
import io.ferry.core.state.JobState;
import io.ferry.core.state.SplitState;
import io.ferry.postgres.Database;
import io.ferry.postgres.DatabaseUrl;
import io.ferry.postgres.ExportSettings;
import io.ferry.postgres.TaskDirectory;
import io.ferry.postgres.TaskExporter;
import io.ferry.postgres.TaskFolder;
import io.ferry.postgres.TaskResult;
import io.ferry.server.FieldError;
import io.ferry.server.JobContext;
import io.ferry.server.JobKind;
import io.ferry.server.JobRequest;
import io.ferry.server.JobResult;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code db-export}: runs database export tasks (as {@code ferry db export} does) one after the
 * other, against the database, task folder and destination the server was started with. A pause
 * or cancel takes effect between tasks (a task is one transaction); a resumed job skips the tasks
 * its previous runs exported.
 */
final class DbExportKind implements JobKind {
    static final String NAME = "db-export";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OPTIONS =
            List.of("tasks", "param", "keep", "dry-run", "compression", "compression-level", "log-table");

    /** Where the tasks, the database and the files are, as the server was told. */
    record Target(Path tasks, @Nullable String database, Optional<String> password, String to) {
        Target {
            requireNonNull(tasks, "tasks is null");
            requireNonNull(password, "password is null");
            requireNonNull(to, "to is null");
        }
    }

    private final Target target;
    private final Map<String, String> environment;

    DbExportKind(Target target, Map<String, String> environment) {
        this.target = requireNonNull(target, "target is null");
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "database export tasks (select.sql/delete.sql folders) to compressed CSV files";
    }

    Path tasksDirectory() {
        return target.tasks();
    }

    @Override
    public List<FieldError> validate(JobRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.findFrom().isPresent() || !request.to().isEmpty()) {
            errors.add(new FieldError(
                    request.findFrom().isPresent() ? "from" : "to",
                    "db-export jobs read the server's database (--database) and write to its --to; leave from and"
                            + " to out"));
        }
        if (target.database() == null) {
            errors.add(new FieldError(
                    "kind",
                    "this server has no database: start it with --database URL or DATABASE_URL to run db-export"));
        }
        for (Iterator<String> names = request.options().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!OPTIONS.contains(name)) {
                errors.add(
                        new FieldError("options." + name, "is not an option of db-export; the options are " + OPTIONS));
            }
        }
        JsonNode tasks = request.options().path("tasks");
        TaskDirectory directory = TaskDirectory.scan(target.tasks());
        if (!tasks.isArray() || tasks.isEmpty()) {
            errors.add(new FieldError(
                    "options.tasks",
                    "must list the tasks to run (example: \"tasks\": [\"versions\"]); the tasks are "
                            + directory.names()));
        } else {
            for (JsonNode task : tasks) {
                String name = task.asText();
                if (!task.isTextual() || !TaskFolder.isValidName(name)) {
                    errors.add(new FieldError("options.tasks", "'" + task.asText() + "' is not a task folder name"));
                } else if (directory.findTask(name).isEmpty()
                        && directory.findBroken(name).isEmpty()) {
                    errors.add(new FieldError(
                            "options.tasks",
                            "no task '" + name + "' in " + directory.root() + "; the tasks are " + directory.names()));
                }
            }
        }
        JsonNode parameters = request.options().path("param");
        if (!parameters.isMissingNode() && !parameters.isObject()) {
            errors.add(
                    new FieldError("options.param", "must be an object such as {\"export_boundary\": \"2024-01-01\"}"));
        }
        for (String flag : List.of("keep", "dry-run")) {
            JsonNode value = request.options().path(flag);
            if (!value.isMissingNode() && !value.isBoolean()) {
                errors.add(new FieldError("options." + flag, "must be true or false, got " + value));
            }
        }
        try {
            settings(request.options());
        } catch (FerryException | IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            errors.add(new FieldError(
                    message.contains("level") ? "options.compression-level" : "options.compression", message));
        }
        return errors;
    }

    private static ExportSettings settings(JsonNode options) {
        Compression codec;
        try {
            codec = Compression.fromOption(options.path("compression").asText("gzip"));
        } catch (IllegalArgumentException e) {
            throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
        }
        JsonNode level = options.path("compression-level");
        if (!level.isMissingNode() && !level.isIntegralNumber()) {
            throw new IllegalArgumentException("--compression-level must be a whole number, got " + level);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : options.path("param").properties()) {
            parameters.put(field.getKey(), field.getValue().asText());
        }
        boolean keep = options.path("keep").asBoolean(false);
        boolean dryRun = options.path("dry-run").asBoolean(false);
        if (keep && dryRun) {
            throw new IllegalArgumentException("--dry-run already deletes nothing; drop --keep");
        }
        return ExportSettings.defaults()
                .withCompression(codec, level.isMissingNode() ? codec.defaultLevel() : level.asInt())
                .withParameters(parameters)
                .withKeep(keep)
                .withDryRun(dryRun)
                .withLogTable(options.path("log-table").asText("ferry_export_log"));
    }

    @Override
    public JobResult run(JobRequest request, JobContext context) {
        String database = target.database();
        if (database == null) {
            return new JobResult(JobState.FAILED, null, "this server has no database (--database, DATABASE_URL)");
        }
        ExportSettings settings = settings(request.options());
        Set<String> exportedBefore = exportedBefore(context);
        TaskDirectory directory = TaskDirectory.scan(target.tasks());
        List<String> names = new ArrayList<>();
        request.options().path("tasks").forEach(task -> names.add(task.asText()));
        ProgressTracker progress = context.progress();
        Map<String, ProgressTracker.SplitTracker> trackers = new LinkedHashMap<>();
        for (String name : names) {
            boolean done = exportedBefore.contains(name);
            trackers.put(
                    name,
                    progress.register(
                            new Split(name, name, 0),
                            Optional.of(new SplitSize(1, SplitSize.Unit.RECORDS)),
                            done ? 1 : 0,
                            0,
                            0,
                            done ? SplitState.DONE : SplitState.PENDING));
        }
        ObjectNode report = JSON.createObjectNode();
        report.put("job", context.jobId());
        report.put("kind", NAME);
        ArrayNode results = report.putArray("tasks");
        String firstError = null;
        JobState state = JobState.SUCCEEDED;
        DatabaseUrl url = DatabaseUrl.parse(database, target.password(), environment);
        try (ObjectStore store = ServedCommands.bucket(target.to())) {
            TaskExporter exporter = new TaskExporter(new Database(url), store, settings);
            exporter.prepare();
            for (String name : names) {
                ObjectNode result = results.addObject().put("task", name);
                if (exportedBefore.contains(name)) {
                    result.put("status", "exported").put("run", "earlier");
                    continue;
                }
                if (context.stop().pauseRequested()) {
                    result.put("status", "pending");
                    state = JobState.PAUSED;
                    continue;
                }
                ProgressTracker.SplitTracker tracker = requireNonNull(trackers.get(name));
                tracker.state(SplitState.RUNNING);
                try {
                    TaskFolder task = directory
                            .findTask(name)
                            .orElseThrow(() -> directory
                                    .findBroken(name)
                                    .map(TaskDirectory.BrokenTask::error)
                                    .orElseGet(() -> new FerryException(BAD_OPTION, "no task '" + name + "'")));
                    TaskResult exported = exporter.export(task);
                    tracker.advance(1, exported.rows(), exported.bytes());
                    tracker.state(SplitState.DONE);
                    result.put("status", "exported");
                    result.put("rows", exported.rows());
                    result.put("deleted_rows", exported.deletedRows());
                    result.put("bytes", exported.bytes());
                    result.put("file", exported.file().orElse(null));
                    result.put("sha256", exported.sha256());
                    result.put("dry_run", exported.dryRun());
                } catch (FerryException e) {
                    tracker.state(SplitState.FAILED);
                    String message = url.scrub(String.valueOf(e.getMessage()));
                    result.put("status", "failed");
                    result.put("code", e.code().name());
                    result.put("error", message);
                    if (firstError == null) {
                        firstError = message;
                    }
                    state = JobState.FAILED;
                }
            }
        } catch (FerryException e) {
            return new JobResult(JobState.FAILED, report.toString(), url.scrub(String.valueOf(e.getMessage())));
        }
        return new JobResult(state, report.toString(), firstError);
    }

    private static Set<String> exportedBefore(JobContext context) {
        Set<String> exported = new HashSet<>();
        Optional<String> previous = context.findPreviousReport();
        if (previous.isEmpty()) {
            return exported;
        }
        try {
            for (JsonNode task : JSON.readTree(previous.get()).path("tasks")) {
                if (task.path("status").asText().equals("exported")) {
                    exported.add(task.path("task").asText());
                }
            }
        } catch (JsonProcessingException e) {
            return exported;
        }
        return exported;
    }
}
