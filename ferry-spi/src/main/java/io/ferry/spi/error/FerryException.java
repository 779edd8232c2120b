package io.ferry.spi.error;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A failure ferry knows how to report: a code, and a message that names the thing, the bad value
 * and the fix. Never carries a secret in its message.
 */
public class FerryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    public FerryException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public FerryException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorKind kind() {
        return code.kind();
    }
}
