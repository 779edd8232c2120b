package io.ferry.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a client asks to run: the kind of job, where from, where to, and the kind's options (named
 * like the command line's, without the dashes: {@code {"compression": "gzip"}}).
 */
public record JobRequest(String kind, @Nullable String from, List<String> to, ObjectNode options) {
    public JobRequest {
        requireNonNull(kind, "kind is null");
        to = List.copyOf(to);
        options = requireNonNull(options, "options is null").deepCopy();
    }

    public Optional<String> findFrom() {
        return Optional.ofNullable(from);
    }

    /** The request as JSON, the form it is stored in. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("kind", kind);
        if (from != null) {
            json.put("from", from);
        }
        to.forEach(json.putArray("to")::add);
        json.set("options", options.deepCopy());
        return json;
    }

    /** Reads a stored request (as {@link #toJson()} wrote it). */
    public static JobRequest fromJson(JsonNode json) {
        List<String> to = new java.util.ArrayList<>();
        json.path("to").forEach(node -> to.add(node.asText()));
        JsonNode options = json.path("options");
        return new JobRequest(
                json.path("kind").asText(),
                json.hasNonNull("from") ? json.get("from").asText() : null,
                to,
                options instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode());
    }
}
