package io.ferry.testing.edfi;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.testing.edfi.ResourceSchema.ObjectShape;
import io.ferry.testing.edfi.ResourceSchema.PropertyShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a request body against a resource's shape as the ODS/API does before storing: required properties present
 * and not null, JSON types matching (numbers and booleans may come as strings, as the ODS/API accepts), nested
 * objects and collection items checked the same way. String lengths and formats are not checked.
 */
final class BodyValidator {
    private BodyValidator() {}

    /** Adds JSON path -> messages to {@code errors} for every problem in {@code object}. */
    static void validate(ObjectShape shape, JsonNode object, String path, Map<String, List<String>> errors) {
        for (String required : shape.required()) {
            JsonNode value = object.get(required);
            if (value == null || value.isNull()) {
                errors.computeIfAbsent(path + "." + required, k -> new ArrayList<>())
                        .add(required + " is required.");
            }
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            PropertyShape property = shape.properties().get(field.getKey());
            JsonNode value = field.getValue();
            if (property == null || value.isNull()) {
                continue;
            }
            String here = path + "." + field.getKey();
            Optional<String> problem = typeProblem(property, value);
            if (problem.isPresent()) {
                errors.computeIfAbsent(here, k -> new ArrayList<>()).add(problem.get());
                continue;
            }
            ObjectShape nested = property.object();
            if (nested == null) {
                continue;
            }
            if (value.isObject()) {
                validate(nested, value, here, errors);
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    JsonNode element = value.get(i);
                    if (element.isObject()) {
                        validate(nested, element, here + "[" + i + "]", errors);
                    } else {
                        errors.computeIfAbsent(here + "[" + i + "]", k -> new ArrayList<>())
                                .add("must be an object, got "
                                        + element.getNodeType().name().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
    }

    private static Optional<String> typeProblem(PropertyShape property, JsonNode value) {
        boolean ok = switch (property.kind()) {
            case STRING -> value.isValueNode();
            case INTEGER ->
                value.isIntegralNumber()
                        || (value.isTextual()
                                && TestingEdFiApi.whole(value.asText()).isPresent());
            case NUMBER -> value.isNumber() || (value.isTextual() && TestingEdFiApi.decimal(value.asText()));
            case BOOLEAN ->
                value.isBoolean()
                        || (value.isTextual()
                                && (value.asText().equalsIgnoreCase("true")
                                        || value.asText().equalsIgnoreCase("false")));
            case OBJECT -> value.isObject();
            case ARRAY -> value.isArray();
            case ANY -> true;
        };
        if (ok) {
            return Optional.empty();
        }
        String shown = value.isValueNode()
                ? "'" + value.asText() + "'"
                : value.getNodeType().name().toLowerCase(Locale.ROOT);
        return Optional.of("must be " + article(property.kind()) + ", got " + shown);
    }

    private static String article(ResourceSchema.Kind kind) {
        return switch (kind) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case ANY -> "a value";
        };
    }
}
