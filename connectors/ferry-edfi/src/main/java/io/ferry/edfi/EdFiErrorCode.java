package io.ferry.edfi;

import io.ferry.spi.error.ErrorCode;
import io.ferry.spi.error.ErrorKind;

/** The failures of the Ed-Fi commands; the kind decides the exit code. */
public enum EdFiErrorCode implements ErrorCode {
    /** The YAML configuration cannot be read, has unknown keys or bad values. */
    BAD_CONFIG(ErrorKind.USER_INPUT),
    /** A command-line value is wrong: a selector matching nothing, a bad timestamp or status list, bad JSON. */
    BAD_ARGUMENT(ErrorKind.USER_INPUT),
    /** data_dir holds a file that names no resource of the API, or a data file cannot be read. */
    BAD_DATA(ErrorKind.USER_INPUT),
    /** The API refused the client's credentials. */
    AUTH_FAILED(ErrorKind.USER_INPUT),
    /** Validation found problems in the payloads; nothing was sent. */
    VALIDATION_FAILED(ErrorKind.USER_INPUT),
    /** The API cannot be reached: wrong URL, down, network. */
    API_UNREACHABLE(ErrorKind.EXTERNAL),
    /** The API answered something unexpected: a status or a body the client cannot use. */
    API_ERROR(ErrorKind.EXTERNAL),
    /** The state directory cannot be read or written. */
    STATE_ERROR(ErrorKind.EXTERNAL);

    private final ErrorKind kind;

    EdFiErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
