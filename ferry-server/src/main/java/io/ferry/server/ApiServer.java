package io.ferry.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.spi.error.FerryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API over a {@link JobRegistry}: jobs, the {@code /exports} compatibility endpoints,
 * metrics, health, the OpenAPI document and the dashboard. Every route but {@code /healthz} and
 * the dashboard page (static, holding no data) needs the bearer token.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final long EVENT_INTERVAL_MILLIS = 500;

    /** Where and how the server listens. */
    public record Settings(String bind, int port, long maxBodyBytes) {
        public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

        public Settings {
            requireNonNull(bind, "bind is null");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "--port must be 0 to 65535, got " + port + " (example: --port 8080)");
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("--max-body must be at least 1 byte, got " + maxBodyBytes);
            }
        }
    }

    private final JobRegistry registry;
    private final ApiToken token;
    private final Optional<ExportTasks> exports;
    private final long maxBodyBytes;
    private final List<Route> routes;
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean stopping;

    private ApiServer(
            JobRegistry registry, ApiToken token, Optional<ExportTasks> exports, long maxBodyBytes, HttpServer server) {
        this.registry = registry;
        this.token = token;
        this.exports = exports;
        this.maxBodyBytes = maxBodyBytes;
        this.server = server;
        this.routes = routes();
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts serving; {@code exports} adds the {@code /exports} compatibility endpoints. */
    public static ApiServer start(
            Settings settings, ApiToken token, JobRegistry registry, Optional<ExportTasks> exports) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 64);
        } catch (IOException e) {
            throw new FerryException(
                    io.ferry.spi.error.StandardErrorCode.IO_ERROR,
                    "Cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage()
                            + " (is another server using the port? choose another with --port)",
                    e);
        }
        ApiServer api = new ApiServer(registry, token, exports, settings.maxBodyBytes(), server);
        server.start();
        return api;
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    List<Route> servedRoutes() {
        return routes;
    }

    private List<Route> routes() {
        List<Route> all = new ArrayList<>();
        all.add(new Route(
                "GET",
                "/healthz",
                false,
                false,
                "Liveness: answers while the server runs",
                "json",
                call -> Answer.json(JSON.createObjectNode().put("status", "ok"))));
        all.add(new Route(
                "GET",
                "/",
                false,
                false,
                "The dashboard: a page listing jobs with live progress",
                "html",
                call -> new Answer.Text(200, "text/html; charset=utf-8", Dashboard.page())));
        all.add(new Route(
                "GET",
                "/openapi.json",
                true,
                false,
                "This API, described as OpenAPI 3",
                "json",
                call -> Answer.json(OpenApi.document(routes, registry.kinds()))));
        all.add(new Route(
                "GET",
                "/metrics",
                true,
                false,
                "Per-job records, bytes, errors, lag and state (Prometheus)",
                "text",
                call -> new Answer.Text(200, "text/plain; version=0.0.4; charset=utf-8", Metrics.render(registry))));
        all.add(new Route("GET", "/kinds", true, false, "The kinds of job this server runs", "json", call -> {
            ArrayNode kinds = JSON.createArrayNode();
            registry.kinds()
                    .forEach(kind -> kinds.addObject().put("name", kind.name()).put("summary", kind.summary()));
            return Answer.json(kinds);
        }));
        all.add(new Route(
                "POST",
                "/jobs",
                true,
                true,
                "Create a job (validated completely before it starts)",
                "job",
                call -> new Answer.Json(201, registry.view(registry.create(call.json()), true))));
        all.add(new Route("GET", "/jobs", true, false, "List jobs, optionally only those in ?state=", "jobs", call -> {
            Optional<ServedState> state = call.query("state").map(ApiServer::state);
            ArrayNode list = JSON.createArrayNode();
            registry.list(state).forEach(job -> list.add(registry.view(job, false)));
            return Answer.json(list);
        }));
        all.add(new Route(
                "GET",
                "/jobs/{id}",
                true,
                false,
                "A job: state, splits, positions, progress, rate, eta",
                "job",
                call -> Answer.json(registry.view(job(call), true))));
        all.add(new Route(
                "PATCH",
                "/jobs/{id}",
                true,
                true,
                "Retune a job's live limits without restarting it",
                "job",
                call -> Answer.json(registry.view(registry.retune(job(call), call.json()), true))));
        all.add(new Route(
                "POST",
                "/jobs/{id}/pause",
                true,
                false,
                "Pause a running job at its next checkpoint",
                "job",
                call -> Answer.json(registry.view(registry.pause(job(call)), true))));
        all.add(new Route(
                "POST",
                "/jobs/{id}/resume",
                true,
                false,
                "Resume a paused or failed job",
                "job",
                call -> Answer.json(registry.view(registry.resume(job(call)), true))));
        all.add(new Route(
                "POST",
                "/jobs/{id}/cancel",
                true,
                false,
                "Cancel a job for good",
                "job",
                call -> Answer.json(registry.view(registry.cancel(job(call)), true))));
        all.add(new Route("GET", "/jobs/{id}/report", true, false, "The report of the job's last run", "json", call -> {
            TrackedJob job = job(call);
            String report = job.findReport()
                    .orElseThrow(() -> new HttpProblem(
                            404, "Job " + job.id() + " has no report yet; it is written when a run ends"));
            return Answer.json(Secrets.mask(JSON.readTree(report)));
        }));
        all.add(new Route(
                "GET",
                "/jobs/{id}/events",
                true,
                false,
                "Server-Sent Events: the job's progress every half second until it stops",
                "events",
                call -> streamJob(call, job(call))));
        all.add(new Route(
                "GET",
                "/events",
                true,
                false,
                "Server-Sent Events: every job's progress every second",
                "events",
                this::streamAll));
        if (exports.isPresent()) {
            ExportTasks tasks = exports.get();
            all.add(new Route("GET", "/exports", true, false, "The database export tasks", "tasks", call -> {
                ArrayNode list = JSON.createArrayNode();
                tasks.tasks().forEach(task -> list.add(taskJson(task)));
                return Answer.json(list);
            }));
            all.add(new Route(
                    "POST",
                    "/exports",
                    true,
                    true,
                    "Run every database export task as one job",
                    "started",
                    call -> startTasks(
                            tasks,
                            tasks.tasks().stream().map(ExportTasks.Task::name).toList(),
                            call)));
            all.add(new Route(
                    "GET",
                    "/exports/{task}",
                    true,
                    false,
                    "One database export task",
                    "task",
                    call -> Answer.json(taskJson(task(tasks, call)))));
            all.add(new Route(
                    "POST",
                    "/exports/{task}",
                    true,
                    true,
                    "Run one database export task as a job",
                    "started",
                    call -> startTasks(tasks, List.of(task(tasks, call).name()), call)));
        }
        return List.copyOf(all);
    }

    private static ServedState state(String label) {
        try {
            return ServedState.parse(label);
        } catch (IllegalArgumentException e) {
            List<String> states = new ArrayList<>();
            for (ServedState state : ServedState.values()) {
                states.add(state.label());
            }
            throw new HttpProblem(
                    400,
                    "The ?state= filter is not a job state",
                    List.of(new FieldError(
                            "state", "is '" + label + "'; use one of " + states + " (example: ?state=running)")));
        }
    }

    private TrackedJob job(Call call) {
        String id = call.path("id");
        return registry.find(id)
                .orElseThrow(() -> new HttpProblem(404, "No job '" + id + "'; list the jobs with GET /jobs"));
    }

    private static ObjectNode taskJson(ExportTasks.Task task) {
        ObjectNode json = JSON.createObjectNode();
        json.put("name", task.name());
        json.put("select_query", task.selectQuery());
        if (task.deleteQuery() == null) {
            json.putNull("delete_query");
        } else {
            json.put("delete_query", task.deleteQuery());
        }
        return json;
    }

    private static ExportTasks.Task task(ExportTasks tasks, Call call) {
        String name = call.path("task");
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new HttpProblem(
                    400,
                    "Task name '" + name + "' is not valid: a task is a folder name of letters, digits, '.', '_' or"
                            + " '-', with no path in it (example: /exports/versions)");
        }
        return tasks.findTask(name)
                .orElseThrow(() -> new HttpProblem(404, "No task '" + name + "'; list the tasks with GET /exports"));
    }

    private Answer startTasks(ExportTasks tasks, List<String> names, Call call) {
        if (names.isEmpty()) {
            throw new HttpProblem(404, "There are no tasks to run; list the tasks with GET /exports");
        }
        JsonNode body = call.json();
        ObjectNode options = JSON.createObjectNode();
        ArrayNode list = options.putArray("tasks");
        names.forEach(list::add);
        if (body.isObject()) {
            for (Map.Entry<String, JsonNode> field : body.properties()) {
                if (!field.getKey().equals("tasks")) {
                    options.set(field.getKey(), field.getValue());
                }
            }
        } else if (!body.isMissingNode()) {
            throw new HttpProblem(
                    400,
                    "The body, when given, must be an object of options such as"
                            + " {\"param\": {\"export_boundary\": \"2024-01-01\"}}");
        }
        JobKind kind = tasks.kind();
        synchronized (this) {
            Set<String> busy = new LinkedHashSet<>();
            for (TrackedJob job : registry.list(Optional.of(ServedState.RUNNING))) {
                if (job.kind().name().equals(kind.name())) {
                    job.request().options().path("tasks").forEach(task -> {
                        if (names.contains(task.asText())) {
                            busy.add(task.asText());
                        }
                    });
                }
            }
            if (!busy.isEmpty()) {
                throw new HttpProblem(
                        409,
                        "Task(s) " + busy + " are running already; wait for their job to finish"
                                + " (GET /jobs?state=running)");
            }
            JobRequest request = new JobRequest(kind.name(), null, List.of(), options);
            List<FieldError> errors = kind.validate(request);
            if (!errors.isEmpty()) {
                throw new HttpProblem(400, "The export request has " + errors.size() + " problem(s)", errors);
            }
            TrackedJob job = registry.create(kind, request, Limits.NONE);
            return Answer.json(JSON.createObjectNode().put("status", "Ok").put("job", job.id()));
        }
    }

    private Answer streamJob(Call call, TrackedJob job) throws IOException {
        HttpExchange exchange = call.exchange();
        startStream(exchange);
        try (OutputStream out = exchange.getResponseBody()) {
            while (!stopping) {
                boolean last = !job.running();
                send(out, "progress", registry.view(job, false));
                if (last) {
                    break;
                }
                sleep(EVENT_INTERVAL_MILLIS);
            }
        } catch (IOException e) {
            log.debug("Event stream of {} closed by the client", job.id(), e);
        }
        return Answer.WRITTEN;
    }

    private Answer streamAll(Call call) throws IOException {
        HttpExchange exchange = call.exchange();
        startStream(exchange);
        try (OutputStream out = exchange.getResponseBody()) {
            while (!stopping) {
                ArrayNode list = JSON.createArrayNode();
                registry.list(Optional.empty()).forEach(job -> list.add(registry.view(job, false)));
                send(out, "jobs", list);
                sleep(2 * EVENT_INTERVAL_MILLIS);
            }
        } catch (IOException e) {
            log.debug("Event stream closed by the client", e);
        }
        return Answer.WRITTEN;
    }

    private static void startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
    }

    private static void send(OutputStream out, String event, JsonNode data) throws IOException {
        out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                dispatch(exchange);
            } catch (HttpProblem problem) {
                problem(exchange, problem);
            } catch (FerryException e) {
                int status = switch (e.kind()) {
                    case USER_INPUT -> 400;
                    case EXTERNAL -> 502;
                    case INTERNAL -> 500;
                };
                ObjectNode body = JSON.createObjectNode();
                body.put("error", Secrets.mask(String.valueOf(e.getMessage())));
                body.put("code", e.code().name());
                write(exchange, new Answer.Json(status, body));
            } catch (UncheckedIOException e) {
                log.debug("Request ended early", e);
            } catch (RuntimeException e) {
                log.error(
                        "Request {} {} failed",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        e);
                ObjectNode body = JSON.createObjectNode();
                body.put("error", "ferry failed unexpectedly; please report this with the server log");
                body.put("code", "INTERNAL_ERROR");
                write(exchange, new Answer.Json(500, body));
            }
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> segments = segments(exchange.getRequestURI().getRawPath());
        Route found = null;
        Map<String, String> parameters = Map.of();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> match = route.match(segments);
            if (match.isPresent()) {
                allowed.add(route.method());
                if (route.method().equals(method)) {
                    found = route;
                    parameters = match.get();
                    break;
                }
            }
        }
        if (found == null) {
            if (!allowed.isEmpty()) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
                throw new HttpProblem(405, method + " is not served here; use " + allowed);
            }
            throw new HttpProblem(
                    404,
                    "Nothing is served at " + exchange.getRequestURI().getRawPath()
                            + "; see GET /openapi.json for the routes");
        }
        if (found.secured()) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !token.admits(authorization)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"ferry\"");
                throw new HttpProblem(
                        401,
                        authorization == null
                                ? "This route needs the API token: send 'Authorization: Bearer TOKEN'"
                                        + " (FERRY_API_TOKEN, or the api-token file in the state directory)"
                                : "The API token is wrong; send the one in FERRY_API_TOKEN or the api-token file");
            }
        }
        byte[] body = readBody(exchange);
        if (body.length > 0 && !found.hasBody()) {
            throw new HttpProblem(400, method + " " + found.template() + " takes no body; send none");
        }
        Answer answer = found.handler().handle(new Call(exchange, parameters, body));
        write(exchange, answer);
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (path.isEmpty()) {
            return segments;
        }
        for (String segment : path.split("/", -1)) {
            segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return segments;
    }

    /**
     * Reads the body, keeping at most the limit; a larger body is read to its end (up to a hard cap,
     * so the client sees the answer rather than a reset connection) and answered with 413.
     */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new HttpProblem(400, "Content-Length '" + length + "' is not a number");
            }
        }
        long hardCap = Math.max(64L * 1024 * 1024, maxBodyBytes * 4);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        try (InputStream in = exchange.getRequestBody()) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                total += read;
                if (total <= maxBodyBytes) {
                    body.write(buffer, 0, read);
                } else if (total > hardCap) {
                    break;
                }
            }
        }
        if (total > maxBodyBytes) {
            throw tooLarge();
        }
        return body.toByteArray();
    }

    private HttpProblem tooLarge() {
        return new HttpProblem(
                413,
                "The request body is larger than " + maxBodyBytes + " bytes; a job request is a small JSON object");
    }

    private static void problem(HttpExchange exchange, HttpProblem problem) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", Secrets.mask(String.valueOf(problem.getMessage())));
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            for (FieldError error : problem.errors()) {
                errors.addObject().put("field", error.field()).put("message", Secrets.mask(error.message()));
            }
        }
        write(exchange, new Answer.Json(problem.status(), body));
    }

    private static void write(HttpExchange exchange, Answer answer) throws IOException {
        switch (answer) {
            case Answer.Json json ->
                send(exchange, json.status(), "application/json", JSON.writeValueAsBytes(json.body()));
            case Answer.Text text ->
                send(exchange, text.status(), text.contentType(), text.body().getBytes(StandardCharsets.UTF_8));
            case Answer.Written written -> {}
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops listening; the registry is closed by its owner. */
    @Override
    public void close() {
        stopping = true;
        server.stop(1);
        executor.shutdownNow();
    }
}
