package io.ferry.edfi.state;

/** The last answer to a payload: when (epoch seconds) and its HTTP status. */
public record SentRecord(long epochSecond, int status) {
    public SentRecord {
        if (status < 0 || status > 999) {
            throw new IllegalArgumentException("status must be an HTTP status, got " + status);
        }
    }
}
