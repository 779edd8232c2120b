package io.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A job's live limits: records and bytes per second, 0 for none. Changed by PATCH while the job runs. */
public record Limits(long recordsPerSecond, long bytesPerSecond) {
    public static final Limits NONE = new Limits(0, 0);

    static final String RECORDS = "records_per_second";
    static final String BYTES = "bytes_per_second";

    public Limits {
        if (recordsPerSecond < 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("limits must be 0 (none) or more, got " + recordsPerSecond
                    + " records/s and " + bytesPerSecond + " bytes/s");
        }
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put(RECORDS, recordsPerSecond);
        json.put(BYTES, bytesPerSecond);
        return json;
    }

    /**
     * These limits changed by the fields present in {@code json} (under {@code field}); every bad
     * field is added to {@code errors}.
     */
    Limits merge(JsonNode json, String field, List<FieldError> errors) {
        if (json.isMissingNode() || json.isNull()) {
            return this;
        }
        if (!json.isObject()) {
            errors.add(new FieldError(
                    field, "must be an object such as {\"" + RECORDS + "\": 5000, \"" + BYTES + "\": 0}"));
            return this;
        }
        long records = recordsPerSecond;
        long bytes = bytesPerSecond;
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = json.get(name);
            boolean valid = value.isIntegralNumber() && value.asLong() >= 0;
            switch (name) {
                case RECORDS -> {
                    if (valid) {
                        records = value.asLong();
                    }
                }
                case BYTES -> {
                    if (valid) {
                        bytes = value.asLong();
                    }
                }
                default -> {
                    unknown.add(name);
                    continue;
                }
            }
            if (!valid) {
                errors.add(new FieldError(
                        field + "." + name,
                        "must be a whole number, 0 for no limit, got " + value + " (example: 5000)"));
            }
        }
        for (String name : unknown) {
            errors.add(new FieldError(
                    field + "." + name,
                    "is not a live limit; the live limits are " + RECORDS + " and " + BYTES
                            + " (other options need a new job)"));
        }
        return new Limits(records, bytes);
    }

    static Limits fromJson(JsonNode json) {
        return new Limits(json.path(RECORDS).asLong(0), json.path(BYTES).asLong(0));
    }
}
