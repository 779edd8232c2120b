package io.ferry.edfi.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.config.ApiMode;
import io.ferry.edfi.config.ApiSettings;
import io.ferry.edfi.config.ConnectionSettings;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed-Fi API over HTTP/1.1 with kept-alive connections. At most {@code pool_size} requests are in
 * flight at once, whatever the number of calling threads. Requests answered with a retry status
 * (429 waits for its {@code Retry-After}) or failing on the connection or a timeout are retried with
 * exponential backoff, at most {@code num_retries} times. The OAuth token is renewed before it
 * expires, and on a 401 once for all requests that used the same token: a request is re-sent after a
 * 401 at most once. Thread-safe; blocking calls, meant for virtual threads.
 */
public final class EdFiClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdFiClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private final EdFiConfig config;
    private final ConnectionSettings connection;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final ApiUrls urls;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final Object tokenLock = new Object();
    private @Nullable String token;
    private Instant tokenRenewAt = Instant.MIN;
    private long tokenGeneration;

    private EdFiClient(EdFiConfig config, HttpClient http, ApiUrls urls) {
        this.config = config;
        this.connection = config.connection();
        this.http = http;
        this.inFlight = new Semaphore(connection.poolSize());
        this.urls = urls;
    }

    /** Connects to the API of {@code config}: reads the discovery document unless every URL is configured. */
    public static EdFiClient connect(EdFiConfig config) {
        HttpClient http = httpClient(config.connection());
        ApiUrls urls = discover(config, http);
        return new EdFiClient(config, http, urls);
    }

    public ApiUrls urls() {
        return urls;
    }

    public EdFiConfig config() {
        return config;
    }

    /** Requests sent, counting every retry. */
    public long requestCount() {
        return requests.get();
    }

    public long retryCount() {
        return retries.get();
    }

    private static HttpClient httpClient(ConnectionSettings connection) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connection.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (!connection.verifySsl()) {
            // verify_ssl: False trusts any certificate for any host name, as lightbeam's does. The JDK reads this
            // property once per JVM, when its HTTP client classes load: the first client decides.
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
            builder.sslContext(trustingEverything());
        }
        return builder.build();
    }

    private static SSLContext trustingEverything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager trustAll = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    private static ApiUrls discover(EdFiConfig config, HttpClient http) {
        ApiSettings api = config.api();
        String base = api.baseUrl();
        JsonNode root = JSON.createObjectNode();
        boolean needsDiscovery = api.oauthUrl().isEmpty()
                || api.dependenciesUrl().isEmpty()
                || api.openApiMetadataUrl().isEmpty();
        if (needsDiscovery || api.mode() == ApiMode.YEAR_SPECIFIC || api.mode() == ApiMode.INSTANCE_YEAR_SPECIFIC) {
            ApiResponse answer;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base))
                        .timeout(config.connection().timeout())
                        .header("Accept", "application/json")
                        .GET()
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                answer = new ApiResponse(response.statusCode(), response.body(), response.headers());
            } catch (IOException | IllegalArgumentException e) {
                throw new FerryException(
                        EdFiErrorCode.API_UNREACHABLE,
                        "cannot reach the Ed-Fi API at edfi_api.base_url " + base + " (" + describe(e)
                                + "); check the URL and that the API is up (example: base_url: https://api.example.org/v7.1/api)",
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(EdFiErrorCode.API_UNREACHABLE, "interrupted while reading " + base, e);
            }
            if (!answer.isSuccess()) {
                throw new FerryException(
                        EdFiErrorCode.API_ERROR,
                        "edfi_api.base_url " + base + " answered HTTP " + answer.status() + " ("
                                + answer.conciseBody(200) + "); set base_url to the API root that serves the"
                                + " discovery document (example: base_url: https://api.example.org/v7.1/api)");
            }
            try {
                root = JSON.readTree(answer.body());
            } catch (IOException e) {
                throw new FerryException(
                        EdFiErrorCode.API_ERROR,
                        "edfi_api.base_url " + base + " did not answer a JSON discovery document ("
                                + answer.conciseBody(120)
                                + "); set base_url to the Ed-Fi API root (example: base_url: https://api.example.org/v7.1/api)",
                        e);
            }
            if (needsDiscovery && (root == null || !root.path("urls").isObject())) {
                throw new FerryException(
                        EdFiErrorCode.API_ERROR,
                        "the document at edfi_api.base_url " + base + " has no 'urls' object, so it is not an Ed-Fi"
                                + " discovery document; set base_url to the API root, or set oauth_url, dependencies_url"
                                + " and open_api_metadata_url");
            }
        }
        JsonNode discovered = root == null ? JSON.createObjectNode() : root.path("urls");
        int major = majorVersion(root == null ? "" : root.path("version").asText(""));
        String oauth = pick(api.oauthUrl(), templated(discovered.path("oauth").asText(""), api));
        String dependencies = pick(
                api.dependenciesUrl(), templated(discovered.path("dependencies").asText(""), api));
        String openApi = pick(
                api.openApiMetadataUrl(),
                templated(discovered.path("openApiMetadata").asText(""), api));
        String data = dataUrl(api, discovered.path("dataManagementApi").asText(""), major);
        if (oauth.isEmpty()) {
            oauth = ApiUrls.join(base, "oauth/token");
        }
        return new ApiUrls(base, oauth, dependencies, openApi, data);
    }

    private static String pick(String configured, String discovered) {
        return configured.isEmpty() ? discovered : configured;
    }

    private static int majorVersion(String version) {
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
    }

    /** Fills route placeholders such as {@code {schoolYearFromRoute}} or {@code {instance}} of a discovered URL. */
    private static String templated(String url, ApiSettings api) {
        if (!url.contains("{")) {
            return url;
        }
        StringBuilder result = new StringBuilder();
        int at = 0;
        while (at < url.length()) {
            int open = url.indexOf('{', at);
            int close = open < 0 ? -1 : url.indexOf('}', open);
            if (open < 0 || close < 0) {
                result.append(url, at, url.length());
                break;
            }
            result.append(url, at, open);
            String name = url.substring(open + 1, close).toLowerCase(Locale.ROOT);
            if (name.contains("year")) {
                result.append(api.year());
            } else if (name.contains("instance") || name.contains("district") || name.contains("tenant")) {
                result.append(api.instanceCode());
            } else {
                result.append(url, open, close + 1);
            }
            at = close + 1;
        }
        return result.toString();
    }

    private static String dataUrl(ApiSettings api, String discovered, int major) {
        String base = api.baseUrl();
        boolean ods7 = major >= 7;
        return switch (api.mode()) {
            case SHARED_INSTANCE, SANDBOX, DISTRICT_SPECIFIC ->
                discovered.isEmpty() || discovered.contains("{")
                        ? ApiUrls.join(base, "data/v3")
                        : trimSlash(discovered);
            case YEAR_SPECIFIC -> {
                if (discovered.contains("{")) {
                    yield trimSlash(templated(discovered, api));
                }
                if (containsSegment(discovered, String.valueOf(api.year()))) {
                    yield trimSlash(discovered);
                }
                yield ods7 ? ApiUrls.join(base, api.year() + "/data/v3") : ApiUrls.join(base, "data/v3/" + api.year());
            }
            case INSTANCE_YEAR_SPECIFIC -> {
                if (discovered.contains("{")) {
                    yield trimSlash(templated(discovered, api));
                }
                if (containsSegment(discovered, String.valueOf(api.year()))
                        && containsSegment(discovered, api.instanceCode())) {
                    yield trimSlash(discovered);
                }
                yield ods7
                        ? ApiUrls.join(base, api.instanceCode() + "/" + api.year() + "/data/v3")
                        : ApiUrls.join(base, "data/v3/" + api.instanceCode() + "/" + api.year());
            }
        };
    }

    private static boolean containsSegment(String url, String segment) {
        return !segment.isEmpty() && (url.contains("/" + segment + "/") || url.endsWith("/" + segment));
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The API's resources in dependency order: the entries of the dependencies document that allow
     * Create, sorted by their order (stable), each once.
     */
    public List<ApiResource> resourcesInDependencyOrder() {
        if (urls.dependenciesUrl().isEmpty()) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR,
                    "the API's discovery document names no dependencies URL; set edfi_api.dependencies_url"
                            + " (example: dependencies_url: https://api.example.org/metadata/data/v3/dependencies)");
        }
        ApiResponse answer = get(urls.dependenciesUrl(), false);
        if (!answer.isSuccess()) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR,
                    "the dependencies URL " + urls.dependenciesUrl() + " answered HTTP " + answer.status() + " ("
                            + answer.conciseBody(200) + "); check edfi_api.dependencies_url");
        }
        JsonNode entries;
        try {
            entries = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR,
                    "the dependencies URL " + urls.dependenciesUrl() + " did not answer JSON",
                    e);
        }
        record Entry(int order, int index, ApiResource resource) {}
        List<Entry> found = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : entries) {
            JsonNode operations = entry.get("operations");
            boolean creatable = operations == null || !operations.isArray();
            if (operations != null && operations.isArray()) {
                for (JsonNode operation : operations) {
                    creatable |= operation.asText().equals("Create");
                }
            }
            String path = entry.path("resource").asText("");
            String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
            if (!creatable || parts.length != 2) {
                continue;
            }
            found.add(new Entry(entry.path("order").asInt(0), index++, new ApiResource(parts[0], parts[1])));
        }
        found.sort(Comparator.comparingInt(Entry::order).thenComparingInt(Entry::index));
        List<ApiResource> ordered = new ArrayList<>();
        for (Entry entry : found) {
            if (!ordered.contains(entry.resource())) {
                ordered.add(entry.resource());
            }
        }
        return ordered;
    }

    /** GET with the bearer token. */
    public ApiResponse get(String url) {
        return get(url, true);
    }

    public ApiResponse get(String url, boolean authorized) {
        return exchange(url, "GET", null, authorized);
    }

    /** POST of a JSON payload (an upsert). */
    public ApiResponse post(String url, byte[] json) {
        return exchange(url, "POST", json, true);
    }

    public ApiResponse delete(String url) {
        return exchange(url, "DELETE", null, true);
    }

    private ApiResponse exchange(String url, String method, byte @Nullable [] body, boolean authorized) {
        boolean renewedAfter401 = false;
        int attempt = 0;
        while (true) {
            long generation = 0;
            String bearer = null;
            if (authorized) {
                synchronized (tokenLock) {
                    bearer = currentToken();
                    generation = tokenGeneration;
                }
            }
            ApiResponse response;
            try {
                response = send(url, method, body, bearer);
            } catch (IOException e) {
                if (attempt >= connection.numRetries()) {
                    throw new FerryException(
                            EdFiErrorCode.API_UNREACHABLE,
                            method + " " + url + " failed after " + (attempt + 1) + " attempts: " + describe(e)
                                    + "; check the API, or raise connection.num_retries or connection.timeout",
                            e);
                }
                log.debug("{} {} failed ({}); retrying", method, url, describe(e));
                pause(backoff(attempt));
                attempt++;
                retries.incrementAndGet();
                continue;
            }
            if (response.status() == 401 && authorized && !renewedAfter401) {
                renewedAfter401 = true;
                renewAfter401(generation);
                continue;
            }
            if (connection.retryStatuses().contains(response.status()) && attempt < connection.numRetries()) {
                Duration wait = backoff(attempt);
                Duration retryAfter = retryAfter(response);
                if (retryAfter.compareTo(wait) > 0) {
                    wait = retryAfter;
                }
                log.debug("{} {} answered {}; retrying in {} ms", method, url, response.status(), wait.toMillis());
                pause(wait);
                attempt++;
                retries.incrementAndGet();
                continue;
            }
            return response;
        }
    }

    private ApiResponse send(String url, String method, byte @Nullable [] body, @Nullable String bearer)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(connection.timeout())
                .header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(EdFiErrorCode.API_UNREACHABLE, "interrupted before " + method + " " + url, e);
        }
        try {
            requests.incrementAndGet();
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiResponse(response.statusCode(), response.body(), response.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(EdFiErrorCode.API_UNREACHABLE, "interrupted during " + method + " " + url, e);
        } finally {
            inFlight.release();
        }
    }

    private Duration backoff(int attempt) {
        double seconds = 0.1 * Math.pow(Math.max(connection.backoffFactor(), 1.0), attempt);
        if (connection.backoffFactor() == 0) {
            seconds = 0;
        }
        long millis = (long) Math.min((double) MAX_BACKOFF.toMillis(), seconds * 1000);
        long jitter = millis == 0 ? 0 : ThreadLocalRandom.current().nextLong(millis / 4 + 1);
        return Duration.ofMillis(millis + jitter);
    }

    private static Duration retryAfter(ApiResponse response) {
        String value = response.headers().firstValue("Retry-After").orElse("").strip();
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        Duration wait;
        try {
            wait = Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(
                        Instant.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
            } catch (DateTimeParseException notDate) {
                return Duration.ZERO;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private static void pause(Duration wait) {
        if (wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(EdFiErrorCode.API_UNREACHABLE, "interrupted while waiting to retry", e);
        }
    }

    /** Obtains a token now, so that wrong credentials fail before any work starts. */
    public void authenticate() {
        synchronized (tokenLock) {
            currentToken();
        }
    }

    private String currentToken() {
        if (token == null || !Instant.now().isBefore(tokenRenewAt)) {
            fetchToken();
        }
        return java.util.Objects.requireNonNull(token);
    }

    private void renewAfter401(long generationUsed) {
        synchronized (tokenLock) {
            if (tokenGeneration == generationUsed) {
                log.debug("renewing the OAuth token after a 401 answer");
                fetchToken();
            }
        }
    }

    private void fetchToken() {
        ApiSettings api = config.api();
        String credentials = Base64.getEncoder()
                .encodeToString((api.clientId() + ":" + api.clientSecret().reveal()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(urls.oauthUrl()))
                .timeout(connection.timeout())
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        HttpResponse<String> response = null;
        for (int attempt = 0; ; attempt++) {
            try {
                requests.incrementAndGet();
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (!connection.retryStatuses().contains(response.statusCode()) || attempt >= connection.numRetries()) {
                    break;
                }
            } catch (IOException e) {
                if (attempt >= connection.numRetries()) {
                    throw new FerryException(
                            EdFiErrorCode.API_UNREACHABLE,
                            "cannot reach the OAuth URL " + urls.oauthUrl() + " (" + describe(e)
                                    + "); check edfi_api.oauth_url" + " and that the API is up",
                            e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(EdFiErrorCode.API_UNREACHABLE, "interrupted while fetching a token", e);
            }
            retries.incrementAndGet();
            pause(backoff(attempt));
        }
        int status = response.statusCode();
        if (status == 400 || status == 401 || status == 403) {
            throw new FerryException(
                    EdFiErrorCode.AUTH_FAILED,
                    "the API at " + urls.oauthUrl() + " refused client_id '" + api.clientId() + "' (HTTP " + status
                            + (response.body().contains("invalid_client") ? " invalid_client" : "")
                            + "); check edfi_api.client_id and edfi_api.client_secret (example: client_secret: ${EDFI_CLIENT_SECRET})");
        }
        if (status < 200 || status >= 300) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR,
                    "the OAuth URL " + urls.oauthUrl() + " answered HTTP " + status + "; check edfi_api.oauth_url");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR, "the OAuth URL " + urls.oauthUrl() + " did not answer JSON", e);
        }
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR, "the OAuth URL " + urls.oauthUrl() + " answered no access_token");
        }
        long lifetime = body.path("expires_in").asLong(3600);
        // Renew when 90% of the lifetime has passed (at most a minute before expiry), so no request carries a dying
        // token.
        long margin = Math.min(60, Math.max(1, lifetime / 10));
        token = accessToken;
        tokenRenewAt = Instant.now().plusSeconds(Math.max(0, lifetime - margin));
        tokenGeneration++;
    }

    private static String describe(Exception e) {
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        http.close();
    }
}
