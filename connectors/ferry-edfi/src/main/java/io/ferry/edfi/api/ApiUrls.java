package io.ferry.edfi.api;

import static java.util.Objects.requireNonNull;

/** The URLs the commands use, discovered from the base URL's document or set in the YAML file. */
public record ApiUrls(
        String baseUrl, String oauthUrl, String dependenciesUrl, String openApiMetadataUrl, String dataUrl) {
    public ApiUrls {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(oauthUrl, "oauthUrl is null");
        requireNonNull(dependenciesUrl, "dependenciesUrl is null");
        requireNonNull(openApiMetadataUrl, "openApiMetadataUrl is null");
        requireNonNull(dataUrl, "dataUrl is null");
    }

    /** The collection URL of {@code resource}: {@code {dataUrl}/{namespace}/{name}}. */
    public String resourceUrl(ApiResource resource) {
        return join(dataUrl, resource.namespace() + "/" + resource.name());
    }

    static String join(String base, String path) {
        String left = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String right = path.startsWith("/") ? path.substring(1) : path;
        return left + "/" + right;
    }
}
