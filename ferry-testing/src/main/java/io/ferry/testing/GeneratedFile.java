package io.ferry.testing;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** A test data file that was written: where, how many records (lines) and how many bytes. */
public record GeneratedFile(Path path, long records, long bytes) {
    public GeneratedFile {
        requireNonNull(path, "path is null");
        if (records < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative records or bytes: " + records + ", " + bytes);
        }
    }
}
