package io.ferry.testing.edfi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.testing.edfi.ResourceSchema.BodyPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Canonical natural keys: identity name -> normalized value, sorted by name, so that an item's own key and a
 * reference to it ({@code schoolReference.schoolId} against a school's {@code schoolId}) compare equal.
 */
final class NaturalKeys {
    private NaturalKeys() {}

    /** The natural key of an item; a missing identity value counts as empty (validation rejects it first). */
    static String identityKey(ResourceSchema schema, JsonNode body) {
        Map<String, String> key = new TreeMap<>();
        for (String name : schema.identityNames()) {
            key.put(
                    name,
                    value(body, requireNonNull(schema.flattened().get(name))).orElse(""));
        }
        return key(key);
    }

    /** A canonical natural key from identity name -> normalized value, sorted by name. */
    static String key(Map<String, String> sortedValues) {
        StringBuilder key = new StringBuilder();
        sortedValues.forEach(
                (name, value) -> key.append(name).append('\u001f').append(value).append('\u001e'));
        return key.toString();
    }

    /** The first non-null value at one of {@code paths}, normalized. */
    static Optional<String> value(JsonNode body, List<BodyPath> paths) {
        for (BodyPath path : paths) {
            JsonNode node = body.get(path.property());
            String field = path.field();
            if (node != null && field != null) {
                node = node.get(field);
            }
            if (node != null && !node.isNull() && node.isValueNode()) {
                return Optional.of(normalize(node));
            }
        }
        return Optional.empty();
    }

    static String normalize(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return value.decimalValue().stripTrailingZeros().toPlainString();
        }
        return value.asText();
    }
}
