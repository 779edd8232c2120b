package io.ferry.edfi.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.EdFiSession;
import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.api.ApiResponse;
import io.ferry.edfi.api.Metadata;
import io.ferry.edfi.api.ResourceSchemas;
import io.ferry.edfi.api.ResourceSchemas.IdentityField;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.config.ValidationMethod;
import io.ferry.edfi.data.ResourceFiles;
import io.ferry.edfi.send.ResourceResults;
import io.ferry.edfi.send.RunResults;
import io.ferry.edfi.state.PayloadHash;
import io.ferry.spi.error.FerryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks payload lines before they are sent: that each is a JSON object, then the configured
 * validate.methods: schema (types, required properties, lengths, from the API's Swagger 2 or
 * OpenAPI 3 resources document), uniqueness (no two lines with one natural key, by hash: linear
 * time), descriptors (values known locally or in the API) and references (the referenced record in
 * data_dir, else in the API; lookups concurrent and cached; after validate.references.max_failures
 * failed references the rest are not checked). Each failure names file, line, property and reason.
 */
public final class Validator {
    private static final Logger log = LoggerFactory.getLogger(Validator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final int PRINTED_PER_RESOURCE = 20;

    private final EdFiSession session;
    private final Metadata metadata;
    private final Set<ValidationMethod> methods;
    private final int maxReferenceFailures;
    private final AtomicInteger referenceFailures = new AtomicInteger();
    private final Map<String, CompletableFuture<Boolean>> apiLookups = new ConcurrentHashMap<>();
    private final Map<ApiResource, Set<String>> localKeys = new ConcurrentHashMap<>();
    private @Nullable ResourceSchemas schemas;
    private @Nullable DescriptorValues descriptors;

    public Validator(EdFiSession session, Metadata metadata) {
        this.session = session;
        this.metadata = metadata;
        EdFiConfig config = session.config();
        this.methods = config.validationMethods();
        this.maxReferenceFailures = config.referenceMaxFailures();
    }

    public void validate(List<ResourceFiles> resources, RunResults results) {
        if (!methods.isEmpty()) {
            schemas = metadata.resources();
        }
        if (methods.contains(ValidationMethod.DESCRIPTORS)) {
            descriptors = new DescriptorValues(session, metadata);
        }
        for (ResourceFiles resource : resources) {
            validate(resource, results.resource(resource.resource().name()));
        }
    }

    private void validate(ResourceFiles resource, ResourceResults counts) {
        ResourceSchemas documents = schemas;
        JsonNode schema = documents == null
                ? null
                : documents.schemaOf(resource.resource()).orElse(null);
        List<IdentityField> identity = documents == null ? List.of() : documents.identity(resource.resource());
        Map<PayloadHash, String> seen = new HashMap<>();
        AtomicInteger printed = new AtomicInteger();
        Semaphore pending = new Semaphore(session.config().connection().poolSize() * 4);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Path file : resource.files()) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String raw;
                    long number = 0;
                    while ((raw = reader.readLine()) != null) {
                        number++;
                        String line = raw.strip();
                        if (line.isEmpty()) {
                            continue;
                        }
                        String location = file + " line " + number;
                        JsonNode payload;
                        try {
                            payload = JSON.readTree(line);
                        } catch (IOException e) {
                            String reason = "json: not valid JSON (" + firstLine(e.getMessage()) + ")";
                            fail(counts, reason, file, number, printed);
                            continue;
                        }
                        if (payload == null || !payload.isObject()) {
                            fail(counts, "json: the line is not a JSON object", file, number, printed);
                            continue;
                        }
                        List<String> problems = new ArrayList<>();
                        if (methods.contains(ValidationMethod.UNIQUENESS) && !identity.isEmpty()) {
                            PayloadHash key = PayloadHash.of(naturalKey(payload, identity));
                            String first = seen.putIfAbsent(key, location);
                            if (first != null) {
                                problems.add("uniqueness: the natural key (" + describeKey(payload, identity)
                                        + ") is also at " + first);
                            }
                        }
                        long lineNumber = number;
                        pending.acquireUninterruptibly();
                        workers.execute(() -> {
                            try {
                                check(payload, schema, problems);
                                if (problems.isEmpty()) {
                                    counts.passed();
                                } else {
                                    fail(counts, problems.get(0), file, lineNumber, printed);
                                    for (String more : problems.subList(1, problems.size())) {
                                        print(more, file, lineNumber, counts.name(), printed);
                                    }
                                }
                            } finally {
                                pending.release();
                            }
                        });
                    }
                } catch (IOException e) {
                    throw new FerryException(
                            EdFiErrorCode.BAD_DATA, "cannot read data file " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private void fail(ResourceResults counts, String reason, Path file, long line, AtomicInteger printed) {
        counts.failed(0, reason, file.toString(), line);
        print(reason, file, line, counts.name(), printed);
    }

    private static void print(String reason, Path file, long line, String resource, AtomicInteger printed) {
        int shown = printed.incrementAndGet();
        if (shown <= PRINTED_PER_RESOURCE) {
            System.err.println(file + ":" + line + ": " + reason);
        } else if (shown == PRINTED_PER_RESOURCE + 1) {
            System.err.println("(more problems of " + resource + " are in the results file)");
        }
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private void check(JsonNode payload, @Nullable JsonNode schema, List<String> problems) {
        ResourceSchemas documents = schemas;
        if (documents == null) {
            return;
        }
        if (methods.contains(ValidationMethod.SCHEMA) && schema != null) {
            checkSchema(documents, payload, schema, "", problems);
        }
        if (descriptors != null) {
            checkDescriptors(payload, "", problems);
        }
        if (methods.contains(ValidationMethod.REFERENCES) && schema != null) {
            checkReferences(documents, payload, schema, problems);
        }
    }

    private static void checkSchema(
            ResourceSchemas documents, JsonNode value, JsonNode declared, String path, List<String> problems) {
        JsonNode schema = documents.resolve(declared);
        String name = path.isEmpty() ? "the payload" : "property '" + path + "'";
        if (value.isNull()) {
            return;
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add("schema: " + name + " must be an object, got " + shown(value));
                    return;
                }
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        problems.add(
                                "schema: property '" + join(path, required.asText()) + "' is required but missing");
                    }
                }
                JsonNode properties = schema.path("properties");
                for (Iterator<Map.Entry<String, JsonNode>> fields =
                                value.properties().iterator();
                        fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    JsonNode propertySchema = properties.get(field.getKey());
                    if (propertySchema != null) {
                        checkSchema(documents, field.getValue(), propertySchema, join(path, field.getKey()), problems);
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add("schema: " + name + " must be a list, got " + shown(value));
                    return;
                }
                if (schema.has("minItems")
                        && value.size() < schema.path("minItems").asInt()) {
                    problems.add("schema: " + name + " needs at least "
                            + schema.path("minItems").asInt() + " items, got " + value.size());
                }
                JsonNode items = schema.path("items");
                for (int i = 0; i < value.size(); i++) {
                    checkSchema(documents, value.get(i), items, path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add("schema: " + name + " must be a string, got " + shown(value));
                    return;
                }
                int length = value.asText().codePointCount(0, value.asText().length());
                if (schema.has("maxLength") && length > schema.path("maxLength").asInt()) {
                    problems.add("schema: " + name + " may have at most "
                            + schema.path("maxLength").asInt() + " characters, got " + length);
                }
                if (schema.has("minLength") && length < schema.path("minLength").asInt()) {
                    problems.add("schema: " + name + " needs at least "
                            + schema.path("minLength").asInt() + " characters, got " + shown(value));
                }
                if (schema.path("format").asText("").equals("date")
                        && !DATE.matcher(value.asText()).matches()) {
                    problems.add("schema: " + name + " must be a date YYYY-MM-DD, got " + shown(value));
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add("schema: " + name + " must be a whole number, got " + shown(value));
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add("schema: " + name + " must be a number, got " + shown(value));
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add("schema: " + name + " must be true or false, got " + shown(value));
                }
            }
            default -> {
                // No type constraint.
            }
        }
    }

    private void checkDescriptors(JsonNode value, String path, List<String> problems) {
        DescriptorValues known = descriptors;
        if (known == null) {
            return;
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields =
                            value.properties().iterator();
                    fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String property = join(path, field.getKey());
                if (field.getKey().endsWith("Descriptor") && field.getValue().isTextual()) {
                    String text = field.getValue().asText();
                    Optional<ApiResource> descriptor = known.resourceOf(text);
                    if (descriptor.isEmpty()) {
                        problems.add(
                                "descriptors: property '" + property + "' has '" + text
                                        + "', which is not a descriptor value of this API (example: uri://ed-fi.org/GradeLevelDescriptor#Ninth grade)");
                    } else if (!known.isKnown(descriptor.get(), text)) {
                        problems.add(
                                "descriptors: property '" + property + "' has '" + text + "', which is not a value of "
                                        + descriptor.get().name() + " in data_dir or in the API");
                    }
                } else {
                    checkDescriptors(field.getValue(), property, problems);
                }
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkDescriptors(value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private void checkReferences(ResourceSchemas documents, JsonNode payload, JsonNode schema, List<String> problems) {
        JsonNode properties = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = payload.properties().iterator(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().endsWith("Reference") || !field.getValue().isObject()) {
                continue;
            }
            if (referenceFailures.get() >= maxReferenceFailures) {
                return;
            }
            JsonNode declared = properties.path(field.getKey());
            Optional<String> target = documents.resourceOfReference(ResourceSchemas.refName(declared));
            if (target.isEmpty()) {
                continue;
            }
            String[] parts = target.get().split("/", -1);
            ApiResource resource = new ApiResource(parts[0], parts[1]);
            Map<String, String> key = new TreeMap<>();
            field.getValue().properties().iterator().forEachRemaining(entry -> {
                if (!entry.getKey().equals("link")) {
                    key.put(entry.getKey(), entry.getValue().asText());
                }
            });
            if (localKeys(documents, resource).contains(key.toString()) || existsInApi(resource, key)) {
                continue;
            }
            int failures = referenceFailures.incrementAndGet();
            if (failures > maxReferenceFailures) {
                return;
            }
            problems.add("references: property '" + field.getKey() + "' " + key + " matches no " + resource.name()
                    + " in data_dir or in the API"
                    + (failures == maxReferenceFailures
                            ? " (validate.references.max_failures reached: later references are not checked)"
                            : ""));
        }
    }

    private Set<String> localKeys(ResourceSchemas documents, ApiResource resource) {
        return localKeys.computeIfAbsent(resource, r -> {
            List<IdentityField> identity = documents.identity(r);
            Set<String> keys = new HashSet<>();
            for (Path file : session.data().filesOf(r)) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        try {
                            JsonNode payload = JSON.readTree(line);
                            Map<String, String> key = new TreeMap<>();
                            for (IdentityField field : identity) {
                                field.valueIn(payload).ifPresent(value -> key.put(field.queryName(), value.asText()));
                            }
                            keys.add(key.toString());
                        } catch (IOException e) {
                            // Reported when that file is validated.
                        }
                    }
                } catch (IOException e) {
                    log.warn("cannot read {}: {}", file, e.getMessage());
                }
            }
            return keys;
        });
    }

