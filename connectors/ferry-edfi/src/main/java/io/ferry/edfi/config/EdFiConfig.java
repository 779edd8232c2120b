package io.ferry.edfi.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A lightbeam YAML file, loaded with lightbeam's defaults. A {@code state_dir} left out is null here;
 * the command line then keeps state beside ferry's other state ({@link #withStateDir}).
 */
public record EdFiConfig(
        Path configFile,
        @Nullable Path stateDir,
        Path dataDir,
        String namespace,
        Map<String, List<String>> namespaceOverrides,
        ApiSettings api,
        ConnectionSettings connection,
        String countSeparator,
        int fetchPageSize,
        boolean forceDelete,
        String logLevel,
        boolean showStacktrace,
        Set<ValidationMethod> validationMethods,
        int referenceMaxFailures) {
    public EdFiConfig {
        requireNonNull(configFile, "configFile is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(namespace, "namespace is null");
        Map<String, List<String>> overrides = new LinkedHashMap<>();
        requireNonNull(namespaceOverrides, "namespaceOverrides is null")
                .forEach((ns, resources) -> overrides.put(ns, List.copyOf(resources)));
        namespaceOverrides = java.util.Collections.unmodifiableMap(overrides);
        requireNonNull(api, "api is null");
        requireNonNull(connection, "connection is null");
        requireNonNull(countSeparator, "countSeparator is null");
        requireNonNull(logLevel, "logLevel is null");
        validationMethods = Set.copyOf(requireNonNull(validationMethods, "validationMethods is null"));
        if (fetchPageSize < 1) {
            throw new IllegalArgumentException("fetchPageSize must be at least 1, got " + fetchPageSize);
        }
    }

    /** This configuration with send state and the metadata cache in {@code value}. */
    public EdFiConfig withStateDir(Path value) {
        return new EdFiConfig(
                configFile,
                requireNonNull(value, "value is null"),
                dataDir,
                namespace,
                namespaceOverrides,
                api,
                connection,
                countSeparator,
                fetchPageSize,
                forceDelete,
                logLevel,
                showStacktrace,
                validationMethods,
                referenceMaxFailures);
    }

    /** Where send state and the metadata cache live; empty when the YAML names no state_dir. */
    public Optional<Path> findStateDir() {
        return Optional.ofNullable(stateDir);
    }

    /** The namespace a resource is sent under: its namespace_overrides entry, else {@link #namespace()}. */
    public String namespaceOf(String resource) {
        for (Map.Entry<String, List<String>> entry : namespaceOverrides.entrySet()) {
            if (entry.getValue().contains(resource)) {
                return entry.getKey();
            }
        }
        return namespace;
    }
}
