package io.ferry.testing.edfi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the server knows about one Ed-Fi resource, derived once from its OpenAPI schema.
 *
 * @param namespace the URL namespace, {@code ed-fi}
 * @param name the endpoint name, {@code schools}
 * @param title the entity name used in messages, {@code School}
 * @param schemaName the OpenAPI schema name, {@code edFi_school}
 * @param descriptorIdProperty for descriptors, the server-assigned key property ({@code schoolTypeDescriptorId});
 *     empty for other resources
 * @param identityNames the natural key as flattened property names ({@code schoolId}, {@code schoolYear});
 *     for descriptors {@code namespace} and {@code codeValue}
 * @param flattened every scalar a client can filter by, by its flattened (query parameter) name, with where it
 *     sits in a body: a top-level property or a field of a {@code *Reference} object
 * @param references the {@code *Reference} properties, each with the schema it points at and its fields
 * @param shape required properties and JSON types, for request validation
 */
record ResourceSchema(
        String namespace,
        String name,
        String title,
        String schemaName,
        String descriptorIdProperty,
        List<String> identityNames,
        Map<String, List<BodyPath>> flattened,
        List<ReferenceProperty> references,
        ObjectShape shape) {
    ResourceSchema {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        requireNonNull(title, "title is null");
        requireNonNull(schemaName, "schemaName is null");
        requireNonNull(descriptorIdProperty, "descriptorIdProperty is null");
        identityNames = List.copyOf(identityNames);
        flattened = Map.copyOf(flattened);
        references = List.copyOf(references);
        requireNonNull(shape, "shape is null");
        if (identityNames.isEmpty()) {
            throw new IllegalArgumentException("resource /" + namespace + "/" + name + " has no identity properties");
        }
    }

    boolean descriptor() {
        return !descriptorIdProperty.isEmpty();
    }

    /** {@code /ed-fi/schools}, as in the dependencies document. */
    String path() {
        return "/" + namespace + "/" + name;
    }

    /**
     * Where a scalar sits in a request body.
     *
     * @param property the top-level property
     * @param field the field inside the {@code *Reference} object {@code property}; null for a top-level scalar
     */
    record BodyPath(String property, @Nullable String field) {
        BodyPath {
            requireNonNull(property, "property is null");
        }
    }

    /**
     * A {@code *Reference} property.
     *
     * @param property the property name, {@code localEducationAgencyReference}
     * @param targetSchema the schema of the referenced entity, {@code edFi_localEducationAgency}
     * @param fields the reference's key fields, {@code localEducationAgencyId}
     */
    record ReferenceProperty(String property, String targetSchema, List<String> fields) {
        ReferenceProperty {
            requireNonNull(property, "property is null");
            requireNonNull(targetSchema, "targetSchema is null");
            fields = List.copyOf(fields);
        }
    }

    enum Kind {
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN,
        OBJECT,
        ARRAY,
        ANY
    }

    /** A JSON object's required properties and the shapes of its known properties; unknown ones are accepted. */
    record ObjectShape(List<String> required, Map<String, PropertyShape> properties) {
        ObjectShape {
            required = List.copyOf(required);
            properties = Map.copyOf(properties);
        }
    }

    /**
     * @param kind the JSON type
     * @param object for {@link Kind#OBJECT}, the object's shape; for {@link Kind#ARRAY}, the items' shape when
     *     they are objects; otherwise null
     */
    record PropertyShape(Kind kind, @Nullable ObjectShape object) {
        PropertyShape {
            requireNonNull(kind, "kind is null");
        }
    }
}
