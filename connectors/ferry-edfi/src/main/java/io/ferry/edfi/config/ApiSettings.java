package io.ferry.edfi.config;

import static java.util.Objects.requireNonNull;

/**
 * The edfi_api section. URLs left empty are discovered from the document at {@code baseUrl}; {@code
 * instanceCode} is empty unless the mode needs it.
 */
public record ApiSettings(
        String baseUrl,
        String oauthUrl,
        String dependenciesUrl,
        String openApiMetadataUrl,
        String descriptorsSwaggerUrl,
        String resourcesSwaggerUrl,
        int version,
        ApiMode mode,
        int year,
        String instanceCode,
        String clientId,
        Secret clientSecret) {
    public ApiSettings {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(oauthUrl, "oauthUrl is null");
        requireNonNull(dependenciesUrl, "dependenciesUrl is null");
        requireNonNull(openApiMetadataUrl, "openApiMetadataUrl is null");
        requireNonNull(descriptorsSwaggerUrl, "descriptorsSwaggerUrl is null");
        requireNonNull(resourcesSwaggerUrl, "resourcesSwaggerUrl is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(instanceCode, "instanceCode is null");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(clientSecret, "clientSecret is null");
        if (baseUrl.isBlank()) {
            throw new IllegalArgumentException("baseUrl is blank");
        }
    }
}