    private boolean existsInApi(ApiResource resource, Map<String, String> key) {
        String url = session.client().urls().resourceUrl(resource) + "?" + query(key) + "limit=1";
        CompletableFuture<Boolean> lookup = new CompletableFuture<>();
        CompletableFuture<Boolean> existing = apiLookups.putIfAbsent(url, lookup);
        if (existing != null) {
            return existing.join();
        }
        try {
            ApiResponse answer = session.client().get(url);
            boolean found = answer.isSuccess() && JSON.readTree(answer.body()).size() > 0;
            lookup.complete(found);
            return found;
        } catch (IOException | RuntimeException e) {
            lookup.complete(false);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            return false;
        }
    }

    private static String query(Map<String, String> key) {
        StringBuilder text = new StringBuilder();
        key.forEach((name, value) -> text.append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8))
                .append('&'));
        return text.toString();
    }

    private static String naturalKey(JsonNode payload, List<IdentityField> identity) {
        StringBuilder key = new StringBuilder();
        for (IdentityField field : identity) {
            key.append(field.valueIn(payload).map(JsonNode::toString).orElse("null"))
                    .append('\u0001');
        }
        return key.toString();
    }

    private static String describeKey(JsonNode payload, List<IdentityField> identity) {
        List<String> parts = new ArrayList<>();
        for (IdentityField field : identity) {
            parts.add(field.queryName() + "="
                    + field.valueIn(payload).map(JsonNode::asText).orElse("(missing)"));
        }
        return String.join(", ", parts);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
