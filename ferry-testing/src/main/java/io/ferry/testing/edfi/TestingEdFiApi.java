package io.ferry.testing.edfi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.testing.edfi.ResourceSchema.BodyPath;
import io.ferry.testing.edfi.ResourceSchema.ReferenceProperty;
import io.ferry.testing.edfi.ResourceStore.Deletion;
import io.ferry.testing.edfi.ResourceStore.Upsert;
import io.ferry.testing.edfi.ResourceStore.Version;
import io.ferry.testing.edfi.StoredItem.Link;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An in-process Ed-Fi ODS/API 7.1 (data standard 5.0) for tests and benchmarks, built from the published OpenAPI
 * documents (a subset of 15 resources and 33 descriptors, plus the dependencies document).
 *
 * <p>Endpoints, relative to {@link #baseUrl()}: {@code GET /} (discovery), {@code POST oauth/token} (client
 * credentials, as form fields, HTTP Basic or JSON), {@code GET metadata/} (the OpenAPI listing), {@code GET
 * metadata/data/v3/dependencies}, {@code GET metadata/data/v3/resources/swagger.json} and {@code
 * .../descriptors/swagger.json}, and {@code data/v3/{namespace}/{resource}[/{id}]} with GET, POST, PUT and DELETE.
 * Data requests need a bearer token. POST upserts by the natural key (201 new, 200 matched), rejects references to
 * items that are not stored (409), and collection GETs page with {@code offset}, {@code limit} (at most 500) and
 * {@code totalCount}, and filter by property.
 *
 * <p>In {@link Mode#YEAR_SPECIFIC} the data URLs are {@code data/v3/{year}/...}, in {@link
 * Mode#INSTANCE_YEAR_SPECIFIC} {@code data/v3/{instanceCode}/{year}/...}; in {@link Mode#YEAR_SPECIFIC_ODS7} every
 * URL is under {@code {year}/}. One store serves the configured instance and year.
 */
public final class TestingEdFiApi implements AutoCloseable {
    /** How the server's URLs are laid out, as the ODS/API deployment modes. */
    public enum Mode {
        /** {@code data/v3/ed-fi/schools}; also what sandbox and district-specific deployments look like. */
        SHARED_INSTANCE,
        /** {@code data/v3/{year}/ed-fi/schools} (ODS/API 5 and 6). */
        YEAR_SPECIFIC,
        /** {@code {year}/data/v3/ed-fi/schools}, with discovery, metadata and OAuth under {@code {year}/} too. */
        YEAR_SPECIFIC_ODS7,
        /** {@code data/v3/{instanceCode}/{year}/ed-fi/schools}. */
        INSTANCE_YEAR_SPECIFIC
    }

    /** The shape of error bodies. */
    public enum ErrorStyle {
        /** {@code {"message": "..."}}, as ODS/API up to 7.1 answers. */
        ODS_MESSAGE,
        /** Problem details ({@code type}, {@code title}, {@code detail}, {@code validationErrors}), ODS/API 7.2+. */
        PROBLEM_DETAILS
    }

    /**
     * Server settings.
     *
     * @param port the TCP port on 127.0.0.1; 0 for a free one
     * @param tokenLifetime how long an access token is valid
     * @param clientId the one accepted OAuth client id
     * @param clientSecret its secret
     * @param mode the URL layout
     * @param year the school year of the year-specific modes
     * @param instanceCode the instance segment of {@link Mode#INSTANCE_YEAR_SPECIFIC}
     * @param errorStyle the shape of error bodies
     * @param checkReferences answer 409 to a POST or PUT whose {@code *Reference} is not stored
     * @param checkDescriptors answer 400 to a descriptor value ({@code uri://ed-fi.org/XDescriptor#Code}) that is
     *     not stored as an item of the descriptor resource
     * @param defaultDescriptors store the data standard's default descriptor values at start
     * @param seed the seed of the fault draws
     */
    public record Options(
            int port,
            Duration tokenLifetime,
            String clientId,
            String clientSecret,
            Mode mode,
            int year,
            String instanceCode,
            ErrorStyle errorStyle,
            boolean checkReferences,
            boolean checkDescriptors,
            boolean defaultDescriptors,
            long seed) {
        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) to 65535, got " + port);
            }
            requireNonNull(tokenLifetime, "tokenLifetime is null");
            if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
                throw new IllegalArgumentException(
                        "tokenLifetime must be positive, got " + tokenLifetime + " (example: Duration.ofMinutes(60))");
            }
            requireNonNull(clientId, "clientId is null");
            requireNonNull(clientSecret, "clientSecret is null");
            if (clientId.isBlank() || clientSecret.isBlank()) {
                throw new IllegalArgumentException("clientId and clientSecret must not be blank");
            }
            requireNonNull(mode, "mode is null");
            if (year < 1900 || year > 2999) {
                throw new IllegalArgumentException("year must be a school year such as 2025, got " + year);
            }
            requireNonNull(instanceCode, "instanceCode is null");
            if (!instanceCode.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException(
                        "instanceCode must be letters, digits, '-' or '_' (one URL segment), got '" + instanceCode
                                + "'");
            }
            requireNonNull(errorStyle, "errorStyle is null");
        }

        /**
         * Port 0, 60-minute tokens, {@code testkey}/{@code testsecret}, shared instance, year 2025, instance {@code
         * test}, ODS error bodies, reference checks on, descriptor checks and default descriptors off, seed 0.
         */
        public static Options defaults() {
            return new Options(
                    0,
                    Duration.ofMinutes(60),
                    "testkey",
                    "testsecret",
                    Mode.SHARED_INSTANCE,
                    2025,
                    "test",
                    ErrorStyle.ODS_MESSAGE,
                    true,
                    false,
                    false,
                    0);
        }

        public Options withPort(int port) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withTokenLifetime(Duration tokenLifetime) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withCredentials(String clientId, String clientSecret) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withMode(Mode mode) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withYear(int year) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withInstanceCode(String instanceCode) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withErrorStyle(ErrorStyle errorStyle) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withReferenceChecks(boolean checkReferences) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withDescriptorChecks(boolean checkDescriptors) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withDefaultDescriptors(boolean defaultDescriptors) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        public Options withSeed(long seed) {
            return new Options(
                    port,
                    tokenLifetime,
                    clientId,
                    clientSecret,
                    mode,
                    year,
                    instanceCode,
                    errorStyle,
                    checkReferences,
                    checkDescriptors,
                    defaultDescriptors,
                    seed);
        }

        /** Every setting, the client secret masked. */
        @Override
        public String toString() {
            return "Options[port=" + port + ", tokenLifetime=" + tokenLifetime + ", clientId=" + clientId
                    + ", clientSecret=***, mode=" + mode + ", year=" + year + ", instanceCode=" + instanceCode
                    + ", errorStyle=" + errorStyle + ", checkReferences=" + checkReferences + ", checkDescriptors="
                    + checkDescriptors + ", defaultDescriptors=" + defaultDescriptors + ", seed=" + seed + "]";
        }
    }

    static {
        // Answers are written as a header segment and a body segment; without TCP_NODELAY, Nagle's algorithm and
        // delayed ACKs can hold the body back for tens of milliseconds on kept-alive connections. Read once per JVM
        // by the JDK's HTTP server, so it only helps when this class starts the JVM's first such server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final int MAX_LIMIT = 500;
    private static final int DEFAULT_LIMIT = 25;
    private static final int REQUEST_LOG_CAPACITY = 100_000;
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final Options options;
    private final ObjectMapper json = new ObjectMapper();
    private final EdFiModel model;
    private final Map<String, ResourceStore> stores = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, Long> tokens = new ConcurrentHashMap<>();
    private final Faults faults;
    private final ConcurrentLinkedDeque<RequestLog> requestLog = new ConcurrentLinkedDeque<>();
    private final AtomicInteger requestLogSize = new AtomicInteger();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong etags = new AtomicLong(System.currentTimeMillis() * 1000);
    private final ExecutorService executor;
    private final HttpServer server;
    private final URI baseUrl;
    private final URI dataUrl;
    private final String prefix;
    private final byte[] discoveryRoot;
    private final byte[] metadataListing;
    private final byte[] resourcesSwagger;
    private final byte[] descriptorsSwagger;
    private final byte[] dependencies;

    private TestingEdFiApi(Options options) throws IOException {
        this.options = options;
        this.model = EdFiModel.shared();
        for (ResourceSchema schema : model.resources()) {
            stores.put(schema.path(), new ResourceStore(schema));
        }
        this.faults = new Faults(tokens::clear).seed(options.seed());
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("testing-edfi-api-", 0).factory());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 1024);
        try {
            this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            this.prefix = options.mode() == Mode.YEAR_SPECIFIC_ODS7 ? options.year() + "/" : "";
            this.dataUrl = baseUrl()
                    .resolve("data/v3/"
                            + String.join(
                                    "",
                                    dataSegments().stream().map(s -> s + "/").toList()));
            this.discoveryRoot = discoveryRoot();
            this.metadataListing = metadataListing();
            this.resourcesSwagger = servedOpenApi(model.resourcesDocument());
            this.descriptorsSwagger = servedOpenApi(model.descriptorsDocument());
            this.dependencies = model.dependencies();
            if (options.defaultDescriptors()) {
                loadDefaultDescriptors();
            }
            server.createContext("/", this::handle);
            server.setExecutor(executor);
            server.start();
        } catch (RuntimeException e) {
            server.stop(0);
            executor.shutdownNow();
            throw e;
        }
    }

    /** Starts a server with {@link Options#defaults()} on a free port. */
    public static TestingEdFiApi start() {
        return start(Options.defaults());
    }

    public static TestingEdFiApi start(Options options) {
        requireNonNull(options, "options is null");
        try {
            return new TestingEdFiApi(options);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the Ed-Fi test API on 127.0.0.1:" + options.port()
                            + " (is the port in use? use port 0 for a free one)",
                    e);
        }
    }

    /** The discovery root, {@code http://127.0.0.1:PORT/} ({@code .../YEAR/} in {@link Mode#YEAR_SPECIFIC_ODS7}). */
    public URI baseUrl() {
        return baseUrl.resolve(prefix);
    }

    /**
     * {@code .../data/v3/}; {@code .../data/v3/YEAR/} in {@link Mode#YEAR_SPECIFIC} and {@code
     * .../data/v3/INSTANCE/YEAR/} in {@link Mode#INSTANCE_YEAR_SPECIFIC}.
     */
    public URI dataUrl() {
        return dataUrl;
    }

    /** The path segments between {@code data/v3/} and the namespace. */
    private List<String> dataSegments() {
        return switch (options.mode()) {
            case SHARED_INSTANCE, YEAR_SPECIFIC_ODS7 -> List.of();
            case YEAR_SPECIFIC -> List.of(String.valueOf(options.year()));
            case INSTANCE_YEAR_SPECIFIC -> List.of(options.instanceCode(), String.valueOf(options.year()));
        };
    }

    /** {@code .../oauth/token}. */
    public URI oauthUrl() {
        return baseUrl().resolve("oauth/token");
    }

    public Options options() {
        return options;
    }

    public String clientId() {
        return options.clientId();
    }

    public String clientSecret() {
        return options.clientSecret();
    }

    public Faults faults() {
        return faults;
    }

    /** Stored items of a resource, named {@code /ed-fi/schools}, {@code ed-fi/schools} or {@code schools}. */
    public int count(String resource) {
        return store(resource).size();
    }

    /** The stored items of a resource in creation order, as GET returns them. */
    public List<JsonNode> items(String resource) {
        List<JsonNode> items = new ArrayList<>();
        for (StoredItem item : store(resource).inOrder()) {
            items.add(item.body().deepCopy());
        }
        return items;
    }

    /** POST requests received for a resource, whatever they were answered (faults included). */
    public long postCount(String resource) {
        return store(resource).posts();
    }

    /**
     * POST requests to a resource answered with {@code status}: 201 counts items created, 200 payloads that matched
     * a stored natural key (a resend), 0 dropped connections.
     */
    public long postCount(String resource, int status) {
        return store(resource).posts(status);
    }

    /** Access tokens issued so far: shows how often a client authenticated (a refresh storm, a refresh loop). */
    public long tokensIssued() {
        return tokensIssued.get();
    }

    /** The most recent requests (up to 100,000), oldest first. */
    public List<RequestLog> requests() {
        return List.copyOf(requestLog);
    }

    /** The resource paths served, {@code /ed-fi/schools}, in the order of the dependencies document's subset. */
    public List<String> resources() {
        return List.copyOf(stores.keySet());
    }

    /**
     * Stores an item as a POST would, without a token, faults or the POST count: for setting up a test.
     *
     * @return the status a POST would have been answered with (201, 200, 400, 409)
     */
    public int post(String resource, String body) {
        requireNonNull(body, "body is null");
        return upsert(store(resource), body.getBytes(StandardCharsets.UTF_8)).status();
    }

    /** Deletes every stored item of every resource, and the issued tokens; not for use while requests run. */
    public void reset() {
        for (ResourceStore store : stores.values()) {
            store.clear();
        }
        tokens.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Runs the server until the process ends: {@code --port N} (default 0: a free port), {@code --token-lifetime
     * SECONDS}, {@code --client-id ID}, {@code --client-secret SECRET}, {@code --mode
     * shared_instance|year_specific|year_specific_ods7|instance_year_specific}, {@code --year YYYY}, {@code
     * --instance-code CODE}, {@code --problem-details}, {@code
     * --no-reference-checks}, {@code --descriptor-checks}, {@code --default-descriptors}, {@code --seed N}. Prints
     * the base URL on the first line of standard output.
     */
    public static void main(String[] args) {
        try {
            TestingEdFiApi api = launch(args, System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(api::close, "testing-edfi-api-shutdown"));
        } catch (IllegalArgumentException e) {
            System.err.println("TestingEdFiApi: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    private static final String USAGE = "usage: TestingEdFiApi [--port N] [--token-lifetime SECONDS]"
            + " [--client-id ID] [--client-secret SECRET] [--mode shared_instance|year_specific|year_specific_ods7|instance_year_specific]"
            + " [--year YYYY] [--instance-code CODE] [--problem-details] [--no-reference-checks] [--descriptor-checks]"
            + " [--default-descriptors] [--seed N]";

    /**
     * Parses {@link #main} arguments, starts a server and prints its base URL to {@code out}.
     *
     * @throws IllegalArgumentException for an unknown option or a bad value, naming it
     */
    public static TestingEdFiApi launch(String[] args, PrintStream out) {
        Options options = Options.defaults();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--problem-details" -> options = options.withErrorStyle(ErrorStyle.PROBLEM_DETAILS);
                case "--no-reference-checks" -> options = options.withReferenceChecks(false);
                case "--descriptor-checks" -> options = options.withDescriptorChecks(true);
                case "--default-descriptors" -> options = options.withDefaultDescriptors(true);
                case "--port",
                        "--token-lifetime",
                        "--client-id",
                        "--client-secret",
                        "--mode",
                        "--year",
                        "--instance-code",
                        "--seed" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    String value = args[++i];
                    options = switch (arg) {
                        case "--port" -> options.withPort(integer(arg, value));
                        case "--token-lifetime" -> options.withTokenLifetime(Duration.ofSeconds(integer(arg, value)));
                        case "--client-id" -> options.withCredentials(value, options.clientSecret());
                        case "--client-secret" -> options.withCredentials(options.clientId(), value);
                        case "--mode" -> options.withMode(mode(value));
                        case "--year" -> options.withYear(integer(arg, value));
                        case "--instance-code" -> options.withInstanceCode(value);
                        default -> options.withSeed(integer(arg, value));
                    };
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        TestingEdFiApi api = start(options);
        out.println(api.baseUrl());
        out.println(
                "Ed-Fi test API (ODS/API 7.1, DS 5.0, " + options.mode().name().toLowerCase(Locale.ROOT)
                        + ") ready; OAuth client id '" + options.clientId() + "', token lifetime "
                        + options.tokenLifetime().toSeconds() + " s");
        out.flush();
        return api;
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'", e);
        }
    }

    private static Mode mode(String value) {
        for (Mode mode : Mode.values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "--mode must be shared_instance, year_specific, year_specific_ods7 or instance_year_specific, got '"
                        + value + "'");
    }

    // ---------------------------------------------------------------- request handling

    /** An answer; status 0 means close the connection without one. */
    private static final class Answer {
        private final int status;
        private final byte[] body;
        private final Map<String, String> headers;

        Answer(int status, byte[] body, Map<String, String> headers) {
            this.status = status;
            this.body = requireNonNull(body, "body is null");
            this.headers = Map.copyOf(headers);
        }

        static Answer json(int status, byte[] body) {
            return new Answer(status, body, Map.of());
        }

        int status() {
            return status;
        }

        byte[] body() {
            return body;
        }

        Map<String, String> headers() {
            return headers;
        }
    }

    private static final Answer DROP = new Answer(0, new byte[0], Map.of());

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        Instant arrived = Instant.now();
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        try {
            Answer answer;
            try {
                answer = route(exchange, method, uri);
            } catch (IOException e) {
                answer = DROP;
            } catch (RuntimeException e) {
                answer = error(ApiError.of(
                        500, "internal-server-error", "Internal Server Error", "The test server failed: " + e));
            }
            // Logged before answering, so a client that has its answer finds the request in the log.
            log(new RequestLog(
                    arrived,
                    method,
                    uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery(),
                    answer.status(),
                    Duration.ofNanos(System.nanoTime() - started)));
            if (answer.status() == 0) {
                return;
            }
            answer.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            if (answer.body().length > 0) {
                exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
                exchange.sendResponseHeaders(answer.status(), answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } else {
                exchange.sendResponseHeaders(answer.status(), -1);
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            exchange.close();
        }
    }

    private void log(RequestLog entry) {
        requestLog.addLast(entry);
        if (requestLogSize.incrementAndGet() > REQUEST_LOG_CAPACITY) {
            if (requestLog.pollFirst() != null) {
                requestLogSize.decrementAndGet();
            }
        }
    }

    private Answer route(HttpExchange exchange, String method, URI uri) throws IOException {
        String path = uri.getRawPath();
        if (!path.startsWith("/" + prefix)) {
            return error(ApiError.notFound("No route for " + path + "; this server answers under " + baseUrl()));
        }
        List<String> segments = new ArrayList<>();
        for (String segment : split(path.substring(1 + prefix.length()), '/')) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
            }
        }
        if (segments.isEmpty()) {
            return method.equals("GET") ? Answer.json(200, discoveryRoot) : methodNotAllowed(method, path);
        }
        switch (segments.get(0)) {
            case "oauth" -> {
                if (segments.size() == 2 && segments.get(1).equals("token")) {
                    return method.equals("POST") ? token(exchange) : methodNotAllowed(method, path);
                }
            }
            case "metadata" -> {
                return method.equals("GET") ? metadata(segments, path) : methodNotAllowed(method, path);
            }
            case "data" -> {
                return data(exchange, method, segments, uri);
            }
            default -> {}
        }
        return error(ApiError.notFound("No route for " + path));
    }

    private Answer metadata(List<String> segments, String path) {
        String rest = String.join("/", segments.subList(1, segments.size()));
        return switch (rest) {
            case "", "data/v3" -> Answer.json(200, metadataListing);
            case "data/v3/dependencies" -> Answer.json(200, dependencies);
            case "data/v3/resources/swagger.json" -> Answer.json(200, resourcesSwagger);
            case "data/v3/descriptors/swagger.json" -> Answer.json(200, descriptorsSwagger);
            default -> error(ApiError.notFound("No metadata at " + path));
        };
    }

    // ---------------------------------------------------------------- OAuth

    private Answer token(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                .orElse("")
                .toLowerCase(Locale.ROOT);
        Map<String, String> fields = new LinkedHashMap<>();
        if (contentType.startsWith("application/json")) {
            try {
                JsonNode node = json.readTree(body);
                if (node != null && node.isObject()) {
                    for (Map.Entry<String, JsonNode> field : node.properties()) {
                        fields.put(field.getKey(), field.getValue().asText());
                    }
                }
            } catch (JsonProcessingException e) {
                return oauthError(400, "invalid_request");
            }
        } else {
            fields.putAll(query(new String(body, StandardCharsets.UTF_8)));
        }
        String clientId = fields.get("client_id");
        String clientSecret = fields.get("client_secret");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return oauthError(400, "invalid_request");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return oauthError(400, "invalid_request");
            }
            clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            clientSecret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        String grantType = fields.getOrDefault("grant_type", "");
        if (!grantType.equals("client_credentials")) {
            return oauthError(400, grantType.isEmpty() ? "invalid_request" : "unsupported_grant_type");
        }
        if (clientId == null
                || clientSecret == null
                || !clientId.equals(options.clientId())
                || !MessageDigest.isEqual(
                        clientSecret.getBytes(StandardCharsets.UTF_8),
                        options.clientSecret().getBytes(StandardCharsets.UTF_8))) {
            return oauthError(401, "invalid_client");
        }
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        tokens.put(token, System.nanoTime() + options.tokenLifetime().toNanos());
        tokensIssued.incrementAndGet();
        ObjectNode answer = json.createObjectNode();
        answer.put("access_token", token);
        answer.put("expires_in", options.tokenLifetime().toSeconds());
        answer.put("token_type", "bearer");
        return new Answer(200, bytes(answer), Map.of("Cache-Control", "no-store"));
    }

    private Answer oauthError(int status, String error) {
        ObjectNode body = json.createObjectNode();
        body.put("error", error);
        return Answer.json(status, bytes(body));
    }

    private Optional<Answer> unauthorized(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(unauthorizedAnswer(
                    "Authorization denied: send an 'Authorization: Bearer <token>' header with a token from "
                            + oauthUrl()));
        }
        Long expires = tokens.get(authorization.substring(7).trim());
        if (expires == null || expires - System.nanoTime() <= 0) {
            return Optional.of(unauthorizedAnswer(
                    "Authorization denied: the access token is invalid or expired; get a new one from " + oauthUrl()));
        }
        return Optional.empty();
    }

    private Answer unauthorizedAnswer(String detail) {
        Answer answer = error(ApiError.of(401, "security:authentication", "Authorization Denied", detail));
        return new Answer(401, answer.body(), Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    // ---------------------------------------------------------------- data API

    private Answer data(HttpExchange exchange, String method, List<String> segments, URI uri) throws IOException {
        if (segments.size() < 2 || !segments.get(1).equals("v3")) {
            return error(ApiError.notFound("No route for " + uri.getRawPath() + "; data URLs start with data/v3/"));
        }
        int next = 2;
        for (String expected : dataSegments()) {
            if (segments.size() <= next || !segments.get(next).equals(expected)) {
                return error(ApiError.notFound(
                        "No route for " + uri.getRawPath() + "; this API's data URLs start with " + dataUrl()));
            }
            next++;
        }
        if (segments.size() < next + 2 || segments.size() > next + 3) {
            return error(ApiError.notFound("No route for " + uri.getRawPath()));
        }
        ResourceStore store = stores.get("/" + segments.get(next) + "/" + segments.get(next + 1));
        Answer answer = resourceRequest(exchange, method, segments, next, uri, store);
        if (store != null && method.equals("POST")) {
            store.countPost(answer.status());
        }
        return answer;
    }

    private Answer resourceRequest(
            HttpExchange exchange,
            String method,
            List<String> segments,
            int next,
            URI uri,
            @Nullable ResourceStore store)
            throws IOException {
        Faults.Decision decision = faults.next();
        if (!decision.stall().isZero()) {
            try {
                Thread.sleep(decision.stall());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DROP;
            }
        }
        Faults.Kind fault = decision.fault();
        if (fault != null) {
            switch (fault) {
                case DROPPED_CONNECTION -> {
                    return DROP;
                }
                case RATE_LIMITED -> {
                    long seconds = (faults.retryAfter().toMillis() + 999) / 1000;
                    Answer answer = error(ApiError.of(
                            429, "too-many-requests", "Too Many Requests", "Rate limit exceeded; retry later."));
                    return new Answer(429, answer.body(), Map.of("Retry-After", String.valueOf(seconds)));
                }
                case SERVER_ERROR -> {
                    return error(ApiError.of(
                            500,
                            "internal-server-error",
                            "Internal Server Error",
                            "An unexpected error occurred on the server (injected fault)."));
                }
                case STALLED -> {}
            }
        }
        Optional<Answer> denied = unauthorized(exchange);
        if (denied.isPresent()) {
            return denied.get();
        }
        if (store == null) {
            return error(ApiError.notFound("The resource /" + segments.get(next) + "/" + segments.get(next + 1)
                    + " is not served here; GET " + baseUrl().resolve("metadata/data/v3/dependencies")
                    + " lists the served resources"));
        }
        @Nullable String id = segments.size() == next + 3 ? segments.get(next + 2) : null;
        if (id == null) {
            return switch (method) {
                case "GET" -> list(store, uri);
                case "POST" -> upsert(store, exchange.getRequestBody().readAllBytes());
                default -> methodNotAllowed(method, uri.getRawPath());
            };
        }
        return switch (method) {
            case "GET" ->
                store.byId(id)
                        .map(item -> new Answer(200, item.json(), Map.of("ETag", quoted(item.etag()))))
                        .orElseGet(() -> error(notFound(store, id)));
            case "PUT" -> put(store, id, exchange.getRequestBody().readAllBytes());
            case "DELETE" -> delete(store, id);
            default -> methodNotAllowed(method, uri.getRawPath());
        };
    }

    private Answer list(ResourceStore store, URI uri) {
        Map<String, String> query = query(Optional.ofNullable(uri.getRawQuery()).orElse(""));
        long offset = 0;
        long limit = DEFAULT_LIMIT;
        boolean totalCount = false;
        Map<List<BodyPath>, String> filters = new LinkedHashMap<>();
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            String name = parameter.getKey();
            String value = parameter.getValue();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "offset" -> {
                    Optional<Long> parsed = whole(value);
                    if (parsed.isEmpty() || parsed.get() < 0) {
                        return error(parameterError("Offset must be omitted or set to a non-negative integer."));
                    }
                    offset = parsed.get();
                }
                case "limit" -> {
                    Optional<Long> parsed = whole(value);
                    if (parsed.isEmpty() || parsed.get() < 0 || parsed.get() > MAX_LIMIT) {
                        return error(parameterError(
                                "Limit must be omitted or set to a numeric value between 0 and " + MAX_LIMIT + "."));
                    }
                    limit = parsed.get();
                }
                case "totalcount" -> totalCount = value.equalsIgnoreCase("true");
                default -> {
                    for (Map.Entry<String, List<BodyPath>> property :
                            store.schema().flattened().entrySet()) {
                        if (property.getKey().equalsIgnoreCase(name)) {
                            filters.put(property.getValue(), value);
                        }
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        long matched = 0;
        long written = 0;
        for (StoredItem item : store.inOrder()) {
            if (!matches(item.body(), filters)) {
                continue;
            }
            if (matched >= offset && written < limit) {
                if (written > 0) {
                    out.write(',');
                }
                out.writeBytes(item.json());
                written++;
            }
            matched++;
            if (!totalCount && written >= limit) {
                break;
            }
        }
        out.write(']');
        return new Answer(
                200, out.toByteArray(), totalCount ? Map.of("Total-Count", String.valueOf(matched)) : Map.of());
    }

    private static boolean matches(JsonNode body, Map<List<BodyPath>, String> filters) {
        for (Map.Entry<List<BodyPath>, String> filter : filters.entrySet()) {
            Optional<String> value = NaturalKeys.value(body, filter.getKey());
            if (value.isEmpty() || !value.get().equalsIgnoreCase(filter.getValue())) {
                return false;
            }
        }
        return true;
    }

    private Answer upsert(ResourceStore store, byte[] bytes) {
        Outcome<ObjectNode> parsed = parseBody(store, bytes, false);
        Answer invalid = parsed.error();
        if (invalid != null) {
            return invalid;
        }
        ObjectNode body = requireNonNull(parsed.value());
        ResourceSchema schema = store.schema();
        String key = NaturalKeys.identityKey(schema, body);
        Outcome<List<Link>> links = acquireLinks(store, body);
        Answer unresolved = links.error();
        if (unresolved != null) {
            return unresolved;
        }
        List<Link> outgoing = requireNonNull(links.value());
        Upsert upsert = store.upsert(key, (id, sequence) -> version(schema, body, id, sequence, outgoing), newId());
        release(store, upsert.replacedLinks());
        StoredItem item = upsert.item();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", dataUrl + schema.namespace() + "/" + schema.name() + "/" + item.id());
        headers.put("ETag", quoted(item.etag()));
        return new Answer(upsert.created() ? 201 : 200, new byte[0], headers);
    }

    private Answer put(ResourceStore store, String id, byte[] bytes) {
        Outcome<ObjectNode> parsed = parseBody(store, bytes, true);
        Answer invalid = parsed.error();
        if (invalid != null) {
            return invalid;
        }
        ObjectNode body = requireNonNull(parsed.value());
        body.remove("id");
        ResourceSchema schema = store.schema();
        Optional<StoredItem> current = store.byId(id);
        if (current.isEmpty()) {
            return error(notFound(store, id));
        }
        if (!NaturalKeys.identityKey(schema, body).equals(current.get().key())) {
            return error(ApiError.of(
                    400,
                    "bad-request:key-change-not-supported",
                    "Key Change Not Supported",
                    "The natural key of a " + schema.title() + " cannot be changed with PUT; POST the item with"
                            + " its new key and DELETE the old one."));
        }
        Outcome<List<Link>> links = acquireLinks(store, body);
        Answer unresolved = links.error();
        if (unresolved != null) {
            return unresolved;
        }
        List<Link> outgoing = requireNonNull(links.value());
        Optional<StoredItem> replaced =
                store.replace(id, (itemId, sequence) -> version(schema, body, itemId, sequence, outgoing));
        if (replaced.isEmpty()) {
            release(store, outgoing);
            return error(notFound(store, id));
        }
        release(store, replaced.get().outgoing());
        return new Answer(204, new byte[0], Map.of());
    }

    private Answer delete(ResourceStore store, String id) {
        Deletion deletion = store.delete(id);
        return switch (deletion) {
            case Deletion.NotFound notFound -> error(notFound(store, id));
            case Deletion.Referenced referenced -> {
                List<String> dependents = new ArrayList<>();
                referenced.dependents().forEach((resource, count) -> dependents.add(entityName(resource)));
                dependents.sort(null);
                yield error(ApiError.of(
                        409,
                        "data-conflict:dependent-item-exists",
                        "Dependent Item Exists",
                        "The requested action cannot be performed because this item is referenced by existing "
                                + String.join(", ", dependents) + " item(s)."));
            }
            case Deletion.Deleted deleted -> {
                release(store, deleted.item().outgoing());
                yield new Answer(204, new byte[0], Map.of());
            }
        };
    }

    private String entityName(String resourcePath) {
        ResourceStore store = stores.get(resourcePath);
        return store == null ? resourcePath : store.schema().title();
    }

    private ApiError notFound(ResourceStore store, String id) {
        return ApiError.notFound("No " + store.schema().title() + " with id '" + id + "' exists.");
    }

    /** A value, or the error answer given instead. */
    private record Outcome<T>(@Nullable T value, @Nullable Answer error) {
        static <T> Outcome<T> of(T value) {
            return new Outcome<>(value, null);
        }

        static <T> Outcome<T> failed(Answer error) {
            return new Outcome<>(null, error);
        }
    }

    /** The request body as an object, or the 400 answer to it. */
    private Outcome<ObjectNode> parseBody(ResourceStore store, byte[] bytes, boolean idAllowed) {
        ResourceSchema schema = store.schema();
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            return Outcome.failed(error(ApiError.of(
                    400,
                    "bad-request",
                    "Bad Request",
                    "The request body is not valid JSON: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || !node.isObject()) {
            return Outcome.failed(error(ApiError.of(
                    400,
                    "bad-request",
                    "Bad Request",
                    "The request body must be a JSON object, one " + schema.title())));
        }
        ObjectNode body = (ObjectNode) node;
        if (!idAllowed && body.has("id")) {
            return Outcome.failed(error(ApiError.of(
                    400,
                    "bad-request:data-validation-failed",
                    "Data Validation Failed",
                    "Resource identifiers cannot be assigned by the client. The 'id' property should not be"
                            + " included in the request body.")));
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        BodyValidator.validate(schema.shape(), body, "$", errors);
        if (options.checkDescriptors()) {
            checkDescriptors(body, "$", errors);
        }
        if (errors.isEmpty()) {
            for (String name : schema.identityNames()) {
                if (NaturalKeys.value(body, requireNonNull(schema.flattened().get(name)))
                        .isEmpty()) {
                    errors.computeIfAbsent("$." + name, k -> new ArrayList<>())
                            .add(name + " is required: it is part of the " + schema.title() + " natural key.");
                }
            }
        }
        if (!errors.isEmpty()) {
            return Outcome.failed(error(ApiError.validation("Validation of '" + schema.title() + "' failed.", errors)));
        }
        return Outcome.of(body);
    }

    private void checkDescriptors(JsonNode node, String path, Map<String, List<String>> errors) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String here = path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isTextual() && field.getKey().endsWith("Descriptor")) {
                Optional<ResourceSchema> descriptor = model.descriptorFor(field.getKey());
                if (descriptor.isPresent() && !descriptorExists(descriptor.get(), value.asText())) {
                    errors.computeIfAbsent(here, k -> new ArrayList<>())
                            .add(descriptor.get().title() + " value '" + value.asText() + "' does not exist.");
                }
            } else if (value.isObject()) {
                checkDescriptors(value, here, errors);
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    if (value.get(i).isObject()) {
                        checkDescriptors(value.get(i), here + "[" + i + "]", errors);
                    }
                }
            }
        }
    }

    private boolean descriptorExists(ResourceSchema descriptor, String uri) {
        int hash = uri.lastIndexOf('#');
        if (hash <= 0) {
            return false;
        }
        Map<String, String> key = new TreeMap<>();
        key.put("namespace", uri.substring(0, hash));
        key.put("codeValue", uri.substring(hash + 1));
        ResourceStore store = requireNonNull(stores.get(descriptor.path()));
        return store.contains(NaturalKeys.key(key));
    }

    /**
     * Counts a link to every reference's target: the links, or the 409 answer (with nothing counted) when a
     * reference does not resolve.
     */
    private Outcome<List<Link>> acquireLinks(ResourceStore store, ObjectNode body) {
        List<Link> links = new ArrayList<>();
        if (!options.checkReferences()) {
            return Outcome.of(links);
        }
        ResourceSchema schema = store.schema();
        for (ReferenceProperty reference : schema.references()) {
            JsonNode value = body.get(reference.property());
            if (value == null || !value.isObject()) {
                continue;
            }
            Optional<Link> link = Optional.empty();
            for (EdFiModel.ReferenceTarget target : model.targets(reference)) {
                Map<String, String> key = new TreeMap<>();
                for (String field : reference.fields()) {
                    JsonNode fieldValue = value.get(field);
                    if (fieldValue != null && !fieldValue.isNull()) {
                        key.put(
                                requireNonNull(target.identityNameByField().get(field)),
                                NaturalKeys.normalize(fieldValue));
                    }
                }
                ResourceStore targetStore =
                        requireNonNull(stores.get(target.schema().path()));
                String targetKey = NaturalKeys.key(key);
                if (targetStore.link(targetKey, schema.path())) {
                    link = Optional.of(new Link(targetStore, targetKey));
                    break;
                }
            }
            if (link.isEmpty()) {
                release(store, links);
                String entity = EdFiModel.capitalize(reference
                        .targetSchema()
                        .substring(reference.targetSchema().indexOf('_') + 1));
                Map<String, List<String>> errors = new LinkedHashMap<>();
                errors.put("$." + reference.property(), List.of("The referenced " + entity + " item does not exist."));
                return Outcome.failed(error(new ApiError(
                        409,
                        "data-conflict:unresolved-reference",
                        "Unresolved Reference",
                        "The value supplied for the related '" + entity + "' resource does not exist ("
                                + reference.property() + " " + value + ").",
                        errors)));
            }
            links.add(link.get());
        }
        return Outcome.of(links);
    }

    private static void release(ResourceStore store, List<Link> links) {
        for (Link link : links) {
            link.target().unlink(link.key(), store.schema().path());
        }
    }

    private Version version(ResourceSchema schema, ObjectNode body, String id, long sequence, List<Link> outgoing) {
        ObjectNode stored = json.createObjectNode();
        stored.put("id", id);
        if (schema.descriptor()) {
            stored.put(schema.descriptorIdProperty(), sequence);
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!field.getKey().equals("id")
                    && !field.getKey().startsWith("_")
                    && !field.getKey().equals(schema.descriptorIdProperty())) {
                stored.set(field.getKey(), field.getValue());
            }
        }
        String etag = String.valueOf(etags.incrementAndGet());
        stored.put("_etag", etag);
        stored.put("_lastModifiedDate", Instant.now().toString());
        return new Version(stored, bytes(stored), etag, outgoing);
    }

    private void loadDefaultDescriptors() {
        for (String line : model.descriptorValueLines()) {
            ObjectNode node;
            try {
                node = (ObjectNode) json.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("bundled descriptor-values.jsonl has a bad line: " + line, e);
            }
            String resource = node.remove("resource").asText();
            ResourceStore store = stores.get(resource);
            if (store == null) {
                continue;
            }
            int status = upsert(store, bytes(node)).status();
            if (status != 201 && status != 200) {
                throw new IllegalStateException(
                        "bundled default descriptor " + line + " was refused with status " + status);
            }
        }
    }

    // ---------------------------------------------------------------- documents

    private byte[] discoveryRoot() {
        ObjectNode root = json.createObjectNode();
        root.put("version", "7.1");
        root.put("applicationName", "Ed-Fi ODS / API");
        root.put("informationalVersion", "7.1");
        root.put("suite", "3");
        root.put("build", "7.1.0.0");
        ObjectNode dataModel = root.putArray("dataModels").addObject();
        dataModel.put("name", "Ed-Fi");
        dataModel.put("version", "5.0.0");
        dataModel.put("informationalVersion", "The Ed-Fi Data Model 5.0");
        ObjectNode urls = root.putObject("urls");
        urls.put(
                "dependencies",
                baseUrl().resolve("metadata/data/v3/dependencies").toString());
        urls.put("openApiMetadata", baseUrl().resolve("metadata/").toString());
        urls.put("oauth", oauthUrl().toString());
        urls.put("dataManagementApi", dataUrl().toString());
        return bytes(root);
    }

    private byte[] metadataListing() {
        ArrayNode listing = json.createArrayNode();
        for (String name : List.of("Resources", "Descriptors")) {
            ObjectNode entry = listing.addObject();
            entry.put("name", name);
            entry.put(
                    "endpointUri",
                    baseUrl()
                            .resolve("metadata/data/v3/" + name.toLowerCase(Locale.ROOT) + "/swagger.json")
                            .toString());
            entry.put("prefix", "");
        }
        return bytes(listing);
    }

    /** The bundled OpenAPI document with its server and token URLs pointing at this server. */
    private byte[] servedOpenApi(ObjectNode document) {
        ObjectNode copy = document.deepCopy();
        ArrayNode servers = copy.putArray("servers");
        String data = dataUrl().toString();
        servers.addObject().put("url", data.substring(0, data.length() - 1));
        JsonNode flows = copy.path("components").path("securitySchemes");
        for (JsonNode scheme : flows) {
            JsonNode clientCredentials = scheme.path("flows").path("clientCredentials");
            if (clientCredentials instanceof ObjectNode node) {
                node.put("tokenUrl", oauthUrl().toString());
            }
        }
        return bytes(copy);
    }

    // ---------------------------------------------------------------- helpers

    private ResourceStore store(String resource) {
        requireNonNull(resource, "resource is null");
        String path = resource.startsWith("/") ? resource : "/" + resource;
        if (path.indexOf('/', 1) < 0) {
            path = "/ed-fi" + path;
        }
        ResourceStore store = stores.get(path);
        if (store == null) {
            throw new IllegalArgumentException("unknown Ed-Fi resource '" + resource + "'; served resources: "
                    + String.join(", ", stores.keySet()));
        }
        return store;
    }

    private Answer error(ApiError error) {
        return Answer.json(error.status(), error.render(options.errorStyle(), json));
    }

    private static ApiError parameterError(String message) {
        return new ApiError(
                400, "bad-request:parameter-validation-failed", "Parameter Validation Failed", message, Map.of());
    }

    private Answer methodNotAllowed(String method, String path) {
        return error(
                ApiError.of(405, "method-not-allowed", "Method Not Allowed", method + " is not supported on " + path));
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : split(raw, '&')) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    static Optional<Long> whole(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean decimal(String text) {
        try {
            new java.math.BigDecimal(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@code text} split at every {@code separator}, keeping empty parts. */
    static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }
}
