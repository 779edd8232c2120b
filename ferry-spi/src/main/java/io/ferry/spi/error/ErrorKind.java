package io.ferry.spi.error;

/** Who has to act on a failure; decides the exit code and the report line. */
public enum ErrorKind {
    /** The user's input is wrong: an option, a path, a file's contents. Fix the input. */
    USER_INPUT,
    /** A system ferry talks to failed or refused: a disk, a broker, a bucket. Often worth a retry. */
    EXTERNAL,
    /** A bug in ferry. Report it. */
    INTERNAL
}
