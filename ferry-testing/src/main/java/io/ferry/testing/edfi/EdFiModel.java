package io.ferry.testing.edfi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.testing.edfi.ResourceSchema.BodyPath;
import io.ferry.testing.edfi.ResourceSchema.Kind;
import io.ferry.testing.edfi.ResourceSchema.ObjectShape;
import io.ferry.testing.edfi.ResourceSchema.PropertyShape;
import io.ferry.testing.edfi.ResourceSchema.ReferenceProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Ed-Fi resources the server serves, read once from the bundled OpenAPI documents (ODS/API 7.1, data standard
 * 5.0, reduced to a subset of resources and descriptors), and the raw metadata documents it serves as they are.
 */
final class EdFiModel {
    private static final String RESOURCE_DIR = "/io/ferry/testing/edfi/";

    /**
     * Concrete entities an {@code educationOrganizationReference} may point at, by endpoint name: the abstract
     * EducationOrganization has no endpoint of its own.
     */
    private static final List<String> EDUCATION_ORGANIZATIONS = List.of(
            "schools",
            "localEducationAgencies",
            "stateEducationAgencies",
            "educationServiceCenters",
            "postSecondaryInstitutions",
            "communityOrganizations",
            "communityProviders",
            "organizationDepartments",
            "educationOrganizationNetworks");

    private final ObjectNode resourcesDocument;
    private final ObjectNode descriptorsDocument;
    private final byte[] dependencies;
    private final List<String> descriptorValueLines;
    private final Map<String, ResourceSchema> byPath = new LinkedHashMap<>();
    private final Map<String, ResourceSchema> bySchema = new LinkedHashMap<>();
    private final Map<String, Optional<ResourceSchema>> descriptorByProperty = new ConcurrentHashMap<>();

