package io.ferry.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes one line per job event (created, started, resumed, paused, cancelled, retuned,
 * succeeded, failed) with the job's id: as JSON objects for log pipelines, or as plain text.
 * Secrets are masked before anything is written.
 */
public final class JobEvents {
    /** How each line looks. */
    public enum Format {
        TEXT,
        JSON;

        public static Format parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default ->
                    throw new IllegalArgumentException(
                            "--log-format must be text or json, got '" + value + "' (example: --log-format json)");
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Format format;

    public JobEvents(PrintStream out, Format format) {
        this.out = requireNonNull(out, "out is null");
        this.format = requireNonNull(format, "format is null");
    }

    void emit(
            String event,
            String job,
            String kind,
            ServedState state,
            long records,
            long bytes,
            @Nullable String error) {
        Instant now = Instant.now();
        String line;
        if (format == Format.JSON) {
            ObjectNode json = JSON.createObjectNode();
            json.put("time", now.toString());
            json.put("event", event);
            json.put("job", job);
            json.put("kind", kind);
            json.put("state", state.label());
            json.put("records", records);
            json.put("bytes", bytes);
            if (error != null) {
                json.put("error", Secrets.mask(error));
            }
            line = json.toString();
        } else {
            line = now + " job " + job + " (" + kind + ") " + event + ": " + state.label() + ", " + records
                    + " records, " + bytes + " bytes" + (error == null ? "" : "; error: " + Secrets.mask(error));
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
