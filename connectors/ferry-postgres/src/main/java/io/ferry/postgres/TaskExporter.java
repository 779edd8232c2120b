package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import io.ferry.archive.format.Compression;
import io.ferry.archive.format.CountingOutputStream;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.ObjectUpload;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task on its own connection:
 *
 * <ol>
 *   <li>takes the task's session advisory lock (busy: {@code TASK_BUSY});
 *   <li>removes files of earlier runs whose transaction never committed (see {@link ExportLog});
 *   <li>commits a {@code started} log row naming the new file;
 *   <li>in one REPEATABLE READ transaction: streams the COPY through the compressor into the store,
 *       commits the file (durable), runs delete.sql on the same snapshot and checks that it deleted
 *       exactly the exported rows, writes the manifest, marks the log row committed, and commits.
 * </ol>
 *
 * Any failure before the commit rolls back, so nothing is deleted; the file and manifest are removed
 * again, and if the process dies before it can, the next run of the task does it. A serialization
 * conflict with concurrent writers is retried with a new snapshot (and a new file).
 */
public final class TaskExporter {
    private static final Logger LOG = LoggerFactory.getLogger(TaskExporter.class);
    private static final int COPY_BUFFER_BYTES = 256 * 1024;
    private static final int MAX_NAME_ATTEMPTS = 1000;

    private final Database database;
    private final ObjectStore store;
    private final ExportSettings settings;
    private final ExportLog log;

