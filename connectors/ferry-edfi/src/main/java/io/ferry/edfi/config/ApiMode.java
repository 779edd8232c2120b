package io.ferry.edfi.config;

import java.util.Locale;
import java.util.Optional;

/** How an Ed-Fi API routes data URLs (lightbeam's edfi_api.mode). */
public enum ApiMode {
    SHARED_INSTANCE,
    SANDBOX,
    DISTRICT_SPECIFIC,
    YEAR_SPECIFIC,
    INSTANCE_YEAR_SPECIFIC;

    /** The name as written in the YAML file. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ApiMode> fromYaml(String value) {
        for (ApiMode mode : values()) {
            if (mode.yamlName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
