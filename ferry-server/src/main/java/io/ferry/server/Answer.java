package io.ferry.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** What a route answers: JSON, text of a content type, or nothing more (it wrote a stream itself). */
sealed interface Answer {
    Answer WRITTEN = new Written();

    record Json(int status, JsonNode body) implements Answer {
        public Json {
            requireNonNull(body, "body is null");
        }
    }

    record Text(int status, String contentType, String body) implements Answer {
        public Text {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(body, "body is null");
        }
    }

    record Written() implements Answer {}

    static Answer json(JsonNode body) {
        return new Json(200, body);
    }
}
