package io.ferry.server;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One served route: method, path template ({@code /jobs/{id}}), whether it needs the token, what
 * it does (for the OpenAPI document), and its handler.
 */
record Route(
        String method,
        String template,
        boolean secured,
        boolean hasBody,
        String summary,
        String responseType,
        Handler handler) {
    Route {
        requireNonNull(method, "method is null");
        requireNonNull(template, "template is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(responseType, "responseType is null");
        requireNonNull(handler, "handler is null");
    }

    /** Handles one request; returns the answer, or writes it itself and returns {@link Answer#WRITTEN}. */
    @FunctionalInterface
    interface Handler {
        Answer handle(Call call) throws java.io.IOException;
    }

    List<String> parameters() {
        List<String> names = new ArrayList<>();
        for (String segment : template.split("/", -1)) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                names.add(segment.substring(1, segment.length() - 1));
            }
        }
        return names;
    }

    /** The path parameters when {@code segments} (decoded, without the leading empty one) fit this template. */
    Optional<Map<String, String>> match(List<String> segments) {
        String[] parts = template.substring(1).split("/", -1);
        if (template.equals("/")) {
            return segments.isEmpty()
                            || (segments.size() == 1 && segments.get(0).isEmpty())
                    ? Optional.of(Map.of())
                    : Optional.empty();
        }
        if (parts.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].startsWith("{")) {
                parameters.put(parts[i].substring(1, parts[i].length() - 1), segments.get(i));
            } else if (!parts[i].equals(segments.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
