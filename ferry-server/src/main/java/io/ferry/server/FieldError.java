package io.ferry.server;

import static java.util.Objects.requireNonNull;

/** One thing wrong with a request: the field (such as {@code options.compression}) and why, with the fix. */
public record FieldError(String field, String message) {
    public FieldError {
        requireNonNull(field, "field is null");
        requireNonNull(message, "message is null");
    }
}
