package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bookkeeping table in the exported database that closes the window between "file durable" and
 * "delete committed". Before a file is created, a row {@code state = 'started'} naming it is
 * committed on its own; the export's transaction turns it into {@code 'committed'} together with the
 * delete. A {@code 'started'} row found later means that transaction never committed, so its file
 * (if any) holds rows that are still in the table: the next run of the task removes that file
 * instead of leaving a duplicate behind. Files ferry did not start are never touched.
 */
final class ExportLog {
    static final String DEFAULT_TABLE = "ferry_export_log";
    private static final long CREATE_LOCK_KEY = 0x6665727279L; // "ferry"

    /** A file whose export transaction did not (yet) commit. */
    record Started(long id, String key) {}

    private final String table;

    ExportLog(String table) {
        requireNonNull(table, "table is null");
        if (!isValidName(table)) {
            throw new IllegalArgumentException("--log-table must be a table name, optionally schema-qualified,"
                    + " of letters, digits and '_', got '" + table
                    + "' (example: --log-table archive.ferry_export_log)");
        }
        this.table = table;
    }

    static boolean isValidName(String table) {
        return table.matches("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    }

    String table() {
        return table;
    }

    /** Creates the table when missing; safe when several ferry processes start at once. */
    void ensureTable(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK_KEY + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "id bigserial PRIMARY KEY, "
                    + "task text NOT NULL, "
                    + "store text NOT NULL, "
                    + "object_key text NOT NULL, "
                    + "state text NOT NULL CHECK (state IN ('started', 'committed')), "
                    + "started_at timestamptz NOT NULL DEFAULT now(), "
                    + "finished_at timestamptz, "
                    + "rows bigint, "
                    + "deleted_rows bigint, "
                    + "bytes bigint, "
                    + "sha256 text, "
                    + "snapshot text)");
            String index = table.substring(table.lastIndexOf('.') + 1) + "_started";
            statement.execute(
                    "CREATE INDEX IF NOT EXISTS " + index + " ON " + table + " (task, store) WHERE state = 'started'");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Commits (auto-commit) a {@code started} row for {@code key}; returns its id. */
    long start(Connection connection, String task, String store, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table
                + " (task, store, object_key, state) VALUES (?, ?, ?, 'started') RETURNING id")) {
            statement.setString(1, task);
            statement.setString(2, store);
            statement.setString(3, key);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Marks the row committed, inside the export's transaction; the transaction's commit makes it so. */
    void finish(Connection connection, long id, long rows, long deletedRows, long bytes, String sha256, String snapshot)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + table
                + " SET state = 'committed', finished_at = clock_timestamp(), rows = ?, deleted_rows = ?, bytes = ?,"
                + " sha256 = ?, snapshot = ? WHERE id = ? AND state = 'started'")) {
            statement.setLong(1, rows);
            statement.setLong(2, deletedRows);
            statement.setLong(3, bytes);
            statement.setString(4, sha256);
            statement.setString(5, snapshot);
            statement.setLong(6, id);
            if (statement.executeUpdate() != 1) {
                throw new SQLException("the " + table + " row " + id + " of this export is missing or already"
                        + " committed; was the table changed by hand?");
            }
        }
    }

    /** The task's files in {@code store} whose export never committed. */
    List<Started> unfinished(Connection connection, String task, String store) throws SQLException {
        List<Started> started = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, object_key FROM " + table
                + " WHERE task = ? AND store = ? AND state = 'started' ORDER BY id")) {
            statement.setString(1, task);
            statement.setString(2, store);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    started.add(new Started(result.getLong(1), result.getString(2)));
                }
            }
        }
        return started;
    }

    /** Forgets a {@code started} row whose file is gone (auto-commit). */
    void forget(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("DELETE FROM " + table + " WHERE id = ? AND state = 'started'")) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    /**
     * The row's state once any transaction still writing it has ended ({@code FOR UPDATE} waits for
     * it); empty when the row is gone.
     */
    Optional<String> settledState(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT state FROM " + table + " WHERE id = ? FOR UPDATE")) {
            statement.setLong(1, id);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(result.getString(1)) : Optional.empty();
            }
        }
    }
}
