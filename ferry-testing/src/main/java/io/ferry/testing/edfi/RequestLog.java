package io.ferry.testing.edfi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * One request the server received, logged just before it was answered.
 *
 * @param time when it arrived
 * @param method the HTTP method
 * @param path the request path with its query string
 * @param status the answer's status code; 0 when the connection was dropped without an answer
 * @param elapsed from arrival until the answer was ready to send (stalls included)
 */
public record RequestLog(Instant time, String method, String path, int status, Duration elapsed) {
    public RequestLog {
        requireNonNull(time, "time is null");
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(elapsed, "elapsed is null");
    }
}
