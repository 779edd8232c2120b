package io.ferry.postgres;

import io.ferry.archive.format.Compression;
import io.ferry.archive.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The original service's kind of table and task: row versions per base_id; a task archives versions
 * that are superseded (a newer version of the same base exists) and older than :export_boundary.
 */
final class VersionedTable {
    static final String SELECT = """
            -- superseded versions older than the boundary
            COPY (
              SELECT v.id, v.base_id, v.updated_at, v.payload
              FROM versions v
              WHERE v.updated_at < :export_boundary
                AND EXISTS (SELECT 1 FROM versions newer
                            WHERE newer.base_id = v.base_id AND newer.updated_at > v.updated_at)
              ORDER BY v.id
            ) TO STDOUT WITH CSV HEADER
            """;
    static final String DELETE = """
            DELETE FROM versions v
            WHERE v.updated_at < :export_boundary
              AND EXISTS (SELECT 1 FROM versions newer
                          WHERE newer.base_id = v.base_id AND newer.updated_at > v.updated_at)
            """;
    /** The ids that SELECT picks, computed by the database independently of the export. */
    static final String EXPECTED = """
            SELECT v.id FROM versions v
            WHERE v.updated_at < '%s'
              AND v.updated_at < (SELECT max(updated_at) FROM versions m WHERE m.base_id = v.base_id)
            """;

    private VersionedTable() {}

    /** {@code bases} bases with 1 to 6 daily versions from 2024-01-01; payloads need CSV quoting. */
    static void create(TestingDatabase database, int bases, int payloadBytes) throws SQLException {
        database.execute(
                "CREATE TABLE versions (id serial PRIMARY KEY, base_id int NOT NULL, updated_at timestamptz NOT NULL,"
                        + " payload text NOT NULL)",
                "INSERT INTO versions (base_id, updated_at, payload) SELECT b, timestamptz '2024-01-01 00:00:00+00' + v *"
                        + " interval '1 day', 'base ' || b || ', \"v' || v || '\"' || CASE WHEN v = 2 THEN E'\\nline two' ELSE ''"
                        + " END || repeat('x', " + payloadBytes + ") FROM generate_series(1, " + bases
                        + ") b, generate_series(0, (b % 6)) v",
                "CREATE INDEX versions_base ON versions (base_id, updated_at)",
                "ANALYZE versions");
    }

    static void writeTask(Path tasks, String name) throws IOException {
        Path folder = Files.createDirectories(tasks.resolve(name));
        Files.writeString(folder.resolve("select.sql"), SELECT);
        Files.writeString(folder.resolve("delete.sql"), DELETE);
    }

    /** The first-column ids of a stored CSV export, checking its header. */
    static Set<Long> idsIn(ObjectStore store, String key) throws IOException {
        String csv;
        try (InputStream in = Compression.fromSuffix(key).decompress(store.open(key))) {
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return idsOf(csv);
    }

    static Set<Long> idsOf(String csv) {
        List<List<String>> rows = Csv.parse(csv);
        if (!rows.get(0).equals(List.of("id", "base_id", "updated_at", "payload"))) {
            throw new IllegalStateException("unexpected header " + rows.get(0));
        }
        Set<Long> ids = new HashSet<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() != 4 || !ids.add(Long.parseLong(row.get(0)))) {
                throw new IllegalStateException("bad or duplicate row " + row);
            }
        }
        return ids;
    }
}
