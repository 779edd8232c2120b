package io.ferry.edfi.config;

import static java.util.Objects.requireNonNull;

/** A value that must never be printed: {@link #toString()} hides it; only {@link #reveal()} gives it. */
public record Secret(String value) {
    public Secret {
        requireNonNull(value, "value is null");
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "****";
    }
}
