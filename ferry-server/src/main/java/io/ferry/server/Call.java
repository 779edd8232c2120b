package io.ferry.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One request as a route sees it: its path parameters, query parameters and JSON body. */
final class Call {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpExchange exchange;
    private final Map<String, String> path;
    private final Map<String, String> query;
    private final byte[] body;

    Call(HttpExchange exchange, Map<String, String> path, byte[] body) {
        this.exchange = requireNonNull(exchange, "exchange is null");
        this.path = Map.copyOf(path);
        this.body = body.clone();
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    HttpExchange exchange() {
        return exchange;
    }

    String path(String name) {
        String value = path.get(name);
        if (value == null) {
            throw new IllegalStateException("no path parameter " + name);
        }
        return value;
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The body as JSON; an empty body is a missing node; a body that is not JSON is a 400. */
    JsonNode json() {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpProblem(
                    400, "The body is not valid JSON: " + e.getOriginalMessage() + " (send a JSON object)");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> parseQuery(@Nullable String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
