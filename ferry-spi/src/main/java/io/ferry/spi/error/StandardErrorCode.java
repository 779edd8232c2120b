package io.ferry.spi.error;

/** The error codes of ferry's engine and built-in connectors. */
public enum StandardErrorCode implements ErrorCode {
    BAD_OPTION(ErrorKind.USER_INPUT),
    NOT_FOUND(ErrorKind.USER_INPUT),
    BAD_RECORD(ErrorKind.USER_INPUT),
    BAD_ARCHIVE(ErrorKind.USER_INPUT),
    TARGET_EXISTS(ErrorKind.USER_INPUT),
    TARGET_BUSY(ErrorKind.USER_INPUT),
    JOB_MISMATCH(ErrorKind.USER_INPUT),
    CANNOT_RESUME(ErrorKind.USER_INPUT),
    IO_ERROR(ErrorKind.EXTERNAL),
    STATE_STORE_ERROR(ErrorKind.EXTERNAL),
    INTERNAL_ERROR(ErrorKind.INTERNAL);

    private final ErrorKind kind;

    StandardErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
