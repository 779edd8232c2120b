package io.ferry.edfi.data;

import static java.util.Objects.requireNonNull;

import io.ferry.edfi.api.ApiResource;
import java.nio.file.Path;
import java.util.List;

/** The data files of one resource, in the order they are read. */
public record ResourceFiles(ApiResource resource, List<Path> files) {
    public ResourceFiles {
        requireNonNull(resource, "resource is null");
        files = List.copyOf(requireNonNull(files, "files is null"));
    }
}
