package io.ferry.edfi.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The payload schemas of an Ed-Fi resources document, Swagger 2 ({@code definitions}, body
 * parameters) or OpenAPI 3 ({@code components.schemas}, request bodies), with local {@code $ref}s
 * resolved on demand.
 */
public final class ResourceSchemas {
    /** A natural-key property: its GET filter name and where its value is in a payload. */
    public record IdentityField(String queryName, List<String> path) {
        public IdentityField {
            path = List.copyOf(path);
        }

        public Optional<JsonNode> valueIn(JsonNode payload) {
            JsonNode node = payload;
            for (String step : path) {
                node = node.path(step);
            }
            return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node);
        }
    }

    private final JsonNode document;
    private final Map<String, JsonNode> bodies = new HashMap<>();
    private final Map<String, String> resourceByReference = new HashMap<>();

    private ResourceSchemas(JsonNode document) {
        this.document = document;
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.path("paths").properties().iterator();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String path = entry.getKey();
            if (path.chars().filter(c -> c == '/').count() != 2 || path.contains("{")) {
                continue;
            }
            JsonNode post = entry.getValue().path("post");
            JsonNode schema = post.path("requestBody")
                    .path("content")
                    .path("application/json")
                    .path("schema");
            if (schema.isMissingNode()) {
                for (JsonNode parameter : post.path("parameters")) {
                    if (parameter.path("in").asText("").equals("body")) {
                        schema = parameter.path("schema");
                    }
                }
            }
            if (!schema.isMissingNode()) {
                bodies.put(path.substring(1), schema);
                String ref = schema.path("$ref").asText("");
                if (!ref.isEmpty()) {
                    resourceByReference.put(ref.substring(ref.lastIndexOf('/') + 1) + "Reference", path.substring(1));
                }
            }
        }
    }

    public static ResourceSchemas parse(JsonNode document) {
        return new ResourceSchemas(document);
    }

    public boolean isOpenApi3() {
        return document.has("openapi");
    }

    /** The (resolved) body schema of {@code resource}; empty when the document does not describe it. */
    public Optional<JsonNode> schemaOf(ApiResource resource) {
        JsonNode schema = bodies.get(resource.namespace() + "/" + resource.name());
        return schema == null ? Optional.empty() : Optional.of(resolve(schema));
    }

    /** The resource ({@code ed-fi/schools}) that a reference schema name ({@code edFi_schoolReference}) points to. */
    public Optional<String> resourceOfReference(String referenceSchemaName) {
        return Optional.ofNullable(resourceByReference.get(referenceSchemaName));
    }

    /** Follows {@code $ref}s (local, {@code #/...}) until a schema without one. */
    public JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int depth = 0; depth < 32 && current.has("$ref"); depth++) {
            String ref = current.path("$ref").asText("");
            if (!ref.startsWith("#/")) {
                return JsonNodeFactory.instance.objectNode();
            }
            JsonNode target = document;
            for (String step : ref.substring(2).split("/", -1)) {
                target = target.path(step.replace("~1", "/").replace("~0", "~"));
            }
            current = target.isMissingNode() ? JsonNodeFactory.instance.objectNode() : target;
        }
        return current;
    }

    /** The name of the schema a {@code $ref} points to ({@code edFi_schoolReference}), or empty. */
    public static String refName(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? "" : ref.substring(ref.lastIndexOf('/') + 1);
    }

    /**
     * The natural key of {@code resource}: its identity properties, with identity references
     * flattened into their fields ({@code schoolReference.schoolId} filters as {@code schoolId}).
     */
    public List<IdentityField> identity(ApiResource resource) {
        List<IdentityField> fields = new ArrayList<>();
        schemaOf(resource).ifPresent(schema -> {
            for (Iterator<Map.Entry<String, JsonNode>> properties =
                            schema.path("properties").properties().iterator();
                    properties.hasNext(); ) {
                Map.Entry<String, JsonNode> property = properties.next();
                JsonNode declared = property.getValue();
                JsonNode resolved = resolve(declared);
                boolean reference = property.getKey().endsWith("Reference");
                boolean identity = declared.path("x-Ed-Fi-isIdentity").asBoolean(false)
                        || resolved.path("x-Ed-Fi-isIdentity").asBoolean(false)
                        || (reference && schema.path("required").toString().contains("\"" + property.getKey() + "\""));
                if (!identity) {
                    continue;
                }
                if (reference) {
                    for (Iterator<String> names = resolved.path("properties").fieldNames(); names.hasNext(); ) {
                        String name = names.next();
                        if (!name.equals("link")) {
                            fields.add(new IdentityField(name, List.of(property.getKey(), name)));
                        }
                    }
                } else {
                    fields.add(new IdentityField(property.getKey(), List.of(property.getKey())));
                }
            }
        });
        return fields;
    }

    /** A copy of the document's schema objects keyed by name, for tests and diagnostics. */
    public ObjectNode schemaNames() {
        ObjectNode names = JsonNodeFactory.instance.objectNode();
        JsonNode schemas =
                document.has("components") ? document.path("components").path("schemas") : document.path("definitions");
        schemas.fieldNames().forEachRemaining(name -> names.put(name, true));
        return names;
    }
}
