package io.ferry.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a request's {@code options} object into command-line arguments, one option at a time. */
final class RequestArguments {
    private RequestArguments() {}

    /**
     * The arguments for option {@code name} with {@code value}: {@code true} is a flag, a list
     * repeats the option, an object gives KEY=VALUE pairs; a value of another shape is an error.
     */
    static List<String> of(String name, JsonNode value, List<FieldError> errors) {
        List<String> args = new ArrayList<>();
        String option = "--" + name;
        if (value.isNull() || (value.isBoolean() && !value.asBoolean())) {
            return args;
        }
        if (value.isBoolean()) {
            args.add(option);
        } else if (value.isTextual() || value.isNumber()) {
            args.add(option);
            args.add(value.asText());
        } else if (value.isArray()) {
            for (JsonNode element : value) {
                if (element.isContainerNode()) {
                    errors.add(new FieldError("options." + name, "must list strings or numbers, got " + element));
                } else {
                    args.add(option);
                    args.add(element.asText());
                }
            }
        } else if (value.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                if (field.getValue().isContainerNode()) {
                    errors.add(
                            new FieldError("options." + name + "." + field.getKey(), "must be a string or a number"));
                } else {
                    args.add(option);
                    args.add(field.getKey() + "=" + field.getValue().asText());
                }
            }
        }
        return args;
    }
}
