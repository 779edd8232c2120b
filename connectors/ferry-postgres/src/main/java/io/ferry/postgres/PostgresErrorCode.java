package io.ferry.postgres;

import io.ferry.spi.error.ErrorCode;
import io.ferry.spi.error.ErrorKind;

/** The failures of database archive tasks; the kind decides the exit code. */
public enum PostgresErrorCode implements ErrorCode {
    /** A task folder is unusable: no or empty select.sql, an unreadable file, a bad name. */
    BAD_TASK(ErrorKind.USER_INPUT),
    /** A task's SQL references a parameter that was not given, or a value cannot be inlined. */
    BAD_PARAMETER(ErrorKind.USER_INPUT),
    /** PostgreSQL rejected a task's SQL: syntax, an unknown table or column, a constraint. */
    BAD_SQL(ErrorKind.USER_INPUT),
    /** The delete removed a different number of rows than were exported; rolled back. */
    DELETE_MISMATCH(ErrorKind.USER_INPUT),
    /** The database URL cannot be parsed. */
    BAD_DATABASE_URL(ErrorKind.USER_INPUT),
    /** The database is unreachable or refused the connection (down, wrong credentials, no such database). */
    DATABASE_UNAVAILABLE(ErrorKind.EXTERNAL),
    /** The database failed during a task: connection lost, server shut down, serialization conflicts. */
    DATABASE_ERROR(ErrorKind.EXTERNAL),
    /** Another process holds the task's advisory lock; retry once it finishes. */
    TASK_BUSY(ErrorKind.EXTERNAL);

    private final ErrorKind kind;

    PostgresErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
