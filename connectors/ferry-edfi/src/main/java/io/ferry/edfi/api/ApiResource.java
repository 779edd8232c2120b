package io.ferry.edfi.api;

import static java.util.Objects.requireNonNull;

/** A resource of the API, such as {@code ed-fi/schools}: its namespace and its (plural) endpoint name. */
public record ApiResource(String namespace, String name) {
    public ApiResource {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
    }

    public boolean isDescriptor() {
        return name.endsWith("Descriptors");
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
