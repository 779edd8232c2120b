package io.ferry.edfi.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The API's OpenAPI documents, cached for a month in {@code {state_dir}/cache} (as lightbeam does);
 * {@code wipe} (the {@code -w} flag) ignores and replaces the cache.
 */
public final class Metadata {
    /** lightbeam's month: 2,629,800 seconds. */
    public static final Duration CACHE_LIFETIME = Duration.ofMinutes(43_830);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EdFiClient client;
    private final @Nullable Path cacheDir;
    private final boolean wipe;

    public Metadata(EdFiClient client, @Nullable Path stateDir, boolean wipe) {
        this.client = client;
        this.cacheDir = stateDir == null ? null : stateDir.resolve("cache");
        this.wipe = wipe;
    }

    public @Nullable Path cacheDir() {
        return cacheDir;
    }

    /** The resources document (edfi_api.resources_swagger_url, else the listing's "Resources" entry). */
    public ResourceSchemas resources() {
        return ResourceSchemas.parse(document("resources", client.config().api().resourcesSwaggerUrl()));
    }

    /** The descriptors document (edfi_api.descriptors_swagger_url, else the listing's "Descriptors" entry). */
    public ResourceSchemas descriptors() {
        return ResourceSchemas.parse(
                document("descriptors", client.config().api().descriptorsSwaggerUrl()));
    }

    private JsonNode document(String kind, String configuredUrl) {
        String url = configuredUrl.isEmpty() ? listedUrl(kind) : configuredUrl;
        Optional<Path> cached = cacheFile("swagger-" + kind, url, "json");
        if (cached.isPresent() && fresh(cached.get())) {
            try {
                return JSON.readTree(cached.get().toFile());
            } catch (IOException e) {
                // An unreadable cache entry is fetched again.
            }
        }
        ApiResponse unauthorized = client.get(url, false);
        ApiResponse answer =
                unauthorized.status() == 401 || unauthorized.status() == 403 ? client.get(url, true) : unauthorized;
        if (!answer.isSuccess()) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR,
                    "the " + kind + " OpenAPI document at " + url + " answered HTTP " + answer.status()
                            + "; set edfi_api." + kind + "_swagger_url to its URL");
        }
        JsonNode document;
        try {
            document = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR, "the " + kind + " OpenAPI document at " + url + " is not JSON", e);
        }
        cached.ifPresent(file -> store(file, answer.body()));
        return document;
    }

    private String listedUrl(String kind) {
        String listing = client.urls().openApiMetadataUrl();
        if (listing.isEmpty()) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR,
                    "the API names no OpenAPI metadata URL; set edfi_api." + kind + "_swagger_url" + " (example: "
                            + kind + "_swagger_url: https://api.example.org/metadata/data/v3/" + kind
                            + "/swagger.json)");
        }
        ApiResponse answer = client.get(listing, false);
        if (!answer.isSuccess()) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR,
                    "the OpenAPI metadata URL " + listing + " answered HTTP " + answer.status()
                            + "; set edfi_api.open_api_metadata_url or edfi_api." + kind + "_swagger_url");
        }
        try {
            for (JsonNode entry : JSON.readTree(answer.body())) {
                if (entry.path("name").asText("").toLowerCase(Locale.ROOT).equals(kind)) {
                    return entry.path("endpointUri").asText("");
                }
            }
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.API_ERROR, "the OpenAPI metadata URL " + listing + " is not JSON", e);
        }
        throw new FerryException(
                EdFiErrorCode.API_ERROR,
                "the OpenAPI metadata listing " + listing + " has no '" + kind + "' entry; set edfi_api." + kind
                        + "_swagger_url");
    }

    /** A cache file for {@code key} (named by the MD5 of the URL), if there is a cache directory. */
    public Optional<Path> cacheFile(String prefix, String url, String extension) {
        if (cacheDir == null) {
            return Optional.empty();
        }
        try {
            String hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(url.getBytes(StandardCharsets.UTF_8)));
            return Optional.of(cacheDir.resolve(prefix + "-" + hash + "." + extension));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }

    /** Whether a cache file may be used: it exists, is younger than a month, and -w was not given. */
    public boolean fresh(Path file) {
        try {
            return !wipe
                    && Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file)
                            .toInstant()
                            .isAfter(Instant.now().minus(CACHE_LIFETIME));
        } catch (IOException e) {
            return false;
        }
    }

    public void store(Path file, String content) {
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.STATE_ERROR, "cannot write the metadata cache " + file + ": " + e.getMessage(), e);
        }
    }
}
