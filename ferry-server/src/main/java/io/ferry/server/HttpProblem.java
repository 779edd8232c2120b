package io.ferry.server;

import java.util.List;

/** A request the server answers with an error status: the status, a message and the bad fields. */
final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<FieldError> errors;

    HttpProblem(int status, String message) {
        this(status, message, List.of());
    }

    HttpProblem(int status, String message, List<FieldError> errors) {
        super(message);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    int status() {
        return status;
    }

    List<FieldError> errors() {
        return errors;
    }
}
