package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
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
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    byte[] toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("formatVersion", FORMAT_VERSION);
        node.put("task", task);
        node.put("file", file);
        node.put("rows", rows);
        node.put("deletedRows", deletedRows);
        node.put("delete", delete);
        node.put("csvBytes", csvBytes);
        node.put("bytes", bytes);
        node.put("sha256", sha256);
        node.put("compression", compression);
        node.put("compressionLevel", compressionLevel);
        node.put("queryHash", queryHash);
        ObjectNode values = node.putObject("parameters");
        parameters.forEach(values::put);
        node.put("startedAt", startedAt.toString());
        node.put("finishedAt", finishedAt.toString());
        node.put("database", database);
        node.put("snapshot", snapshot);
        node.put("logTable", logTable);
        node.put("logId", logId);
        try {
            return (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