    public TaskExporter(Database database, ObjectStore store, ExportSettings settings) {
        this.database = requireNonNull(database, "database is null");
        this.store = requireNonNull(store, "store is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.log = new ExportLog(settings.logTable());
    }

    /**
     * Checks that the database answers and, unless this is a dry run, creates the bookkeeping table
     * if it is missing. Run once before the tasks, so that a database that is down fails the run once.
     */
    public void prepare() {
        try (Connection connection = database.connect()) {
            if (!settings.dryRun()) {
                log.ensureTable(connection);
            }
        } catch (SQLException e) {
            throw new FerryException(
                    PostgresErrorCode.DATABASE_ERROR,
                    "cannot create the bookkeeping table " + log.table() + " in "
                            + database.url().masked() + ": "
                            + database.describe(e) + "; grant the user CREATE on the schema, or create the table"
                            + " once as its owner (or choose another with --log-table)",
                    database.scrubbed(e));
        }
    }

    /** Exports {@code task}; fails with a {@link FerryException} whose message names the task. */
    public TaskResult export(TaskFolder task) {
        requireNonNull(task, "task is null");
        if (settings.keep() && task.mode() == TaskFolder.Mode.DELETE_RETURNING && !settings.dryRun()) {
            throw new FerryException(
                    PostgresErrorCode.BAD_TASK,
                    "task '" + task.name() + "': select.sql deletes as it exports (COPY (DELETE ... RETURNING"
                            + " ...)), so --keep cannot keep its rows; run it without --keep, or write select.sql as"
                            + " a SELECT with a separate delete.sql");
        }
        task.render(settings.parameters(), true); // parameter errors before any connection
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(task);
            } catch (Conflict conflict) {
                if (attempt >= settings.attempts()) {
                    throw new FerryException(
                            PostgresErrorCode.DATABASE_ERROR,
                            "task '" + task.name() + "': concurrent writers changed rows of the export " + attempt
                                    + " times in a row (" + database.describe(conflict.cause)
                                    + "); nothing was deleted; run it again when writes are quieter",
                            database.scrubbed(conflict.cause));
                }
                LOG.info("task {}: serialization conflict, trying again with a new snapshot", task.name());
                sleep(Duration.ofMillis(200L * attempt));
            }
        }
    }

    private TaskResult attempt(TaskFolder task) {
        Instant started = settings.clock().instant();
        try (Connection connection = connect(task)) {
            TaskFolder.RenderedTask rendered =
                    task.render(settings.parameters(), standardConformingStrings(connection, task));
            if (settings.dryRun()) {
                return dryRun(connection, rendered, started);
            }
            lock(connection, task);
            int orphans = removeUnfinished(connection, task);
            String key = freshKey(task);
            long logId = sql(
                    task,
                    "recording the export in " + log.table(),
                    () -> log.start(connection, task.name(), store.describe(), key));
            return exportInTransaction(connection, rendered, key, logId, started, orphans);
        } catch (SQLException e) {
            throw failure(task, "closing the connection", e);
        } catch (FerryException e) {
            throw prefixed(task, e);
        }
    }

    private TaskResult exportInTransaction(
            Connection connection,
            TaskFolder.RenderedTask rendered,
            String key,
            long logId,
            Instant started,
            int orphans) {
        TaskFolder task = rendered.folder();
        String snapshot = sql(task, "starting the REPEATABLE READ transaction", () -> beginRepeatableRead(connection));
        Copied copied;
        try (ObjectUpload upload = store.create(key)) {
            copied = copy(connection, rendered, upload);
            upload.commit();
        } catch (RuntimeException e) {
            discard(connection); // mid-COPY a connection cannot be reused; closing it rolls back
            forgetQuietly(logId);
            throw e instanceof FerryException ferry ? prefixed(task, ferry) : e;
        }
        // The file is durable. From here on a failure must remove it again: its rows stay in the table.
        try {
            long deleted = deleteExported(connection, rendered, copied.rows());
            Instant finished = settings.clock().instant();
            writeManifest(new ExportManifest(
                    task.name(),
                    key,
                    copied.rows(),
                    deleted,
                    deleteMode(task),
                    copied.csvBytes(),
                    copied.bytes(),
                    copied.sha256(),
                    settings.compression().name().toLowerCase(Locale.ROOT),
                    settings.compressionLevel(),
                    task.queryHash(),
                    settings.parameters(),
                    started,
                    finished,
                    database.url().masked(),
                    snapshot,
                    log.table(),
                    logId));
            run(task, "marking the export committed in " + log.table(), () -> {
                log.finish(connection, logId, copied.rows(), deleted, copied.bytes(), copied.sha256(), snapshot);
            });
            commit(connection, task, key, logId);
            return new TaskResult(
                    task.name(),
                    Optional.of(key),
                    copied.rows(),
                    deleted,
                    copied.csvBytes(),
                    copied.bytes(),
                    copied.sha256(),
                    Duration.between(started, settings.clock().instant()),
                    orphans,
                    false);
        } catch (RuntimeException e) {
            if (!(e instanceof AmbiguousCommit)) {
                rollbackQuietly(connection);
                removeQuietly(key);
                forgetQuietly(logId);
            }
            throw e instanceof AmbiguousCommit ambiguous ? ambiguous.error : e;
        }
    }

    private Copied copy(Connection connection, TaskFolder.RenderedTask rendered, ObjectUpload upload) {
        TaskFolder task = rendered.folder();
        MessageDigest digest = sha256();
        CountingOutputStream stored = new CountingOutputStream(upload.stream());
        long csvBytes = 0;
        long rows;
        try {
            Compression compression = settings.compression();
            // compression runs on worker threads, so reading the COPY and compressing use every core
            try (OutputStream out = compression.compress(
                    new DigestOutputStream(stored, digest),
                    settings.compressionLevel(),
                    settings.compressionThreads())) {
                CopyOut copyOut =
                        connection.unwrap(PGConnection.class).getCopyAPI().copyOut(rendered.copySql());
                // The driver returns each row (one CopyData message) as an array of its own; gathering
                // them here hands the compressor large writes, without a stream's lock per row.
                byte[] buffer = new byte[COPY_BUFFER_BYTES];
                int filled = 0;
                byte[] row;
                while ((row = copyOut.readFromCopy()) != null) {
                    if (row.length > buffer.length - filled) {
                        out.write(buffer, 0, filled);
                        csvBytes += filled;
                        filled = 0;
                        if (row.length > buffer.length) {
                            out.write(row);
                            csvBytes += row.length;
                            continue;
                        }
                    }
                    System.arraycopy(row, 0, buffer, filled, row.length);
                    filled += row.length;
                }
                out.write(buffer, 0, filled);
                csvBytes += filled;
                rows = copyOut.getHandledRowCount();
            }
        } catch (SQLException e) {
            throw failure(task, TaskFolder.SELECT_FILE, e);
        } catch (IOException e) {
            if (e.getCause() instanceof FerryException ferry) {
                throw prefixed(task, ferry);
            }
            throw new FerryException(
                    StandardErrorCode.IO_ERROR,
                    "task '" + task.name() + "': writing the export to " + store.describe() + " failed: " + e
                            + "; check that the destination is writable and has space, then run the task again"
                            + " (nothing was deleted)",
                    e);
        } catch (FerryException e) {
            throw prefixed(task, e);
        }
        return new Copied(rows, csvBytes, stored.count(), HexFormat.of().formatHex(digest.digest()));
    }

    private long deleteExported(Connection connection, TaskFolder.RenderedTask rendered, long rows) {
        TaskFolder task = rendered.folder();
        return switch (task.mode()) {
            case EXPORT_ONLY -> 0;
            case DELETE_RETURNING -> rows;
            case COPY_THEN_DELETE -> {
                if (settings.keep()) {
                    yield 0;
                }
                String delete = rendered.deleteSql().orElseThrow();
                long deleted = sql(task, TaskFolder.DELETE_FILE, () -> {
                    try (Statement statement = connection.createStatement()) {
                        long count = 0;
                        boolean isResultSet = statement.execute(delete);
                        while (true) {
                            if (!isResultSet) {
                                long update = statement.getLargeUpdateCount();
                                if (update < 0) {
                                    break;
                                }
                                count += update;
                            }
                            isResultSet = statement.getMoreResults();
                        }
                        return count;
                    }
                });
                if (deleted != rows) {
                    throw new FerryException(
                            PostgresErrorCode.DELETE_MISMATCH,
                            "task '" + task.name() + "': delete.sql ("
                                    + task.directory().resolve(TaskFolder.DELETE_FILE)
                                    + ") deleted " + deleted + " rows but select.sql exported " + rows
                                    + "; rolled back, nothing was deleted and the file was removed. Make delete.sql's"
                                    + " WHERE select exactly the rows select.sql exports");
                }
                yield deleted;
            }
        };
    }

    private String deleteMode(TaskFolder task) {
        return switch (task.mode()) {
            case EXPORT_ONLY -> "none";
            case DELETE_RETURNING -> "delete-returning";
            case COPY_THEN_DELETE -> settings.keep() ? "kept" : "delete.sql";
        };
    }

    private void writeManifest(ExportManifest manifest) {
        try (ObjectUpload upload = store.create(manifest.file() + ExportManifest.SUFFIX)) {
            upload.stream().write(manifest.toJson());
            upload.stream().flush();
            upload.commit();
        } catch (IOException e) {
            throw new FerryException(
                    StandardErrorCode.IO_ERROR,
                    "task '" + manifest.task() + "': writing the manifest of " + manifest.file() + " failed: " + e
                            + "; nothing was deleted",
                    e);
        }
    }

    /**
     * Commits; when the connection breaks during the commit, the outcome is unknown to us, so we ask
     * the database (waiting for the old transaction to end) rather than remove a file whose rows
     * may already be deleted.
     */
    private void commit(Connection connection, TaskFolder task, String key, long logId) {
        try {
            connection.commit();
            return;
        } catch (SQLException e) {
            if (!"08006".equals(e.getSQLState())
                    && !"08003".equals(e.getSQLState())
                    && e.getSQLState() != null
                    && !e.getSQLState().startsWith("57P")) {
                throw failure(task, "the commit", e); // the server refused: rolled back
            }
            Optional<String> state;
            try (Connection check = database.connect()) {
                state = log.settledState(check, logId);
            } catch (SQLException | FerryException unknown) {
                throw new AmbiguousCommit(new FerryException(
                        PostgresErrorCode.DATABASE_ERROR,
                        "task '" + task.name() + "': the connection broke during the commit and the outcome cannot be"
                                + " checked (" + database.describe(e) + "); " + key + " stays until the next run of"
                                + " the task, which keeps it if the commit happened and removes it otherwise",
                        database.scrubbed(e)));
            }
            if (state.isPresent() && state.get().equals("committed")) {
                return;
            }
            throw failure(task, "the commit", e);
        }
    }

    private TaskResult dryRun(Connection connection, TaskFolder.RenderedTask rendered, Instant started) {
        TaskFolder task = rendered.folder();
        long rows;
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                if (task.mode() == TaskFolder.Mode.DELETE_RETURNING) {
                    // counting needs the DELETE to run; the rollback below undoes it
                    CountingOutputStream discard = new CountingOutputStream(OutputStream.nullOutputStream());
                    rows = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(rendered.copySql(), discard);
                } else {
                    connection.setReadOnly(true);
                    rows = sql(
                            task,
                            TaskFolder.SELECT_FILE,
                            () -> Long.parseLong(queryString(
                                    connection, "SELECT count(*) FROM (" + rendered.query() + "\n) AS ferry_dry_run")));
                    Optional<String> delete = rendered.deleteSql();
                    if (delete.isPresent()) {
                        sql(task, TaskFolder.DELETE_FILE, () -> queryString(connection, "EXPLAIN " + delete.get()));
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw failure(task, TaskFolder.SELECT_FILE, e);
        } catch (IOException e) {
            throw new IllegalStateException("a discarding stream does not fail", e);
        }
        return new TaskResult(
                task.name(),
                Optional.empty(),
                rows,
                0,
                0,
                0,
                "",
                Duration.between(started, settings.clock().instant()),
                0,
                true);
    }

    private Connection connect(TaskFolder task) {
        try {
            return database.connect();
        } catch (FerryException e) {
            throw prefixed(task, e);
        }
    }

    /**
     * The server reports {@code standard_conforming_strings} when the connection starts and whenever
     * it changes, so the driver knows it without a query; asks only when the driver does not.
     */
    private boolean standardConformingStrings(Connection connection, TaskFolder task) {
        return sql(task, "reading standard_conforming_strings", () -> {
                    String reported =
                            connection.unwrap(PGConnection.class).getParameterStatus("standard_conforming_strings");
                    return reported != null ? reported : queryString(connection, "SHOW standard_conforming_strings");
                })
                .equals("on");
    }

    private void lock(Connection connection, TaskFolder task) {
        boolean locked = sql(task, "taking the task's advisory lock", () -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, lockKey(task.name()));
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getBoolean(1);
                }
            }
        });
        if (!locked) {
            throw new FerryException(
                    PostgresErrorCode.TASK_BUSY,
                    "task '" + task.name() + "' is running elsewhere (another ferry holds its advisory lock in "
                            + database.url().masked() + "); run it again once that run has finished");
        }
    }

    /** The advisory lock key of a task: the first 8 bytes of SHA-256("ferry db export:" + name). */
    static long lockKey(String task) {
        byte[] hash = sha256().digest(("ferry db export:" + task).getBytes(StandardCharsets.UTF_8));
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = (key << 8) | (hash[i] & 0xff);
        }
        return key;
    }

    /** Removes the files of this task's earlier runs that never committed; we hold the task's lock. */
    private int removeUnfinished(Connection connection, TaskFolder task) {
        List<ExportLog.Started> unfinished =
                sql(task, "reading " + log.table(), () -> log.unfinished(connection, task.name(), store.describe()));
        for (ExportLog.Started started : unfinished) {
            try {
                store.abortIncompleteUploads(started.key());
                store.delete(started.key() + ExportManifest.SUFFIX);
                store.delete(started.key());
            } catch (FerryException e) {
                throw prefixed(task, e);
            }
            LOG.warn(
                    "task {}: removed {} left by a run that did not commit (its rows were not deleted)",
                    task.name(),
                    started.key());
            run(task, "updating " + log.table(), () -> {
                log.forget(connection, started.id());
            });
        }
        return unfinished.size();
    }

    private String freshKey(TaskFolder task) {
        ZonedDateTime now = ZonedDateTime.now(settings.clock());
        for (int attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
            String key = ArchiveName.of(task.name(), now, settings.compression(), attempt);
            if (store.stat(key).isEmpty()
                    && store.stat(key + ExportManifest.SUFFIX).isEmpty()) {
                return key;
            }
        }
        throw new FerryException(
                StandardErrorCode.TARGET_EXISTS,
                "task '" + task.name() + "': " + MAX_NAME_ATTEMPTS + " files named like "
                        + ArchiveName.of(task.name(), now, settings.compression(), 1) + " exist already in "
                        + store.describe());
    }

    private void removeQuietly(String key) {
        try {
            store.delete(key + ExportManifest.SUFFIX);
            store.delete(key);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not remove {} after a failed export; the next run of the task removes it: {}",
                    key,
                    e.toString());
        }
    }

    /** Rolls back; a connection that cannot is closed, which rolls back on the server. */
    private static void rollbackQuietly(Connection connection) {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("rollback after a failure failed too: {}", e.toString());
            discard(connection);
        }
    }

    /** Drops the connection at once (the server rolls back its transaction and frees its locks). */
    private static void discard(Connection connection) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("closing a failed connection failed: {}", e.toString());
        }
    }

    /**
     * Drops the {@code started} row of a file that is gone, on a connection of its own (the task's may
     * be broken); if that fails too, the next run of the task does it.
     */
    private void forgetQuietly(long logId) {
        try (Connection connection = database.connect()) {
            log.forget(connection, logId);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not forget log row {}: {}", logId, e.toString());
        }
    }

    /**
     * Leaves auto-commit and opens a REPEATABLE READ transaction, returning its snapshot: the
     * driver's BEGIN, {@code SET TRANSACTION} and the snapshot query travel in one round trip. The
     * server refuses {@code SET TRANSACTION} after a transaction's first query, so the isolation level
     * holds for everything the transaction reads.
     */
    private static String beginRepeatableRead(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            boolean isResultSet = statement.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SELECT pg_current_snapshot()::text");
            while (!isResultSet) {
                if (statement.getUpdateCount() < 0) {
                    throw new SQLException("no snapshot returned by SELECT pg_current_snapshot()");
                }
                isResultSet = statement.getMoreResults();
            }
            try (ResultSet result = statement.getResultSet()) {
                if (!result.next()) {
                    throw new SQLException("no row from SELECT pg_current_snapshot()");
                }
                return String.valueOf(result.getString(1));
            }
        }
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new SQLException("no row from " + sql);
            }
            return String.valueOf(result.getString(1));
        }
    }

    /** Runs a JDBC step of {@code task}; {@code what} names the step or the file whose SQL it runs. */
    private <T> T sql(TaskFolder task, String what, SqlStep<T> step) {
        try {
            return step.run();
        } catch (SQLException e) {
            throw failure(task, what, e);
        }
    }

    private RuntimeException failure(TaskFolder task, String what, SQLException e) {
        if (Database.isConflict(e)) {
            return new Conflict(e);
        }
        String where = what.endsWith(".sql") ? what + " (" + task.directory().resolve(what) + ")" : what;
        if (Database.isBadSql(e)) {
            return new FerryException(
                    PostgresErrorCode.BAD_SQL,
                    "task '" + task.name() + "': " + where + " failed: " + database.describe(e)
                            + "; fix the SQL (nothing was deleted)",
                    database.scrubbed(e));
        }
        return new FerryException(
                PostgresErrorCode.DATABASE_ERROR,
                "task '" + task.name() + "': " + where + " failed: " + database.describe(e)
                        + "; nothing was deleted, run the task again",
                database.scrubbed(e));
    }

    private static FerryException prefixed(TaskFolder task, FerryException e) {
        if (String.valueOf(e.getMessage()).startsWith("task '")) {
            return e;
        }
        return new FerryException(e.code(), "task '" + task.name() + "': " + e.getMessage(), e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(PostgresErrorCode.DATABASE_ERROR, "interrupted while waiting to retry", e);
        }
    }

    private void run(TaskFolder task, String what, SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            throw failure(task, what, e);
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    @FunctionalInterface
    private interface SqlStep<T> {
        T run() throws SQLException;
    }

    private record Copied(long rows, long csvBytes, long bytes, String sha256) {}

    /** A serialization failure or deadlock: the attempt rolled back and may be tried again. */
    private static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SQLException cause;

        Conflict(SQLException cause) {
            super(cause.getSQLState(), null, false, false);
            this.cause = cause;
        }
    }

    /** The commit's outcome is unknown: leave the file and the log row for the next run to settle. */
    private static final class AmbiguousCommit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient FerryException error;

        AmbiguousCommit(FerryException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }
}
