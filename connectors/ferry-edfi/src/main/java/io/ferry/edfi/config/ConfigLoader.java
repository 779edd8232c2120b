package io.ferry.edfi.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a lightbeam YAML file with lightbeam's keys and defaults. String values may reference
 * environment variables as {@code ${NAME}} or {@code $NAME}; {@code params} (the {@code -p} JSON)
 * take precedence over the environment. Every unknown key and bad value is reported at once, each
 * with its key path and a fix. The client secret never appears in a message.
 */
public final class ConfigLoader {
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Set<String> SECRET_KEYS = Set.of("edfi_api.client_secret");
    private static final Map<String, List<String>> SECTIONS = Map.of(
            "",
            List.of(
                    "state_dir",
                    "data_dir",
                    "namespace",
                    "namespace_overrides",
                    "edfi_api",
                    "connection",
                    "count",
                    "fetch",
                    "force_delete",
                    "log_level",
                    "show_stacktrace",
                    "validate"),
            "edfi_api",
            List.of(
                    "base_url",
                    "oauth_url",
                    "dependencies_url",
                    "open_api_metadata_url",
                    "descriptors_swagger_url",
                    "resources_swagger_url",
                    "version",
                    "mode",
                    "year",
                    "instance_code",
                    "client_id",
                    "client_secret"),
            "connection",
            List.of("pool_size", "timeout", "num_retries", "backoff_factor", "retry_statuses", "verify_ssl"),
            "count",
            List.of("separator"),
            "fetch",
            List.of("page_size"),
            "validate",
            List.of("methods", "references"),
            "validate.references",
            List.of("max_failures"));
    private static final Set<String> LOG_LEVELS = Set.of("DEBUG", "INFO", "WARN", "WARNING", "ERROR", "CRITICAL");

