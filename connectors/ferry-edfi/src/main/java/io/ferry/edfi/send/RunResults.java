package io.ferry.edfi.send;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of a run, written as lightbeam's results file: the run's context, per resource the
 * records processed, skipped and failed with successes by status and failures grouped by status,
 * message and file (with line numbers), then totals and runtime. Thread-safe.
 */
public final class RunResults {
    /** lightbeam's exit code when every payload was skipped. */
    public static final int ALL_SKIPPED = 99;
    /** lightbeam's exit code when every payload failed. */
    public static final int ALL_FAILED = 1;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private final String command;
    private final EdFiConfig config;
    private final String apiUrl;
    private final LocalDateTime startedAt = LocalDateTime.now(java.time.ZoneId.systemDefault());
    private final long startedNanos = System.nanoTime();
    private final Map<String, ResourceResults> resources = new LinkedHashMap<>();

    public RunResults(String command, EdFiConfig config, String apiUrl) {
        this.command = command;
        this.config = config;
        this.apiUrl = apiUrl;
    }

    public synchronized ResourceResults resource(String name) {
        return resources.computeIfAbsent(name, ResourceResults::new);
    }

    public synchronized List<ResourceResults> resources() {
        return List.copyOf(resources.values());
    }

    public synchronized long totalProcessed() {
        return resources.values().stream()
                .mapToLong(ResourceResults::processedCount)
                .sum();
    }

    public synchronized long totalSkipped() {
        return resources.values().stream()
                .mapToLong(ResourceResults::skippedCount)
                .sum();
    }

    public synchronized long totalFailed() {
        return resources.values().stream()
                .mapToLong(ResourceResults::failedCount)
                .sum();
    }

    /** lightbeam's exit code of a send: 99 when every payload was skipped, 1 when every one failed, else 0. */
    public int exitCode() {
        long processed = totalProcessed();
        if (processed == totalSkipped()) {
            return ALL_SKIPPED;
        }
        if (processed == totalFailed()) {
            return ALL_FAILED;
        }
        return 0;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    public synchronized ObjectNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("started_at", TIMESTAMP.format(startedAt));
        root.put("working_dir", Path.of("").toAbsolutePath().toString());
        root.put("config_file", config.configFile().toString());
        root.put("data_dir", config.dataDir().toString());
        root.put("api_url", apiUrl);
        root.put("namespace", config.namespace());
        if (!config.namespaceOverrides().isEmpty()) {
            ObjectNode overrides = root.putObject("namespace_overrides");
            config.namespaceOverrides().forEach((namespace, names) -> {
                ArrayNode list = overrides.putArray(namespace);
                names.forEach(list::add);
            });
        }
        ObjectNode perResource = root.putObject("resources");
        resources.forEach((name, results) -> perResource.set(name, results.toJson()));
        Duration elapsed = elapsed();
        root.put("completed_at", TIMESTAMP.format(startedAt.plus(elapsed)));
        root.put("command", command);
        root.put("runtime_sec", elapsed.toNanos() / 1e9);
        root.put("total_records_processed", totalProcessed());
        root.put("total_records_skipped", totalSkipped());
        root.put("total_records_failed", totalFailed());
        return root;
    }

    /** Writes the results file (creating its folder), replacing it atomically. */
    public void write(Path file) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                .withArrayIndenter(new DefaultIndenter("    ", "\n"));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            String text = new ObjectMapper().writer(printer).writeValueAsString(toJson());
            // line_numbers on one line, as lightbeam writes them
            text = java.util.regex.Pattern.compile("\"line_numbers\" : \\[[\\d,\\s]*]")
                    .matcher(text)
                    .replaceAll(match ->
                            match.group().replaceAll("\\s+", "").replace("\"line_numbers\":", "\"line_numbers\": "));
            text = text.replace("\" : ", "\": ");
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, text);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_ARGUMENT,
                    "cannot write the results file " + file + ": " + e.getMessage() + "; choose a writable path"
                            + " (example: --results-file ./results/send.json)",
                    e);
        }
    }
}
