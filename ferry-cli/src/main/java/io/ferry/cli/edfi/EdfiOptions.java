package io.ferry.cli.edfi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.cli.StateOptions;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.config.ConfigLoader;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.send.ResendCriteria;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** lightbeam's command-line flags, shared by every {@code ferry edfi} command. */
final class EdfiOptions {
    // --state-dir: where state goes when the YAML names no state_dir
    @Mixin
    StateOptions state = new StateOptions();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CONFIG",
            description = "The lightbeam YAML file (same as -c). Default: ./lightbeam.yaml or ./lightbeam.yml."
                    + " Example: ferry edfi send lightbeam.yaml")
    @Nullable
    String positionalConfig;

    @Option(
            names = {"-c", "--config-file"},
            paramLabel = "CONFIG_FILE",
            description = "The lightbeam YAML file. Example: -c ./lightbeam.yaml")
    @Nullable
    String configFile;

    @Option(
            names = {"-s", "--selector"},
            paramLabel = "RESOURCES",
            description = "Resources to process: a comma list, * at either end of a name as a wildcard."
                    + " Default: all. Example: -s schools,student*")
    String selector = "*";

    @Option(
            names = {"-e", "--exclude"},
            paramLabel = "RESOURCES",
            description = "Resources to leave out, same syntax as -s. Example: -e *Descriptors")
    String exclude = "";

    @Option(
            names = {"-k", "--keep-keys"},
            paramLabel = "KEYS",
            description =
                    "fetch: the keys to keep in each record (comma list; * for all). Example: -k schoolId,nameOfInstitution")
    String keepKeys = "*";

    @Option(
            names = {"-d", "--drop-keys"},
            paramLabel = "KEYS",
            description = "fetch: keys to remove from each record. Example: -d id,_etag,_lastModifiedDate")
    String dropKeys = "";

    @Option(
            names = {"-q", "--query"},
            paramLabel = "JSON",
            description =
                    "count and fetch: filter by property values, a JSON object. Example: -q '{\"schoolId\": 255901001}'")
    String query = "{}";

    @Option(
            names = {"-p", "--params"},
            paramLabel = "JSON",
            description = "Values for ${VAR} references in the YAML file, a JSON object; they win over environment"
                    + " variables. Example: -p '{\"CLIENT_ID\": \"key\"}'")
    String params = "";

    @Option(
            names = {"-w", "--wipe"},
            description = "Ignore and replace the cached OpenAPI documents and descriptor values. Example: -w")
    boolean wipe;

    @Option(
            names = {"-f", "--force"},
            description = "send: send every payload, even those already answered. Example: -f")
    boolean force;

    @Option(
            names = {"-o", "-t", "--older-than"},
            paramLabel = "TIME",
            description = "send: also resend payloads last answered before this time. Example: -o 2024-08-01T00:00:00")
    @Nullable
    String olderThan;

    @Option(
            names = {"-n", "--newer-than"},
            paramLabel = "TIME",
            description = "send: also resend payloads last answered after this time. Example: -n 2024-08-01")
    @Nullable
    String newerThan;

    @Option(
            names = {"-r", "--resend-status-codes", "--retry-status-codes"},
            paramLabel = "CODES",
            description = "send: also resend payloads whose last answer had one of these statuses. Example: -r 409,500")
    @Nullable
    String resendStatusCodes;

    @Option(
            names = "--results-file",
            paramLabel = "FILE",
            description =
                    "Write lightbeam's JSON results file (count: the count table) here. Example: --results-file ./results/send.json")
    @Nullable
    String resultsFile;

    @Option(
            names = {"-y", "--yes"},
            description = "delete and truncate: do not ask for confirmation (as force_delete: true). Example: -y")
    boolean yes;

    Path configPath() {
        String chosen = configFile != null ? configFile : positionalConfig;
        if (chosen != null) {
            return Path.of(chosen);
        }
        for (String name : new String[] {"lightbeam.yaml", "lightbeam.yml"}) {
            if (Files.isRegularFile(Path.of(name))) {
                return Path.of(name);
            }
        }
        throw new FerryException(
                EdFiErrorCode.BAD_CONFIG,
                "no config file: pass the lightbeam YAML file with -c, or run where lightbeam.yaml is"
                        + " (example: ferry edfi send -c lightbeam.yaml)");
    }

    EdFiConfig loadConfig() {
        EdFiConfig config = ConfigLoader.load(configPath(), jsonObject("-p/--params", params), System.getenv());
        return config.stateDir() != null ? config : config.withStateDir(defaultStateDir(config));
    }

    /**
     * Without a state_dir in the YAML, state lives beside ferry's other state, one directory per API
     * (its base URL), so a second send skips what the first delivered as it does with a state_dir.
     */
    Path defaultStateDir(EdFiConfig config) {
        String baseUrl = config.api().baseUrl();
        String readable = baseUrl.replaceFirst("^[a-zA-Z]+://", "").replaceAll("[^A-Za-z0-9._-]+", "_");
        if (readable.length() > 60) {
            readable = readable.substring(0, 60);
        }
        String hash = Integer.toHexString(baseUrl.hashCode());
        return state.directory().resolve("edfi").resolve(readable + "-" + hash);
    }

    Map<String, String> queryParameters() {
        return jsonObject("-q/--query", query);
    }

    @Nullable
    Path resultsPath() {
        return resultsFile == null || resultsFile.isBlank()
                ? null
                : Path.of(resultsFile).toAbsolutePath();
    }

    static Set<String> keys(String list) {
        Set<String> keys = new LinkedHashSet<>();
        for (String key : list.split(",", -1)) {
            if (!key.isBlank()) {
                keys.add(key.strip());
            }
        }
        return keys;
    }

    ResendCriteria criteria() {
        Set<Integer> statuses = new LinkedHashSet<>();
        if (resendStatusCodes != null) {
            for (String code : resendStatusCodes.split(",", -1)) {
                if (code.isBlank()) {
                    continue;
                }
                try {
                    statuses.add(Integer.parseInt(code.strip()));
                } catch (NumberFormatException e) {
                    throw new FerryException(
                            EdFiErrorCode.BAD_ARGUMENT,
                            "-r/--resend-status-codes takes HTTP status codes, got '" + code.strip()
                                    + "' (example: -r 409,500)");
                }
            }
        }
        return new ResendCriteria(
                force, time("-o/--older-than", olderThan), time("-n/--newer-than", newerThan), statuses);
    }

    private static @Nullable Instant time(String option, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return ResendCriteria.parseTime(text)
                .orElseThrow(() -> new FerryException(
                        EdFiErrorCode.BAD_ARGUMENT,
                        option + " takes a date or time, got '" + text.strip() + "' (example: " + option.substring(0, 2)
                                + " 2024-08-01T13:00:00)"));
    }

    private static Map<String, String> jsonObject(String option, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        if (text.isBlank()) {
            return values;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_ARGUMENT,
                    option + " must be a JSON object, got '" + text + "' (example: " + option.substring(0, 2)
                            + " '{\"NAME\": \"value\"}')");
        }
        if (node == null || !node.isObject()) {
            throw new FerryException(
                    EdFiErrorCode.BAD_ARGUMENT,
                    option + " must be a JSON object, got '" + text + "' (example: " + option.substring(0, 2)
                            + " '{\"NAME\": \"value\"}')");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            values.put(
                    field.getKey(),
                    field.getValue().isTextual()
                            ? field.getValue().asText()
                            : field.getValue().toString());
        }
        return values;
    }
}
