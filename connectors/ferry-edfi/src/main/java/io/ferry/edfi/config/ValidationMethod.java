package io.ferry.edfi.config;

import java.util.Locale;
import java.util.Optional;

/** A check of {@code validate} (lightbeam's validate.methods). JSON syntax is always checked. */
public enum ValidationMethod {
    SCHEMA,
    DESCRIPTORS,
    UNIQUENESS,
    REFERENCES;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ValidationMethod> fromYaml(String value) {
        for (ValidationMethod method : values()) {
            if (method.yamlName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
