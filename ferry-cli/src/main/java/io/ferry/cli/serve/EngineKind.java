package io.ferry.cli.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.archive.ArchiveSink;
import io.ferry.cli.ServedCommands;
import io.ferry.core.job.JobOutcome;
import io.ferry.core.job.JobRunner;
import io.ferry.core.state.JobRecord;
import io.ferry.core.state.JobState;
import io.ferry.core.state.RunRecord;
import io.ferry.server.FieldError;
import io.ferry.server.JobContext;
import io.ferry.server.JobKind;
import io.ferry.server.JobRequest;
import io.ferry.server.JobResult;
import io.ferry.spi.error.FerryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code export} and {@code import} as served jobs: the request becomes the command's arguments
 * ({@code from}, {@code to}, then each option), is checked exactly as the command line checks it,
 * and runs on the engine as the engine job named by the served job's id. Archive targets roll
 * their objects over at the job's live object size when PATCH sets one.
 */
final class EngineKind implements JobKind {
    /** Options the server decides itself: the job's name, its state, how its progress shows. */
    private static final Set<String> SERVER_OPTIONS =
            Set.of("name", "restart", "progress", "results-file", "state-dir", "help", "version");

    private static final Pattern OPTION_IN_MESSAGE = Pattern.compile("--([a-z0-9-]+)");

    private final String name;
    private final String summary;
    private final DataRoots roots;
    private final List<String> options;

    EngineKind(String name, String summary, DataRoots roots) {
        this.name = requireNonNull(name, "name is null");
        this.summary = requireNonNull(summary, "summary is null");
        this.roots = requireNonNull(roots, "roots is null");
        this.options = ServedCommands.optionNames(name).stream()
                .filter(option -> !SERVER_OPTIONS.contains(option))
                .toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public List<FieldError> validate(JobRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Optional<String> from = request.findFrom();
        if (from.isEmpty()) {
            errors.add(new FieldError(
                    "from",
                    "is missing; name what to " + name + " (example: \"from\": "
                            + (name.equals("export") ? "\"/data/orders.jsonl\"" : "\"/archive/orders\"") + ")"));
        } else {
            roots.check("from", from.get()).ifPresent(errors::add);
        }
        if (request.to().isEmpty()) {
            errors.add(new FieldError("to", "is missing; name where to write (example: \"to\": \"/archive/orders\")"));
        } else if (name.equals("import") && request.to().size() > 1) {
            errors.add(new FieldError(
                    "to", "an import writes to one target, got " + request.to().size()));
        }
        for (int i = 0; i < request.to().size(); i++) {
            roots.check(
                            request.to().size() == 1 ? "to" : "to[" + i + "]",
                            request.to().get(i))
                    .ifPresent(errors::add);
        }
        List<String> base = positional(request);
        for (Map.Entry<String, JsonNode> field : request.options().properties()) {
            String option = field.getKey();
            if (!options.contains(option)) {
                errors.add(new FieldError(
                        "options." + option,
                        SERVER_OPTIONS.contains(option)
                                ? "is decided by the server for its jobs; leave it out"
                                : "is not an option of " + name + "; the options are " + options));
                continue;
            }
            List<String> args = new ArrayList<>(base);
            int before = errors.size();
            args.addAll(RequestArguments.of(option, field.getValue(), errors));
            if (errors.size() == before) {
                ServedCommands.parseError(name, args)
                        .ifPresent(message -> errors.add(new FieldError("options." + option, message)));
            }
        }
        if (errors.isEmpty()) {
            try {
                ServedCommands.prepare(name, arguments(request));
            } catch (FerryException | IllegalArgumentException | CommandLine.ParameterException e) {
                String message = String.valueOf(e.getMessage());
                errors.add(new FieldError(field(message, request), message));
            }
        }
        return errors;
    }

    /** The field a message from the command line is about: the first option it names, else the request. */
    private String field(String message, JobRequest request) {
        Matcher option = OPTION_IN_MESSAGE.matcher(message);
        while (option.find()) {
            if (options.contains(option.group(1))) {
                return "options." + option.group(1);
            }
        }
        if (request.findFrom().isPresent()
                && message.contains(request.findFrom().get())) {
            return "from";
        }
        for (String target : request.to()) {
            if (message.contains(target)) {
                return "to";
            }
        }
        return "request";
    }

    private List<String> positional(JobRequest request) {
        List<String> args = new ArrayList<>();
        args.add(request.findFrom().orElse(""));
        args.addAll(request.to());
        return args;
    }

    private List<String> arguments(JobRequest request) {
        List<String> args = positional(request);
        List<FieldError> ignored = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : request.options().properties()) {
            args.addAll(RequestArguments.of(field.getKey(), field.getValue(), ignored));
        }
        return args;
    }

    @Override
    public JobResult run(JobRequest request, JobContext context) {
        ServedCommands.Prepared prepared = ServedCommands.prepare(name, arguments(request));
        JobRunner runner = new JobRunner(context.store(), context.lockDirectory());
        JobRecord job = runner.register(context.jobId(), prepared.job().spec());
        if (job.state() == JobState.SUCCEEDED) {
            return new JobResult(
                    JobState.SUCCEEDED,
                    context.store()
                            .lastRun(job.name())
                            .flatMap(RunRecord::findReport)
                            .orElse(null),
                    null);
        }
        JobOutcome outcome = runner.run(
                job,
                prepared.job().source(),
                prepared.job().sinks().stream()
                        .map(sink -> sink instanceof ArchiveSink archive
                                ? archive.withLiveObjectSize(context.live()::objectSizeBytes)
                                : sink)
                        .toList(),
                prepared.settings(),
                context.progress(),
                context.stop(),
                context.live());
        return new JobResult(
                outcome.state(),
                outcome.report().toJson(),
                outcome.failures().isEmpty()
                        ? null
                        : String.valueOf(outcome.failures().get(0).getMessage()));
    }
}
