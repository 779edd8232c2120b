package io.ferry.edfi.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.api.ApiResponse;
import io.ferry.edfi.api.EdFiClient;
import io.ferry.edfi.api.ResourceSchemas;
import io.ferry.edfi.api.ResourceSchemas.IdentityField;
import io.ferry.edfi.data.ResourceFiles;
import io.ferry.edfi.send.ResourceResults;
import io.ferry.edfi.send.RunResults;
import io.ferry.edfi.state.PayloadHash;
import io.ferry.edfi.state.PayloadState;
import io.ferry.spi.error.FerryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * {@code delete}: for each payload line, finds the record by its natural key and deletes it by id,
 * then forgets the payload in the send state. {@code truncate}: deletes every record of a resource
 * and clears its send state. Resources are processed in the order given (reverse dependency order).
 */
public final class Deleter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRUNCATE_PAGE = 500;

    private final EdFiClient client;
    private final @Nullable Path stateDir;

    public Deleter(EdFiClient client, @Nullable Path stateDir) {
        this.client = client;
        this.stateDir = stateDir;
    }

    public void delete(List<ResourceFiles> resources, ResourceSchemas schemas, RunResults results) {
        for (ResourceFiles resource : resources) {
            List<IdentityField> identity = schemas.identity(resource.resource());
            if (identity.isEmpty()) {
                throw new FerryException(
                        EdFiErrorCode.API_ERROR,
                        "the API's resources document gives no identity properties for " + resource.resource()
                                + ", so its records cannot be found to delete");
            }
            ResourceResults counts = results.resource(resource.resource().name());
            String url = client.urls().resourceUrl(resource.resource());
            Semaphore pending = new Semaphore(client.config().connection().poolSize() * 4);
            try (PayloadState state = state(resource.resource());
                    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Path file : resource.files()) {
                    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        String raw;
                        long number = 0;
                        while ((raw = reader.readLine()) != null) {
                            number++;
                            String line = raw.strip();
                            if (line.isEmpty()) {
                                continue;
                            }
                            long lineNumber = number;
                            pending.acquireUninterruptibly();
                            workers.execute(() -> {
                                try {
                                    deleteOne(url, line, identity, file.toString(), lineNumber, state, counts);
                                } finally {
                                    pending.release();
                                }
                            });
                        }
                    } catch (IOException e) {
                        throw new FerryException(
                                EdFiErrorCode.BAD_DATA, "cannot read data file " + file + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    private void deleteOne(
            String url,
            String line,
            List<IdentityField> identity,
            String file,
            long number,
            PayloadState state,
            ResourceResults counts) {
        JsonNode payload;
        try {
            payload = JSON.readTree(line);
        } catch (IOException e) {
            counts.failed(0, "not a JSON object", file, number);
            return;
        }
        Map<String, String> key = new LinkedHashMap<>();
        for (IdentityField field : identity) {
            field.valueIn(payload).ifPresent(value -> key.put(field.queryName(), value.asText()));
        }
        if (key.size() < identity.size()) {
            counts.failed(0, "the payload lacks natural-key properties, so its record cannot be found", file, number);
            return;
        }
        try {
            ApiResponse found = client.get(url + "?" + Counter.queryString(key) + "limit=2");
            if (!found.isSuccess()) {
                counts.failed(found.status(), found.status() + ": " + found.conciseBody(500), file, number);
                return;
            }
            JsonNode matches = JSON.readTree(found.body());
            if (matches == null || !matches.isArray() || matches.isEmpty()) {
                counts.skipped();
                state.forget(PayloadHash.of(line));
                return;
            }
            ApiResponse deleted =
                    client.delete(url + "/" + matches.get(0).path("id").asText());
            if (deleted.isSuccess() || deleted.status() == 404) {
                counts.succeeded(deleted.status());
                state.forget(PayloadHash.of(line));
            } else {
                counts.failed(deleted.status(), deleted.status() + ": " + deleted.conciseBody(500), file, number);
            }
        } catch (IOException e) {
            counts.failed(0, "the API's answer is not JSON", file, number);
        } catch (FerryException e) {
            if (e.code() != EdFiErrorCode.API_UNREACHABLE) {
                throw e;
            }
            counts.failed(0, "no answer: " + e.getMessage(), file, number);
        }
    }

    /** Deletes every record of each resource and clears its send state. */
    public void truncate(List<ApiResource> resources, RunResults results) {
        for (ApiResource resource : resources) {
            ResourceResults counts = results.resource(resource.name());
            String url = client.urls().resourceUrl(resource);
            List<String> ids = new ArrayList<>();
            for (long offset = 0; ; offset += TRUNCATE_PAGE) {
                ApiResponse page = client.get(url + "?offset=" + offset + "&limit=" + TRUNCATE_PAGE);
                if (!page.isSuccess()) {
                    throw new FerryException(
                            EdFiErrorCode.API_ERROR,
                            "listing " + resource + " answered HTTP " + page.status() + " (" + page.conciseBody(200)
                                    + ")");
                }
                JsonNode records;
                try {
                    records = JSON.readTree(page.body());
                } catch (IOException e) {
                    throw new FerryException(
                            EdFiErrorCode.API_ERROR, "listing " + resource + " did not answer JSON", e);
                }
                records.forEach(record -> ids.add(record.path("id").asText()));
                if (records.size() < TRUNCATE_PAGE) {
                    break;
                }
            }
            try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (String id : ids) {
                    workers.execute(() -> {
                        ApiResponse deleted = client.delete(url + "/" + id);
                        if (deleted.isSuccess() || deleted.status() == 404) {
                            counts.succeeded(deleted.status());
                        } else {
                            counts.failed(
                                    deleted.status(),
                                    deleted.status() + ": " + deleted.conciseBody(500),
                                    "id " + id,
                                    0);
                        }
                    });
                }
            }
            try (PayloadState state = state(resource)) {
                state.clear();
            }
        }
    }

    private PayloadState state(ApiResource resource) {
        return stateDir == null ? PayloadState.untracked() : PayloadState.open(stateDir, resource.name());
    }
}
