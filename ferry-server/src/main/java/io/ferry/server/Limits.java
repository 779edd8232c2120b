package io.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A job's live limits: records and bytes per second, 0 for none; the size archive objects roll
 * over at, 0 for the job's own {@code object-size}; how many splits run at once, 0 for the job's own
 * {@code parallelism}. Changed by PATCH while the job runs.
 */
public record Limits(long recordsPerSecond, long bytesPerSecond, long objectSizeBytes, int concurrency) {
    public static final Limits NONE = new Limits(0, 0, 0, 0);

    static final String RECORDS = "records_per_second";
    static final String BYTES = "bytes_per_second";
    static final String OBJECT_SIZE = "object_size_bytes";
    static final String CONCURRENCY = "concurrency";
    static final int MAX_CONCURRENCY = 1024;

    public Limits {
        if (recordsPerSecond < 0 || bytesPerSecond < 0 || objectSizeBytes < 0 || concurrency < 0) {
            throw new IllegalArgumentException("limits must be 0 (none) or more, got " + recordsPerSecond
                    + " records/s, " + bytesPerSecond + " bytes/s, objects of " + objectSizeBytes + " bytes and "
                    + concurrency + " splits at once");
        }
    }

    /** Rate limits only; objects and concurrency as the job's own options say. */
    public Limits(long recordsPerSecond, long bytesPerSecond) {
        this(recordsPerSecond, bytesPerSecond, 0, 0);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put(RECORDS, recordsPerSecond);
        json.put(BYTES, bytesPerSecond);
        json.put(OBJECT_SIZE, objectSizeBytes);
        json.put(CONCURRENCY, concurrency);
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
        long objectSize = objectSizeBytes;
        int splits = concurrency;
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
                case OBJECT_SIZE -> {
                    if (valid) {
                        objectSize = value.asLong();
                    }
                }
                case CONCURRENCY -> {
                    valid &= value.asLong() <= MAX_CONCURRENCY;
                    if (valid) {
                        splits = value.asInt();
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
                        switch (name) {
                            case OBJECT_SIZE ->
                                "must be a whole number of bytes, 0 for the job's own object-size, got " + value
                                        + " (example: 1048576)";
                            case CONCURRENCY ->
                                "must be a whole number of splits from 0 (the job's own parallelism) to "
                                        + MAX_CONCURRENCY + ", got " + value + " (example: 4)";
                            default -> "must be a whole number, 0 for no limit, got " + value + " (example: 5000)";
                        }));
            }
        }
        for (String name : unknown) {
            errors.add(new FieldError(
                    field + "." + name,
                    "is not a live limit; the live limits are " + RECORDS + ", " + BYTES + ", " + OBJECT_SIZE + " and "
                            + CONCURRENCY
                            + " (other options need a new job)"));
        }
        return new Limits(records, bytes, objectSize, splits);
    }

    static Limits fromJson(JsonNode json) {
        return new Limits(
                json.path(RECORDS).asLong(0),
                json.path(BYTES).asLong(0),
                json.path(OBJECT_SIZE).asLong(0),
                json.path(CONCURRENCY).asInt(0));
    }
}