    private final Map<String, String> params;
    private final Map<String, String> environment;
    private final Path workingDir;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Map<String, String> params, Map<String, String> environment, Path workingDir) {
        this.params = Map.copyOf(params);
        this.environment = Map.copyOf(environment);
        this.workingDir = workingDir;
    }

    /** Loads {@code file}, resolving relative directories against the working directory as lightbeam does. */
    public static EdFiConfig load(Path file, Map<String, String> params, Map<String, String> environment) {
        return load(file, params, environment, Path.of("").toAbsolutePath());
    }

    public static EdFiConfig load(
            Path file, Map<String, String> params, Map<String, String> environment, Path workingDir) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_CONFIG,
                    "config file " + file
                            + " does not exist; pass the lightbeam YAML with -c (example: -c lightbeam.yaml)");
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_CONFIG, "cannot read config file " + file + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_CONFIG,
                    "config file " + file + " is not valid YAML: " + e.getOriginalMessage() + locationOf(e)
                            + "; fix the YAML syntax (example: 'connection:\\n  pool_size: 8')",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new FerryException(
                    EdFiErrorCode.BAD_CONFIG,
                    "config file " + file
                            + " must be a YAML mapping of lightbeam keys (example: 'edfi_api:\\n  base_url: https://api.example.org')");
        }
        return new ConfigLoader(params, environment, workingDir).read(file, root);
    }

    private static String locationOf(JsonProcessingException e) {
        var location = e.getLocation();
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private EdFiConfig read(Path file, JsonNode root) {
        checkKeys("", root);
        JsonNode api = section(root, "edfi_api");
        JsonNode connection = section(root, "connection");
        JsonNode count = section(root, "count");
        JsonNode fetch = section(root, "fetch");
        JsonNode validate = section(root, "validate");
        JsonNode references = validate.isObject() ? section(validate, "validate.references", "references") : validate;

        String stateDirText = string(root, "state_dir", "", "state_dir: ~/.lightbeam/");
        String dataDirText = string(root, "data_dir", "./", "data_dir: ./data/");
        String namespace = string(root, "namespace", "ed-fi", "namespace: ed-fi");
        Map<String, List<String>> overrides = namespaceOverrides(root.get("namespace_overrides"));

        String baseUrl = string(api, "edfi_api.base_url", "", "base_url: https://api.example.org/v7.1/api");
        if (baseUrl.isBlank()) {
            problems.add("edfi_api.base_url is missing; set it to the API's root URL"
                    + " (example: edfi_api:\\n  base_url: https://api.example.org/v7.1/api)");
        } else if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            problems.add("edfi_api.base_url must be an http:// or https:// URL, got '" + baseUrl
                    + "' (example: base_url: https://api.example.org/v7.1/api)");
        }
        int version = integer(api, "edfi_api.version", 3, 3, 3, "version: 3");
        String modeText = string(api, "edfi_api.mode", "year_specific", "mode: shared_instance");
        ApiMode mode = ApiMode.fromYaml(modeText.isEmpty() || modeText.equals("null") ? "shared_instance" : modeText)
                .orElse(null);
        if (mode == null) {
            problems.add("edfi_api.mode must be one of shared_instance, sandbox, district_specific, year_specific,"
                    + " instance_year_specific, got '" + modeText + "'" + suggestion(modeText, modeNames())
                    + " (example: mode: year_specific)");
            mode = ApiMode.SHARED_INSTANCE;
        }
        int year = integer(
                api,
                "edfi_api.year",
                LocalDate.now(java.time.ZoneId.systemDefault()).getYear(),
                1900,
                2999,
                "year: 2025");
        String instanceCode = string(api, "edfi_api.instance_code", "", "instance_code: 255901");
        if (mode == ApiMode.INSTANCE_YEAR_SPECIFIC && instanceCode.isEmpty()) {
            problems.add(
                    "edfi_api.instance_code is required for mode instance_year_specific (example: instance_code: 255901)");
        }
        ApiSettings apiSettings = new ApiSettings(
                baseUrl.isBlank() ? "http://invalid" : baseUrl,
                string(api, "edfi_api.oauth_url", "", "oauth_url: https://api.example.org/oauth/token"),
                string(
                        api,
                        "edfi_api.dependencies_url",
                        "",
                        "dependencies_url: https://api.example.org/metadata/data/v3/dependencies"),
                string(
                        api,
                        "edfi_api.open_api_metadata_url",
                        "",
                        "open_api_metadata_url: https://api.example.org/metadata/"),
                string(
                        api,
                        "edfi_api.descriptors_swagger_url",
                        "",
                        "descriptors_swagger_url: https://api.example.org/metadata/data/v3/descriptors/swagger.json"),
                string(
                        api,
                        "edfi_api.resources_swagger_url",
                        "",
                        "resources_swagger_url: https://api.example.org/metadata/data/v3/resources/swagger.json"),
                version,
                mode,
                year,
                instanceCode,
                string(api, "edfi_api.client_id", "", "client_id: my-key"),
                new Secret(string(api, "edfi_api.client_secret", "", "client_secret: ${EDFI_CLIENT_SECRET}")));

        ConnectionSettings defaults = ConnectionSettings.defaults();
        int poolSize = integer(connection, "connection.pool_size", defaults.poolSize(), 1, 1024, "pool_size: 8");
        double timeout = number(connection, "connection.timeout", 60, 0.001, 86_400, "timeout: 60");
        int numRetries =
                integer(connection, "connection.num_retries", defaults.numRetries(), 0, 100, "num_retries: 10");
        double backoff =
                number(connection, "connection.backoff_factor", defaults.backoffFactor(), 0, 60, "backoff_factor: 1.5");
        Set<Integer> retryStatuses = statuses(connection, "connection.retry_statuses", defaults.retryStatuses());
        boolean verifySsl = bool(connection, "connection.verify_ssl", true, "verify_ssl: true");

        String separator = string(count, "count.separator", "\t", "separator: ','");
        int pageSize = integer(fetch, "fetch.page_size", 100, 1, 500, "page_size: 100");
        boolean forceDelete = bool(root, "force_delete", false, "force_delete: true");
        String logLevel = string(root, "log_level", "INFO", "log_level: INFO").toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            problems.add("log_level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got '" + logLevel
                    + "' (example: log_level: INFO)");
            logLevel = "INFO";
        }
        boolean showStacktrace = bool(root, "show_stacktrace", false, "show_stacktrace: true");
        Set<ValidationMethod> methods = methods(validate.isObject() ? validate.get("methods") : null);
        int maxFailures =
                integer(references, "validate.references.max_failures", 10, 1, Integer.MAX_VALUE, "max_failures: 10");

        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("config file " + file + " has " + problems.size()
                    + (problems.size() == 1 ? " problem:" : " problems:"));
            for (String problem : problems) {
                message.append("\n  - ").append(problem);
            }
            throw new FerryException(EdFiErrorCode.BAD_CONFIG, message.toString());
        }
        return new EdFiConfig(
                file.toAbsolutePath(),
                stateDirText.isBlank() ? null : directory(stateDirText),
                directory(dataDirText),
                namespace,
                overrides,
                apiSettings,
                new ConnectionSettings(
                        poolSize,
                        Duration.ofMillis(Math.round(timeout * 1000)),
                        numRetries,
                        backoff,
                        retryStatuses,
                        verifySsl),
                separator,
                pageSize,
                forceDelete,
                logLevel,
                showStacktrace,
                methods,
                maxFailures);
    }

    private Path directory(String text) {
        String expanded = text;
        if (expanded.equals("~") || expanded.startsWith("~/")) {
            expanded = System.getProperty("user.home") + expanded.substring(1);
        }
        return workingDir.resolve(expanded).normalize();
    }

    private static List<String> modeNames() {
        List<String> names = new ArrayList<>();
        for (ApiMode mode : ApiMode.values()) {
            names.add(mode.yamlName());
        }
        return names;
    }

    private void checkKeys(String path, JsonNode node) {
        List<String> known = SECTIONS.get(path);
        if (known == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String full = path.isEmpty() ? name : path + "." + name;
            if (!known.contains(name)) {
                problems.add("unknown key " + full + suggestion(name, known) + "; remove it or use one of: "
                        + String.join(", ", known));
            } else if (SECTIONS.containsKey(full)) {
                checkKeys(full, node.get(name));
            }
        }
    }

    private JsonNode section(JsonNode parent, String name) {
        return section(parent, name, name);
    }

    private JsonNode section(JsonNode parent, String path, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            problems.add(path + " must be a mapping of keys, got '" + node.asText() + "' (example: " + name + ":\\n  "
                    + SECTIONS.getOrDefault(path, List.of("key")).get(0) + ": ...)");
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        return node;
    }

    private @Nullable String scalar(JsonNode parent, String path, String example) {
        String name = path.substring(path.lastIndexOf('.') + 1);
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            problems.add(path + " must be a single value, got a " + (node.isArray() ? "list" : "mapping")
                    + " (example: " + example + ")");
            return null;
        }
        return substitute(path, node.asText());
    }

    private String substitute(String path, String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            boolean braced = matcher.group(1) != null;
            String name = braced ? matcher.group(1) : matcher.group(2);
            String replacement = params.containsKey(name) ? params.get(name) : environment.get(name);
            if (replacement == null) {
                if (braced) {
                    problems.add(path + " references ${" + name + "}, which is neither an environment variable nor"
                            + " a -p parameter; set it (example: export " + name + "=... or -p '{\"" + name
                            + "\": \"...\"}')");
                }
                replacement = matcher.group();
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private String string(JsonNode parent, String path, String defaultValue, String example) {
        String value = scalar(parent, path, example);
        return value == null ? defaultValue : value;
    }

    private String shown(String path, String value) {
        return SECRET_KEYS.contains(path) ? "(hidden)" : "'" + value + "'";
    }

    private int integer(JsonNode parent, String path, int defaultValue, int min, int max, String example) {
        String value = scalar(parent, path, example);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min || parsed > max) {
                problems.add(path + " must be " + range(min, max) + ", got " + parsed + " (example: " + example + ")");
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(path + " must be a whole number, got " + shown(path, value) + " (example: " + example + ")");
            return defaultValue;
        }
    }

    private static String range(long min, long max) {
        return max == Integer.MAX_VALUE ? "at least " + min : min == max ? "" + min : "between " + min + " and " + max;
    }

    private double number(JsonNode parent, String path, double defaultValue, double min, double max, String example) {
        String value = scalar(parent, path, example);
        if (value == null) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value.strip());
            if (!(parsed >= min && parsed <= max)) {
                problems.add(path + " must be between " + min + " and " + max + ", got " + value.strip() + " (example: "
                        + example + ")");
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(path + " must be a number, got '" + value + "' (example: " + example + ")");
            return defaultValue;
        }
    }

    private boolean bool(JsonNode parent, String path, boolean defaultValue, String example) {
        String value = scalar(parent, path, example);
        if (value == null) {
            return defaultValue;
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> {
                return true;
            }
            case "false", "no", "off", "0" -> {
                return false;
            }
            default -> {
                problems.add(path + " must be true or false, got '" + value + "' (example: " + example + ")");
                return defaultValue;
            }
        }
    }

    private Set<Integer> statuses(JsonNode parent, String path, Set<Integer> defaultValue) {
        JsonNode node = parent.get("retry_statuses");
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        List<String> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> items.add(substitute(path, item.asText())));
        } else {
            for (String item : substitute(path, node.asText())
                    .replace("[", "")
                    .replace("]", "")
                    .split(",", -1)) {
                items.add(item);
            }
        }
        Set<Integer> result = new LinkedHashSet<>();
        for (String item : items) {
            if (item.isBlank()) {
                continue;
            }
            try {
                int status = Integer.parseInt(item.strip());
                if (status < 100 || status > 599) {
                    throw new NumberFormatException();
                }
                result.add(status);
            } catch (NumberFormatException e) {
                problems.add(path + " must list HTTP status codes (100-599), got '" + item.strip()
                        + "' (example: retry_statuses: [429, 500, 501, 503, 504])");
            }
        }
        return result;
    }

    private Set<ValidationMethod> methods(@Nullable JsonNode node) {
        Set<ValidationMethod> defaults =
                EnumSet.of(ValidationMethod.SCHEMA, ValidationMethod.DESCRIPTORS, ValidationMethod.UNIQUENESS);
        if (node == null || node.isNull()) {
            return defaults;
        }
        List<String> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> items.add(substitute("validate.methods", item.asText())));
        } else {
            for (String item : substitute("validate.methods", node.asText()).split(",", -1)) {
                items.add(item);
            }
        }
        Set<ValidationMethod> result = EnumSet.noneOf(ValidationMethod.class);
        for (String item : items) {
            if (item.isBlank()) {
                continue;
            }
            if (item.strip().equals("*")) {
                return EnumSet.allOf(ValidationMethod.class);
            }
            ValidationMethod method = ValidationMethod.fromYaml(item).orElse(null);
            if (method == null) {
                List<String> names = new ArrayList<>();
                for (ValidationMethod known : ValidationMethod.values()) {
                    names.add(known.yamlName());
                }
                problems.add("validate.methods: unknown method '" + item.strip() + "'" + suggestion(item.strip(), names)
                        + "; use '*' or a list of " + String.join(", ", names)
                        + " (example: methods: [schema, descriptors, uniqueness])");
            } else {
                result.add(method);
            }
        }
        return result;
    }

    private Map<String, List<String>> namespaceOverrides(@Nullable JsonNode node) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            problems.add("namespace_overrides must map a namespace to a list of resources, got '" + node.asText()
                    + "' (example: namespace_overrides:\\n  tpdm:\\n    - candidates)");
            return result;
        }
        node.properties().iterator().forEachRemaining(entry -> {
            List<String> resources = new ArrayList<>();
            if (entry.getValue().isArray()) {
                entry.getValue().forEach(item -> resources.add(item.asText()));
            } else {
                problems.add("namespace_overrides." + entry.getKey()
                        + " must be a list of resources (example: - candidates)");
            }
            result.put(entry.getKey(), resources);
        });
        return result;
    }

    /** A " (did you mean 'x'?)" hint when a known name is close to {@code given}, else empty. */
    static String suggestion(String given, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(given.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, given.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