    private EdFiModel(ObjectMapper json) {
        this.resourcesDocument = (ObjectNode) readTree(json, "resources-openapi.json");
        this.descriptorsDocument = (ObjectNode) readTree(json, "descriptors-openapi.json");
        this.dependencies = readBytes("dependencies.json");
        this.descriptorValueLines = new String(
                        readBytes("descriptor-values.jsonl"), java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .filter(line -> !line.isBlank())
                .toList();
        addResources(resourcesDocument, false);
        addResources(descriptorsDocument, true);
    }

    static EdFiModel load(ObjectMapper json) {
        return new EdFiModel(json);
    }

    /** One model for every server in the JVM: it is immutable apart from a thread-safe lookup cache. */
    static EdFiModel shared() {
        return Shared.MODEL;
    }

    private static final class Shared {
        static final EdFiModel MODEL = load(new ObjectMapper());
    }

    ObjectNode resourcesDocument() {
        return resourcesDocument;
    }

    ObjectNode descriptorsDocument() {
        return descriptorsDocument;
    }

    byte[] dependencies() {
        return dependencies.clone();
    }

    /** The DS 5.2 default descriptor values for the served descriptors, one JSON object a line with a resource path. */
    List<String> descriptorValueLines() {
        return descriptorValueLines;
    }

    List<ResourceSchema> resources() {
        return List.copyOf(byPath.values());
    }

    /** A resource by {@code /ed-fi/schools}. */
    Optional<ResourceSchema> resource(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /**
     * The resources a reference to {@code targetSchema} may resolve to, each with the target identity name every
     * reference field maps to. One entry for a concrete entity; several for the abstract EducationOrganization;
     * none when the entity is not served (such a reference never resolves).
     */
    List<ReferenceTarget> targets(ReferenceProperty reference) {
        ResourceSchema concrete = bySchema.get(reference.targetSchema());
        if (concrete != null) {
            Map<String, String> names = new LinkedHashMap<>();
            for (String field : reference.fields()) {
                names.put(field, field);
            }
            return List.of(new ReferenceTarget(concrete, names));
        }
        if (reference.targetSchema().endsWith("_educationOrganization")
                && reference.fields().equals(List.of("educationOrganizationId"))) {
            List<ReferenceTarget> targets = new ArrayList<>();
            for (String name : EDUCATION_ORGANIZATIONS) {
                ResourceSchema schema = byPath.get("/ed-fi/" + name);
                if (schema != null && schema.identityNames().size() == 1) {
                    targets.add(new ReferenceTarget(
                            schema,
                            Map.of(
                                    "educationOrganizationId",
                                    schema.identityNames().get(0))));
                }
            }
            return targets;
        }
        return List.of();
    }

    /**
     * The descriptor resource a property such as {@code entryGradeLevelDescriptor} takes its values from: the
     * longest camel-case suffix of the name that is a served descriptor ({@code gradeLevelDescriptors}).
     */
    Optional<ResourceSchema> descriptorFor(String property) {
        return descriptorByProperty.computeIfAbsent(property, this::findDescriptor);
    }

    private Optional<ResourceSchema> findDescriptor(String property) {
        for (int i = 0; i < property.length(); i++) {
            if (i == 0 || Character.isUpperCase(property.charAt(i))) {
                String suffix = property.substring(i);
                String name = Character.toLowerCase(suffix.charAt(0)) + suffix.substring(1) + "s";
                ResourceSchema schema = byPath.get("/ed-fi/" + name);
                if (schema != null && schema.descriptor()) {
                    return Optional.of(schema);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param schema the resource the reference resolves against
     * @param identityNameByField reference field -> the target's identity name holding the same value
     */
    record ReferenceTarget(ResourceSchema schema, Map<String, String> identityNameByField) {
        ReferenceTarget {
            java.util.Objects.requireNonNull(schema, "schema is null");
            identityNameByField = Map.copyOf(identityNameByField);
        }
    }

    private void addResources(ObjectNode document, boolean descriptors) {
        JsonNode schemas = document.path("components").path("schemas");
        JsonNode parameters = document.path("components").path("parameters");
        for (Map.Entry<String, JsonNode> entry : document.path("paths").properties()) {
            JsonNode post = entry.getValue().path("post");
            if (post.isMissingNode()) {
                continue;
            }
            List<String> segments = TestingEdFiApi.split(entry.getKey(), '/');
            if (segments.size() != 3) {
                continue;
            }
            String schemaName = refName(post.path("requestBody")
                    .path("content")
                    .path("application/json")
                    .path("schema"));
            JsonNode schema = schemas.path(schemaName);
            ResourceSchema resource = describe(
                    segments.get(1),
                    segments.get(2),
                    schemaName,
                    schema,
                    schemas,
                    entry.getValue(),
                    parameters,
                    descriptors);
            byPath.put(resource.path(), resource);
            bySchema.put(schemaName, resource);
        }
    }

    private static ResourceSchema describe(
            String namespace,
            String name,
            String schemaName,
            JsonNode schema,
            JsonNode schemas,
            JsonNode pathItem,
            JsonNode parameters,
            boolean descriptors) {
        Map<String, List<BodyPath>> flattened = new LinkedHashMap<>();
        List<ReferenceProperty> references = new ArrayList<>();
        String descriptorId = "";
        List<String> topLevelIdentity = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String propertyName = property.getKey();
            JsonNode definition = property.getValue();
            if (definition.path("x-Ed-Fi-isIdentity").asBoolean(false)) {
                topLevelIdentity.add(propertyName);
                if (descriptors && propertyName.endsWith("DescriptorId")) {
                    descriptorId = propertyName;
                }
            }
            if (definition.has("$ref")) {
                String target = refName(definition);
                if (propertyName.endsWith("Reference") && target.endsWith("Reference")) {
                    List<String> fields = new ArrayList<>();
                    String role = role(propertyName, target);
                    for (Iterator<String> names =
                                    schemas.path(target).path("properties").fieldNames();
                            names.hasNext(); ) {
                        String field = names.next();
                        if (field.equals("link")) {
                            continue;
                        }
                        fields.add(field);
                        String flatName = role.isEmpty() ? field : role + capitalize(field);
                        flattened
                                .computeIfAbsent(flatName, k -> new ArrayList<>())
                                .add(new BodyPath(propertyName, field));
                    }
                    references.add(new ReferenceProperty(
                            propertyName, target.substring(0, target.length() - "Reference".length()), fields));
                }
            } else {
                String type = definition.path("type").asText("");
                if (!type.equals("array") && !type.equals("object") && !propertyName.startsWith("_")) {
                    flattened
                            .computeIfAbsent(propertyName, k -> new ArrayList<>())
                            .add(new BodyPath(propertyName, null));
                }
            }
        }
        List<String> identity = new ArrayList<>();
        if (descriptors) {
            identity.add("namespace");
            identity.add("codeValue");
        } else {
            for (JsonNode parameter : pathItem.path("get").path("parameters")) {
                JsonNode resolved = parameter.has("$ref") ? parameters.path(refName(parameter)) : parameter;
                if (resolved.path("x-Ed-Fi-isIdentity").asBoolean(false)
                        && flattened.containsKey(resolved.path("name").asText())) {
                    identity.add(resolved.path("name").asText());
                }
            }
            if (identity.isEmpty()) {
                identity.addAll(topLevelIdentity);
            }
        }
        String entity = schemaName.substring(schemaName.indexOf('_') + 1);
        return new ResourceSchema(
                namespace,
                name,
                capitalize(entity),
                schemaName,
                descriptorId,
                identity,
                flattened,
                references,
                objectShape(schema, schemas, 0));
    }

    /**
     * The role name of a reference property: {@code charterApproval} for {@code charterApprovalSchoolYearTypeReference}
     * pointing at {@code edFi_schoolYearTypeReference}; empty when the property is named after its target.
     */
    private static String role(String property, String targetReferenceSchema) {
        String target = targetReferenceSchema.substring(targetReferenceSchema.indexOf('_') + 1);
        if (property.equals(target)) {
            return "";
        }
        String suffix = capitalize(target);
        return property.endsWith(suffix) ? property.substring(0, property.length() - suffix.length()) : "";
    }

    private static ObjectShape objectShape(JsonNode schema, JsonNode schemas, int depth) {
        List<String> required = new ArrayList<>();
        for (JsonNode name : schema.path("required")) {
            required.add(name.asText());
        }
        Map<String, PropertyShape> properties = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            properties.put(property.getKey(), propertyShape(property.getValue(), schemas, depth));
        }
        return new ObjectShape(required, properties);
    }

    private static PropertyShape propertyShape(JsonNode definition, JsonNode schemas, int depth) {
        if (definition.has("$ref")) {
            if (depth > 8) {
                return new PropertyShape(Kind.OBJECT, null);
            }
            return new PropertyShape(Kind.OBJECT, objectShape(schemas.path(refName(definition)), schemas, depth + 1));
        }
        return switch (definition.path("type").asText("").toLowerCase(Locale.ROOT)) {
            case "string" -> new PropertyShape(Kind.STRING, null);
            case "integer" -> new PropertyShape(Kind.INTEGER, null);
            case "number" -> new PropertyShape(Kind.NUMBER, null);
            case "boolean" -> new PropertyShape(Kind.BOOLEAN, null);
            case "array" -> {
                JsonNode items = definition.path("items");
                PropertyShape item = propertyShape(items, schemas, depth + 1);
                yield new PropertyShape(Kind.ARRAY, item.kind() == Kind.OBJECT ? item.object() : null);
            }
            case "object" -> new PropertyShape(Kind.OBJECT, objectShape(definition, schemas, depth + 1));
            default -> new PropertyShape(Kind.ANY, null);
        };
    }

    private static String refName(JsonNode node) {
        String ref = node.path("$ref").asText("");
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    static String capitalize(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static JsonNode readTree(ObjectMapper json, String name) {
        try {
            return json.readTree(readBytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException("bundled Ed-Fi document " + name + " is not valid JSON", e);
        }
    }

    private static byte[] readBytes(String name) {
        try (InputStream in = EdFiModel.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("bundled Ed-Fi document " + RESOURCE_DIR + name
                        + " is missing from the classpath; rebuild ferry-testing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled Ed-Fi document " + name, e);
        }
    }
}
