package io.ferry.cli.serve;

import io.ferry.server.FieldError;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The directories a served job may read and write ({@code --data-root}); none configured means
 * any path. A location with a scheme ({@code s3://}, {@code kafka://}) is not a path and passes.
 */
record DataRoots(List<Path> roots) {
    DataRoots {
        roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
    }

    /** The problem with {@code location} in {@code field}, if it is not allowed. */
    Optional<FieldError> check(String field, String location) {
        if (location.equals("-")) {
            return Optional.of(new FieldError(
                    field, "'-' (standard input or output) cannot be used by a server job; name a file or directory"));
        }
        if (location.contains("://")) {
            return Optional.empty();
        }
        if (location.isBlank()) {
            return Optional.of(new FieldError(field, "is empty; name a path (example: /data/orders.jsonl)"));
        }
        if (roots.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(location);
        if (!path.isAbsolute()) {
            return Optional.of(
                    new FieldError(field, "'" + location + "' is relative; give an absolute path inside " + roots));
        }
        Path normalized = path.normalize();
        for (Path root : roots) {
            if (normalized.startsWith(root)) {
                return Optional.empty();
            }
        }
        return Optional.of(new FieldError(
                field,
                "'" + location + "' is outside the directories this server may use " + roots
                        + " (start the server with --data-root to allow another)"));
    }
}
