package io.ferry.cli.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.core.progress.ProgressTracker.SplitTracker;
import io.ferry.core.state.JobState;
import io.ferry.core.state.SplitState;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.EdFiSession;
import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.api.Metadata;
import io.ferry.edfi.config.ConfigLoader;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.data.ResourceFiles;
import io.ferry.edfi.fetch.Counter;
import io.ferry.edfi.fetch.Deleter;
import io.ferry.edfi.fetch.ResourceCount;
import io.ferry.edfi.send.ResendCriteria;
import io.ferry.edfi.send.ResourceResults;
import io.ferry.edfi.send.RunResults;
import io.ferry.edfi.send.SendListener;
import io.ferry.edfi.send.Sender;
import io.ferry.edfi.validate.Validator;
import io.ferry.server.FieldError;
import io.ferry.server.JobContext;
import io.ferry.server.JobKind;
import io.ferry.server.JobRequest;
import io.ferry.server.JobResult;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ferry edfi} commands as served jobs ({@code edfi-send}, {@code edfi-validate},
 * {@code edfi-count}, {@code edfi-delete}), run in this process on the Ed-Fi library. Options are
 * lightbeam's long flags without dashes, plus {@code config} (the YAML file) and {@code params} as a
 * JSON object. Relative directories in the YAML file resolve against the file's own directory.
 * Without a state_dir in the YAML, state lives where {@code ferry edfi} keeps it under the server's
 * state directory, so a served send and a command-line send skip each other's payloads.
 *
 * <p>A send follows the job's live records-per-second limit and pauses between lines (the payloads
 * in flight are answered first); resuming sends again and skips every line already answered. Validate, count and delete check the stop signal before
 * they start and then run to their end.
 */
final class EdfiKind implements JobKind {
    /** A served Ed-Fi command. */
    enum Command {
        SEND(
                "send",
                "POST the JSONL payloads of a lightbeam YAML file's data_dir to an Ed-Fi API, skipping those"
                        + " already sent"),
        VALIDATE("validate", "check a lightbeam YAML file's payloads against the Ed-Fi API without sending"),
        COUNT("count", "count the records of each selected Ed-Fi resource in the API"),
        DELETE(
                "delete",
                "delete from the Ed-Fi API the records of a lightbeam YAML file's payloads (needs \"yes\":"
                        + " true or force_delete in the YAML)");

        private final String command;
        private final String summary;

        Command(String command, String summary) {
            this.command = command;
            this.summary = summary;
        }

        /** The options this command takes beyond the common ones. */
        List<String> extraOptions() {
            return switch (this) {
                case SEND -> List.of("force", "newer-than", "older-than", "resend-status-codes");
                case VALIDATE -> List.of("wipe");
                case COUNT -> List.of("query");
                case DELETE -> List.of("wipe", "yes");
            };
        }
    }

    private static final List<String> COMMON_OPTIONS =
            List.of("config", "selector", "exclude", "params", "results-file");
    private static final Set<String> FLAGS = Set.of("force", "wipe", "yes");

    private final Command command;
    private final DataRoots roots;
    private final Path stateDirectory;
    private final Map<String, String> environment;
    private final List<String> options;

    EdfiKind(Command command, DataRoots roots, Path stateDirectory, Map<String, String> environment) {
        this.command = requireNonNull(command, "command is null");
        this.roots = requireNonNull(roots, "roots is null");
        this.stateDirectory = requireNonNull(stateDirectory, "stateDirectory is null");
        this.environment = Map.copyOf(environment);
        List<String> all = new ArrayList<>(COMMON_OPTIONS);
        all.addAll(command.extraOptions());
        this.options = List.copyOf(all);
    }

    @Override
    public String name() {
        return "edfi-" + command.command;
    }

    @Override
    public String summary() {
        return command.summary;
    }

