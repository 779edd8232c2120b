package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** A small HTTP client for the ferry serve API, as tests use it. */
final class ServeClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final @Nullable String token;

    ServeClient(String base, @Nullable String token) {
        this.base = base;
        this.token = token;
    }

    ServeClient withToken(@Nullable String other) {
        return new ServeClient(base, other);
    }

    String base() {
        return base;
    }

    Answer send(String method, String path, @Nullable String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Answer get(String path) {
        return send("GET", path, null);
    }

    Answer post(String path, @Nullable String body) {
        return send("POST", path, body);
    }

    /** GETs {@code path}, expecting 200, as JSON. */
    JsonNode json(String path) {
        Answer answer = get(path);
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    /** Creates a job, expecting 201; returns its id. */
    String create(String request) {
        Answer answer = post("/jobs", request);
        assertEquals(201, answer.status(), answer.body());
        return answer.json().get("id").asText();
    }

    /** Polls the job until {@code condition} holds; fails after {@code timeout}. */
    JsonNode await(String id, Duration timeout, String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = json("/jobs/" + id);
        while (!condition.test(job)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " did not reach: " + what + "; last seen " + job);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            job = json("/jobs/" + id);
        }
        return job;
    }

    JsonNode awaitState(String id, String state, Duration timeout) {
        return await(id, timeout, "state " + state, job -> {
            String now = job.get("state").asText();
            if (!now.equals(state)
                    && !job.get("stopping").asBoolean()
                    && (now.equals("failed") || now.equals("cancelled"))) {
                throw new AssertionError("job " + id + " ended " + now + " waiting for " + state + ": " + job);
            }
            return now.equals(state);
        });
    }
}
