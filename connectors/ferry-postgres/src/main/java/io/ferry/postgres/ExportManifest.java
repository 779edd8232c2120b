package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code <file>.manifest.json} written next to each archive before the delete commits. {@code
 * bytes} and {@code sha256} describe the stored (compressed) file; {@code delete} says what happened
 * to the exported rows ({@code delete.sql}, {@code delete-returning}, {@code kept} or {@code none});
 * {@code logTable}/{@code logId} name the bookkeeping row whose {@code committed} state is the proof
 * that the transaction (and the delete) committed.
 */
record ExportManifest(
        String task,
        String file,
        long rows,
        long deletedRows,
        String delete,
        long csvBytes,
        long bytes,
        String sha256,
        String compression,
        int compressionLevel,
        String queryHash,
        Map<String, String> parameters,
        Instant startedAt,
        Instant finishedAt,
        String database,
        String snapshot,
        String logTable,
        long logId) {
    static final int FORMAT_VERSION = 1;
    static final String SUFFIX = ".manifest.json";
    private static final JsonFactory JSON = new JsonFactory();

    ExportManifest {
        requireNonNull(task, "task is null");
        requireNonNull(file, "file is null");
        requireNonNull(delete, "delete is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(queryHash, "queryHash is null");
        parameters = new TreeMap<>(parameters);
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(database, "database is null");
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(logTable, "logTable is null");
    }

    // Written with the streaming generator: ObjectMapper would load ~400 classes, a visible share of a
    // short export's start-up.
    byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("formatVersion", FORMAT_VERSION);
            json.writeStringField("task", task);
            json.writeStringField("file", file);
            json.writeNumberField("rows", rows);
            json.writeNumberField("deletedRows", deletedRows);
            json.writeStringField("delete", delete);
            json.writeNumberField("csvBytes", csvBytes);
            json.writeNumberField("bytes", bytes);
            json.writeStringField("sha256", sha256);
            json.writeStringField("compression", compression);
            json.writeNumberField("compressionLevel", compressionLevel);
            json.writeStringField("queryHash", queryHash);
            json.writeObjectFieldStart("parameters");
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                json.writeStringField(parameter.getKey(), parameter.getValue());
            }
            json.writeEndObject();
            json.writeStringField("startedAt", startedAt.toString());
            json.writeStringField("finishedAt", finishedAt.toString());
            json.writeStringField("database", database);
            json.writeStringField("snapshot", snapshot);
            json.writeStringField("logTable", logTable);
            json.writeNumberField("logId", logId);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a manifest to memory cannot fail", e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
