package io.ferry.edfi.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.EdFiSession;
import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.api.ApiResponse;
import io.ferry.edfi.api.Metadata;
import io.ferry.spi.error.FerryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The known values of each descriptor ({@code namespace#codeValue}): those in data_dir's descriptor
 * files, and those in the API (cached for a month in {@code {state_dir}/cache}). Loaded on first
 * use per descriptor. Thread-safe.
 */
final class DescriptorValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 500;

    private final EdFiSession session;
    private final Metadata metadata;
    private final Map<String, Set<String>> values = new ConcurrentHashMap<>();

    DescriptorValues(EdFiSession session, Metadata metadata) {
        this.session = session;
        this.metadata = metadata;
    }

    /** The descriptor resource a value such as {@code uri://ed-fi.org/GradeLevelDescriptor#Ninth grade} belongs to. */
    Optional<ApiResource> resourceOf(String value) {
        int hash = value.indexOf('#');
        if (hash < 0) {
            return Optional.empty();
        }
        String namespace = value.substring(0, hash);
        String type = namespace.substring(namespace.lastIndexOf('/') + 1);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        String name = Character.toLowerCase(type.charAt(0)) + type.substring(1) + "s";
        for (ApiResource resource : session.resources()) {
            if (resource.name().equalsIgnoreCase(name)) {
                return Optional.of(resource);
            }
        }
        return Optional.empty();
    }

    boolean isKnown(ApiResource descriptor, String value) {
        return values.computeIfAbsent(descriptor.name(), name -> load(descriptor))
                .contains(normalize(value));
    }

    private static String normalize(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }

    private Set<String> load(ApiResource descriptor) {
        Set<String> known = new HashSet<>();
        for (Path file : session.data().filesOf(descriptor)) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        add(known, JSON.readTree(line));
                    } catch (IOException e) {
                        // A malformed descriptor line is reported when that file is validated.
                    }
                }
            } catch (IOException e) {
                throw new FerryException(EdFiErrorCode.BAD_DATA, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        String url = session.client().urls().resourceUrl(descriptor);
        Optional<Path> cache = metadata.cacheFile("descriptor-values-" + descriptor.name(), url, "txt");
        if (cache.isPresent() && metadata.fresh(cache.get())) {
            try {
                known.addAll(Files.readAllLines(cache.get(), StandardCharsets.UTF_8));
                return known;
            } catch (IOException e) {
                // An unreadable cache is fetched again.
            }
        }
        Set<String> fromApi = new HashSet<>();
        for (long offset = 0; ; offset += PAGE) {
            ApiResponse page = session.client().get(url + "?offset=" + offset + "&limit=" + PAGE);
            if (!page.isSuccess()) {
                throw new FerryException(
                        EdFiErrorCode.API_ERROR,
                        "loading the values of " + descriptor + " answered HTTP " + page.status() + " ("
                                + page.conciseBody(200) + ")");
            }
            JsonNode items;
            try {
                items = JSON.readTree(page.body());
            } catch (IOException e) {
                throw new FerryException(EdFiErrorCode.API_ERROR, "the values of " + descriptor + " are not JSON", e);
            }
            items.forEach(item -> add(fromApi, item));
            if (items.size() < PAGE) {
                break;
            }
        }
        cache.ifPresent(file -> metadata.store(file, String.join("\n", List.copyOf(fromApi))));
        known.addAll(fromApi);
        return known;
    }

    private static void add(Set<String> known, JsonNode item) {
        String namespace = item.path("namespace").asText("");
        String code = item.path("codeValue").asText("");
        if (!namespace.isEmpty() && !code.isEmpty()) {
            known.add(normalize(namespace + "#" + code));
        }
    }
}
