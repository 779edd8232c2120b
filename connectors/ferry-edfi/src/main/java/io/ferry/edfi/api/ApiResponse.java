package io.ferry.edfi.api;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpHeaders;
import java.util.OptionalLong;

/** An HTTP answer of the API: status, body text and headers. */
public record ApiResponse(int status, String body, HttpHeaders headers) {
    public ApiResponse {
        requireNonNull(body, "body is null");
        requireNonNull(headers, "headers is null");
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The {@code Total-Count} header of a collection GET with {@code totalCount=true}. */
    public OptionalLong totalCount() {
        return headers.firstValue("Total-Count").stream()
                .mapToLong(value -> {
                    try {
                        return Long.parseLong(value.strip());
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                })
                .filter(value -> value >= 0)
                .findFirst();
    }

    /** The body on one line, at most {@code max} characters: for messages and the results file. */
    public String conciseBody(int max) {
        String line = body.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max) + "...";
    }
}
