package io.ferry.edfi;

import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.api.EdFiClient;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.data.DataDirectory;
import io.ferry.edfi.data.Selection;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A connection to the API of a configuration: its URLs discovered and its resources known in
 * dependency order, those of the configured namespaces (namespace, and namespace_overrides) only.
 */
public final class EdFiSession implements AutoCloseable {
    private final EdFiConfig config;
    private final EdFiClient client;
    private final List<ApiResource> resources;
    private @Nullable DataDirectory data;

    private EdFiSession(EdFiConfig config, EdFiClient client, List<ApiResource> resources) {
        this.config = config;
        this.client = client;
        this.resources = resources;
    }

    public static EdFiSession open(EdFiConfig config) {
        EdFiClient client = EdFiClient.connect(config);
        try {
            List<ApiResource> resources = new ArrayList<>();
            for (ApiResource resource : client.resourcesInDependencyOrder()) {
                if (resource.namespace().equals(config.namespaceOf(resource.name()))) {
                    resources.add(resource);
                }
            }
            return new EdFiSession(config, client, List.copyOf(resources));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    public EdFiConfig config() {
        return config;
    }

    public EdFiClient client() {
        return client;
    }

    /** The API's resources in the configured namespaces, in dependency order. */
    public List<ApiResource> resources() {
        return resources;
    }

    /** The resources that {@code -s} selects and {@code -e} does not exclude, in dependency order. */
    public List<ApiResource> select(String selector, String exclude) {
        return Selection.apply(resources, selector, exclude);
    }

    /** data_dir, scanned on first use; fails when it holds a data file named after no resource. */
    public synchronized DataDirectory data() {
        if (data == null) {
            data = DataDirectory.scan(config.dataDir(), resources);
        }
        return data;
    }

    @Override
    public void close() {
        client.close();
    }
}
