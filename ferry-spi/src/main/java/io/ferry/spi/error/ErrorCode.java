package io.ferry.spi.error;

/** A stable, documented failure code such as {@code BAD_OPTION}; connectors may define their own. */
public interface ErrorCode {
    String name();

    ErrorKind kind();
}
