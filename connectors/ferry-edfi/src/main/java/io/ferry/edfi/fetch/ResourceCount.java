package io.ferry.edfi.fetch;

import static java.util.Objects.requireNonNull;

import io.ferry.edfi.api.ApiResource;

/** The number of records of a resource in the API; -1 when the API would not say. */
public record ResourceCount(ApiResource resource, long count) {
    public ResourceCount {
        requireNonNull(resource, "resource is null");
    }
}
