package io.ferry.testing.edfi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error answer, rendered in the ODS/API style ({@code {"message": "..."}}) or as the problem details of ODS/API
 * 7.2+ and the Data Management Service.
 *
 * @param status the HTTP status
 * @param type the problem type URN suffix after {@code urn:ed-fi:api:}, {@code data-conflict:unresolved-reference}
 * @param title the problem title
 * @param detail one sentence on what went wrong
 * @param validationErrors JSON path of the offending property -> messages
 */
record ApiError(int status, String type, String title, String detail, Map<String, List<String>> validationErrors) {
    ApiError {
        requireNonNull(type, "type is null");
        requireNonNull(title, "title is null");
        requireNonNull(detail, "detail is null");
        validationErrors = copy(validationErrors);
    }

    static ApiError of(int status, String type, String title, String detail) {
        return new ApiError(status, type, title, detail, Map.of());
    }

    static ApiError validation(String detail, Map<String, List<String>> errors) {
        return new ApiError(400, "bad-request:data-validation-failed", "Data Validation Failed", detail, errors);
    }

    static ApiError notFound(String detail) {
        return of(404, "not-found", "Not Found", detail);
    }

    byte[] render(TestingEdFiApi.ErrorStyle style, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        switch (style) {
            case ODS_MESSAGE -> {
                StringBuilder message = new StringBuilder(detail);
                validationErrors.forEach((path, messages) -> {
                    for (String text : messages) {
                        message.append("\n\t").append(path).append(": ").append(text);
                    }
                });
                body.put("message", message.toString());
            }
            case PROBLEM_DETAILS -> {
                body.put("detail", detail);
                body.put("type", "urn:ed-fi:api:" + type);
                body.put("title", title);
                body.put("status", status);
                body.putNull("correlationId");
                ObjectNode errors = body.putObject("validationErrors");
                validationErrors.forEach((path, messages) -> {
                    ArrayNode list = errors.putArray(path);
                    messages.forEach(list::add);
                });
                body.putArray("errors");
            }
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an error body", e);
        }
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> errors) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        errors.forEach((path, messages) -> copy.put(path, List.copyOf(messages)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