    @Override
    public List<FieldError> validate(JobRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.findFrom().isPresent()) {
            errors.add(
                    new FieldError("from", name() + " takes no from; name the lightbeam YAML file in options.config"));
        }
        if (!request.to().isEmpty()) {
            errors.add(new FieldError("to", name() + " takes no to; the YAML file's edfi_api names the API"));
        }
        ObjectNode given = request.options();
        for (Map.Entry<String, JsonNode> field : given.properties()) {
            String option = field.getKey();
            JsonNode value = field.getValue();
            String path = "options." + option;
            if (!options.contains(option)) {
                errors.add(new FieldError(path, "is not an option of " + name() + "; the options are " + options));
            } else if (FLAGS.contains(option)) {
                if (!value.isBoolean()) {
                    errors.add(new FieldError(path, "must be true or false, got " + value));
                }
            } else if (option.equals("params") || option.equals("query")) {
                scalarObject(path, value, errors);
            } else if (!value.isTextual()
                    && !(option.equals("resend-status-codes") && (value.isArray() || value.isNumber()))) {
                errors.add(new FieldError(path, "must be a string, got " + value));
            }
        }
        JsonNode config = given.path("config");
        if (config.isMissingNode() || config.isNull()) {
            errors.add(new FieldError(
                    "options.config",
                    "is missing; name the lightbeam YAML file (example: \"config\": \"/data/lightbeam.yaml\")"));
        } else if (config.isTextual()) {
            roots.check("options.config", config.asText()).ifPresent(errors::add);
        }
        if (given.path("results-file").isTextual()) {
            roots.check("options.results-file", given.path("results-file").asText())
                    .ifPresent(errors::add);
        }
        if (given.path("older-than").isTextual()) {
            time("options.older-than", given.path("older-than").asText(), errors);
        }
        if (given.path("newer-than").isTextual()) {
            time("options.newer-than", given.path("newer-than").asText(), errors);
        }
        if (given.has("resend-status-codes")) {
            statuses(given.path("resend-status-codes"), errors);
        }
        boolean configChecked = errors.stream()
                .noneMatch(error ->
                        error.field().equals("options.config") || error.field().startsWith("options.params"));
        if (configChecked) {
            try {
                EdFiConfig loaded = load(request);
                roots.check("options.config", loaded.dataDir().toString())
                        .map(error -> new FieldError(
                                "options.config", "its data_dir " + loaded.dataDir() + ": " + error.message()))
                        .ifPresent(errors::add);
                if (command == Command.DELETE
                        && !loaded.forceDelete()
                        && !given.path("yes").asBoolean(false)) {
                    errors.add(new FieldError(
                            "options.yes",
                            "a served delete cannot ask for confirmation; pass \"yes\": true (or set force_delete:"
                                    + " true in " + loaded.configFile() + ")"));
                }
            } catch (FerryException | IllegalArgumentException e) {
                errors.add(new FieldError("options.config", String.valueOf(e.getMessage())));
            }
        }
        return errors;
    }

    private static void scalarObject(String path, JsonNode value, List<FieldError> errors) {
        if (!value.isObject()) {
            errors.add(new FieldError(path, "must be a JSON object (example: {\"NAME\": \"value\"}), got " + value));
            return;
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (entry.getValue().isContainerNode() || entry.getValue().isNull()) {
                errors.add(new FieldError(path + "." + entry.getKey(), "must be a string or a number"));
            }
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            values.put(entry.getKey(), entry.getValue().asText());
        }
        return values;
    }

    private static @Nullable Instant time(String path, @Nullable String text, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Optional<Instant> time = ResendCriteria.parseTime(text);
        if (time.isEmpty()) {
            errors.add(new FieldError(
                    path, "takes a date or time, got '" + text.strip() + "' (example: \"2024-08-01T13:00:00\")"));
        }
        return time.orElse(null);
    }

    private static Set<Integer> statuses(JsonNode value, List<FieldError> errors) {
        Set<Integer> statuses = new LinkedHashSet<>();
        List<String> codes = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(code -> codes.add(code.asText()));
        } else {
            codes.addAll(List.of(value.asText().split(",", -1)));
        }
        for (String code : codes) {
            if (code.isBlank()) {
                continue;
            }
            try {
                int status = Integer.parseInt(code.strip());
                if (status < 100 || status > 599) {
                    throw new NumberFormatException();
                }
                statuses.add(status);
            } catch (NumberFormatException e) {
                errors.add(new FieldError(
                        "options.resend-status-codes",
                        "takes HTTP status codes, got '" + code.strip() + "' (example: \"409,500\" or [409, 500])"));
            }
        }
        return statuses;
    }

    /** The YAML file of {@code request}, loaded with its params; the state dir defaulted as ferry edfi does. */
    private EdFiConfig load(JobRequest request) {
        Path file = Path.of(request.options().path("config").asText())
                .toAbsolutePath()
                .normalize();
        Path parent = file.getParent();
        EdFiConfig config = ConfigLoader.load(
                file,
                strings(request.options().path("params")),
                environment,
                parent == null ? Path.of("").toAbsolutePath() : parent);
        return config.stateDir() != null ? config : config.withStateDir(defaultStateDir(config));
    }

    /** Where {@code ferry edfi} keeps state for a YAML file without state_dir: one directory per API. */
    private Path defaultStateDir(EdFiConfig config) {
        String baseUrl = config.api().baseUrl();
        String readable = baseUrl.replaceFirst("^[a-zA-Z]+://", "").replaceAll("[^A-Za-z0-9._-]+", "_");
        if (readable.length() > 60) {
            readable = readable.substring(0, 60);
        }
        return stateDirectory.resolve("edfi").resolve(readable + "-" + Integer.toHexString(baseUrl.hashCode()));
    }

    @Override
    public JobResult run(JobRequest request, JobContext context) {
        if (context.stop().pauseRequested()) {
            return new JobResult(JobState.PAUSED, context.previousReport(), null);
        }
        ObjectNode given = request.options();
        String selector = given.path("selector").asText("*");
        String exclude = given.path("exclude").asText("");
        EdFiConfig config = load(request);
        try (EdFiSession session = EdFiSession.open(config)) {
            session.client().authenticate();
            return switch (command) {
                case SEND -> send(session, request, context, selector, exclude);
                case VALIDATE -> validatePayloads(session, request, context, selector, exclude);
                case COUNT -> count(session, request, context, selector, exclude);
                case DELETE -> delete(session, request, context, selector, exclude);
            };
        }
    }

    private JobResult send(
            EdFiSession session, JobRequest request, JobContext context, String selector, String exclude) {
        ObjectNode given = request.options();
        List<FieldError> ignored = new ArrayList<>();
        ResendCriteria criteria = new ResendCriteria(
                given.path("force").asBoolean(false),
                time("options.older-than", textOrNull(given, "older-than"), ignored),
                time("options.newer-than", textOrNull(given, "newer-than"), ignored),
                given.has("resend-status-codes") ? statuses(given.path("resend-status-codes"), ignored) : Set.of());
        List<ResourceFiles> files = session.data().withData(session.select(selector, exclude));
        Progress progress = new Progress(context, files);
        RunResults results = results(session);
        boolean finished = new Sender(
                        session.client(), session.config().stateDir(), criteria, progress, () -> paced(context))
                .send(files, results);
        String report = report(results, given);
        if (!finished) {
            return new JobResult(JobState.PAUSED, report, null);
        }
        long processed = results.totalProcessed();
        long failed = results.totalFailed();
        if (failed > 0 && failed == processed) {
            return new JobResult(
                    JobState.FAILED,
                    report,
                    "all " + failed + " payloads failed; the report lists the answers by status and line");
        }
        return new JobResult(
                JobState.SUCCEEDED,
                report,
                failed == 0
                        ? null
                        : failed + " of " + processed + " payloads failed; the report lists them by status and line");
    }

    /**
     * Asked by the sender before each line: waits for the job's live rate limit (records per second;
     * PATCH changes it), then answers whether the job must stop.
     */
    private static boolean paced(JobContext context) {
        try {
            context.live().pace(1, 0, context.stop());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return context.stop().pauseRequested();
    }

    private RunResults results(EdFiSession session) {
        return new RunResults(name(), session.config(), session.config().api().baseUrl());
    }

    /** The API's resource metadata; {@code options.wipe} refetches it instead of using the cached copy. */
    private static Metadata metadata(EdFiSession session, JobRequest request) {
        return new Metadata(
                session.client(),
                session.config().stateDir(),
                request.options().path("wipe").asBoolean(false));
    }

    private JobResult validatePayloads(
            EdFiSession session, JobRequest request, JobContext context, String selector, String exclude) {
        List<ResourceFiles> files = session.data().withData(session.select(selector, exclude));
        Progress progress = new Progress(context, files);
        RunResults results = results(session);
        Metadata metadata = metadata(session, request);
        new Validator(session, metadata).validate(files, results);
        progress.allDone();
        String report = report(results, request.options());
        long failed = results.totalFailed();
        return failed == 0
                ? new JobResult(JobState.SUCCEEDED, report, null)
                : new JobResult(
                        JobState.FAILED, report, failed + " payloads have problems; the report lists them by line");
    }

    private JobResult delete(
            EdFiSession session, JobRequest request, JobContext context, String selector, String exclude) {
        List<ApiResource> selected = new ArrayList<>(session.select(selector, exclude));
        Collections.reverse(selected);
        List<ResourceFiles> files = session.data().withData(selected);
        Progress progress = new Progress(context, files);
        RunResults results = results(session);
        Metadata metadata = metadata(session, request);
        new Deleter(session.client(), session.config().stateDir()).delete(files, metadata.resources(), results);
        progress.allDone();
        String report = report(results, request.options());
        long failed = results.totalFailed();
        return new JobResult(
                JobState.SUCCEEDED,
                report,
                failed == 0 ? null : failed + " deletions failed; the report lists them by line");
    }

    private JobResult count(
            EdFiSession session, JobRequest request, JobContext context, String selector, String exclude) {
        List<ApiResource> selected = session.select(selector, exclude);
        Map<String, Progress.Tracked> splits = new LinkedHashMap<>();
        for (ApiResource resource : selected) {
            splits.put(resource.name(), Progress.register(context, resource.name(), 1));
        }
        List<ResourceCount> counts = new Counter(session.client())
                .count(selected, strings(request.options().path("query")));
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("command", name());
        report.put("api_url", session.config().api().baseUrl());
        ObjectNode resources = report.putObject("resources");
        for (ResourceCount count : counts) {
            resources.put(count.resource().name(), count.count());
        }
        splits.values().forEach(split -> split.done(1));
        String text = report.toString();
        Optional<Path> file = resultsFile(request.options());
        if (file.isPresent()) {
            write(file.get(), text);
        }
        return new JobResult(JobState.SUCCEEDED, text, null);
    }

    private static @Nullable String textOrNull(ObjectNode options, String name) {
        JsonNode value = options.path(name);
        return value.isTextual() ? value.asText() : null;
    }

    private static Optional<Path> resultsFile(ObjectNode options) {
        JsonNode value = options.path("results-file");
        return value.isTextual() && !value.asText().isBlank()
                ? Optional.of(Path.of(value.asText()).toAbsolutePath())
                : Optional.empty();
    }

    /** The results as the job's report, also written to results-file when the request names one. */
    private static String report(RunResults results, ObjectNode options) {
        resultsFile(options).ifPresent(results::write);
        return results.toJson().toString();
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_ARGUMENT,
                    "cannot write the results file " + file + ": " + e.getMessage()
                            + "; choose a writable path in options.results-file",
                    e);
        }
    }

    /**
     * Feeds the job's progress: one split per resource, sized by its payload lines, advanced as lines
     * are answered or skipped.
     */
    private static final class Progress implements SendListener {
        private final Map<String, Tracked> splits = new ConcurrentHashMap<>();

        Progress(JobContext context, List<ResourceFiles> files) {
            for (ResourceFiles resource : files) {
                long lines;
                try {
                    lines = resource.payloadLines();
                } catch (FerryException unreadable) {
                    lines = 0; // the send itself reports the unreadable file
                }
                String name = resource.resource().name();
                splits.put(name, register(context, name, lines));
            }
        }

        static Tracked register(JobContext context, String name, long lines) {
            return new Tracked(
                    context.progress()
                            .register(
                                    new Split(name, name, 0),
                                    Optional.of(new SplitSize(lines, SplitSize.Unit.RECORDS)),
                                    0,
                                    0,
                                    0,
                                    SplitState.RUNNING),
                    lines);
        }

        @Override
        public void progressed(String resource, long done, long lines) {
            Tracked split = splits.get(resource);
            if (split != null) {
                split.advance(done);
            }
        }

        @Override
        public void finished(ResourceResults results) {
            Tracked split = splits.get(results.name());
            if (split != null) {
                split.done(split.lines);
            }
        }

        void allDone() {
            splits.values().forEach(split -> split.done(split.lines));
        }

        /** A resource's split; advanced under its own monitor since answers arrive on many threads. */
        static final class Tracked {
            private final SplitTracker tracker;
            private final long lines;
            private long done;

            Tracked(SplitTracker tracker, long lines) {
                this.tracker = tracker;
                this.lines = lines;
            }

            synchronized void advance(long value) {
                if (value > done) {
                    done = value;
                    tracker.advance(value, value, 0);
                }
            }

            synchronized void done(long value) {
                advance(value);
                tracker.state(SplitState.DONE);
            }
        }
    }
}
