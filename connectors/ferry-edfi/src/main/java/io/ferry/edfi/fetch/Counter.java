package io.ferry.edfi.fetch;

import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.api.ApiResource;
import io.ferry.edfi.api.ApiResponse;
import io.ferry.edfi.api.EdFiClient;
import io.ferry.spi.error.FerryException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts records per resource with {@code limit=0&totalCount=true}, concurrently, in dependency order. */
public final class Counter {
    private static final Logger log = LoggerFactory.getLogger(Counter.class);

    private final EdFiClient client;

    public Counter(EdFiClient client) {
        this.client = client;
    }

    public List<ResourceCount> count(List<ApiResource> resources, Map<String, String> query) {
        List<Future<ResourceCount>> futures = new ArrayList<>();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ApiResource resource : resources) {
                futures.add(workers.submit(() -> new ResourceCount(resource, count(resource, query))));
            }
        }
        List<ResourceCount> counts = new ArrayList<>();
        for (Future<ResourceCount> future : futures) {
            counts.add(Fetcher.result(future));
        }
        return counts;
    }

    /** The Total-Count of {@code resource} under {@code query}, or -1 when the API answered no count. */
    public long count(ApiResource resource, Map<String, String> query) {
        String url = client.urls().resourceUrl(resource) + "?" + queryString(query) + "limit=0&totalCount=true";
        ApiResponse answer = client.get(url);
        if (!answer.isSuccess()) {
            if (answer.status() == 401 || answer.status() == 403) {
                throw new FerryException(
                        EdFiErrorCode.AUTH_FAILED,
                        "the API refused to count " + resource + " (HTTP " + answer.status() + ": "
                                + answer.conciseBody(200) + "); check the client's permissions");
            }
            log.warn("cannot count {}: HTTP {} {}", resource, answer.status(), answer.conciseBody(200));
            return -1;
        }
        return answer.totalCount().orElse(-1);
    }

    static String queryString(Map<String, String> query) {
        StringBuilder text = new StringBuilder();
        query.forEach((name, value) -> text.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8))
                .append('&'));
        return text.toString();
    }
}
