package io.ferry.core.state;

import static io.ferry.spi.error.StandardErrorCode.STATE_STORE_ERROR;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * The embedded state store: one SQLite database file ({@code state.db}) in the state directory,
 * migrated by Flyway, in WAL mode with full synchronous commits so a saved checkpoint survives a
 * power loss. One connection, serialized: checkpoint saves are small and infrequent.
 */
public final class SqliteStateStore implements StateStore {
    public static final String FILE_NAME = "state.db";

    /**
     * The version of the newest migration in {@code db/migration/sqlite}; bump it with every new
     * migration (a test checks). Flyway, which costs about a second of start-up, runs only when the
     * database is behind it.
     */
    static final int SCHEMA_VERSION = 2;

    private final Path file;
    private final Connection connection;

    private SqliteStateStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating and migrating when needed) the store in {@code directory}. */
    public static SqliteStateStore open(Path directory) {
        requireNonNull(directory, "directory is null");
        Path file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new FerryException(
                    STATE_STORE_ERROR,
                    "Cannot create the state directory " + directory + ": " + e.getMessage()
                            + " (choose another with --state-dir or FERRY_STATE_DIR)",
                    e);
        }
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        try {
            Connection connection = DriverManager.getConnection(url);
            if (schemaVersion(connection) < SCHEMA_VERSION) {
                Flyway.configure()
                        .dataSource(url, null, null)
                        .locations("classpath:db/migration/sqlite")
                        .loggers("slf4j")
                        .load()
                        .migrate();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA synchronous = FULL");
                statement.execute("PRAGMA foreign_keys = ON");
                statement.execute("PRAGMA busy_timeout = 10000");
            }
            return new SqliteStateStore(file, connection);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof FerryException ferry) {
                throw ferry;
            }
            throw new FerryException(
                    STATE_STORE_ERROR,
                    "Cannot open the state store " + file + ": " + e.getMessage()
                            + " (is the file readable and writable? choose another with --state-dir)",
                    e);
        }
    }

    /** The newest migration applied to the database; 0 for a new one. */
    static int schemaVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'flyway_schema_history'")) {
            if (!tables.next() || tables.getInt(1) == 0) {
                return 0;
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet versions = statement.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL")) {
            int newest = 0;
            while (versions.next()) {
                newest = Math.max(newest, Integer.parseInt(versions.getString(1)));
            }
            return newest;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<JobRecord> findJob(String name) {
        return query(
                        "SELECT name, kind, spec, state, created_at, updated_at, last_error FROM jobs WHERE name = ?",
                        statement -> statement.setString(1, name),
                        SqliteStateStore::job)
                .stream()
                .findFirst();
    }

    @Override
    public synchronized List<JobRecord> listJobs() {
        return query(
                "SELECT name, kind, spec, state, created_at, updated_at, last_error FROM jobs ORDER BY created_at, name",
                statement -> {},
                SqliteStateStore::job);
    }

    @Override
    public synchronized void createJob(JobRecord job) {
        update(
                "INSERT INTO jobs (name, kind, spec, state, created_at, updated_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                statement -> {
                    statement.setString(1, job.name());
                    statement.setString(2, job.kind());
                    statement.setString(3, job.spec());
                    statement.setString(4, job.state().name());
                    statement.setString(5, job.createdAt().toString());
                    statement.setString(6, job.updatedAt().toString());
                    setNullableString(statement, 7, job.lastError());
                });
    }

    @Override
    public synchronized void updateJob(String name, JobState state, Optional<String> lastError) {
        update("UPDATE jobs SET state = ?, updated_at = ?, last_error = ? WHERE name = ?", statement -> {
            statement.setString(1, state.name());
            statement.setString(2, Instant.now().toString());
            setNullableString(statement, 3, lastError.orElse(null));
            statement.setString(4, name);
        });
    }

    @Override
    public synchronized void resetJob(String name) {
        update("DELETE FROM checkpoints WHERE job = ?", statement -> statement.setString(1, name));
        update("DELETE FROM splits WHERE job = ?", statement -> statement.setString(1, name));
    }

    @Override
    public synchronized void deleteJob(String name) {
        update("DELETE FROM jobs WHERE name = ?", statement -> statement.setString(1, name));
    }

    @Override
    public synchronized List<Checkpoint> checkpoints(String job) {
        return query(
                "SELECT job, split, sink, last_offset, position, sink_state, records, bytes, updated_at"
                        + " FROM checkpoints WHERE job = ? ORDER BY split, sink",
                statement -> statement.setString(1, job),
                row -> new Checkpoint(
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        row.getLong(4),
                        row.getString(5),
                        row.getString(6),
                        row.getLong(7),
                        row.getLong(8),
                        Instant.parse(row.getString(9))));
    }

    @Override
    public synchronized void saveCheckpoint(Checkpoint checkpoint) {
        update(
                "INSERT INTO checkpoints (job, split, sink, last_offset, position, sink_state, records, bytes, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (job, split, sink) DO UPDATE SET last_offset = excluded.last_offset,"
                        + " position = excluded.position, sink_state = excluded.sink_state,"
                        + " records = excluded.records, bytes = excluded.bytes, updated_at = excluded.updated_at",
                statement -> {
                    statement.setString(1, checkpoint.job());
                    statement.setString(2, checkpoint.split());
                    statement.setString(3, checkpoint.sink());
                    statement.setLong(4, checkpoint.lastOffset());
                    statement.setString(5, checkpoint.position());
                    statement.setString(6, checkpoint.sinkState());
                    statement.setLong(7, checkpoint.records());
                    statement.setLong(8, checkpoint.bytes());
                    statement.setString(9, checkpoint.updatedAt().toString());
                });
    }

    @Override
    public synchronized List<SplitProgress> splits(String job) {
        return query(
                "SELECT job, split, state, progress, total, unit, records, bytes, last_error, updated_at"
                        + " FROM splits WHERE job = ? ORDER BY split",
                statement -> statement.setString(1, job),
                row -> {
                    long total = row.getLong(5);
                    if (row.wasNull()) {
                        total = SplitProgress.UNKNOWN_TOTAL;
                    }
                    return new SplitProgress(
                            row.getString(1),
                            row.getString(2),
                            SplitState.valueOf(row.getString(3)),
                            row.getLong(4),
                            total,
                            row.getString(6),
                            row.getLong(7),
                            row.getLong(8),
                            row.getString(9),
                            Instant.parse(row.getString(10)));
                });
    }

    @Override
    public synchronized void saveSplit(SplitProgress split) {
        update(
                "INSERT INTO splits (job, split, state, progress, total, unit, records, bytes, last_error, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (job, split) DO UPDATE SET state = excluded.state, progress = excluded.progress,"
                        + " total = excluded.total, unit = excluded.unit, records = excluded.records,"
                        + " bytes = excluded.bytes, last_error = excluded.last_error, updated_at = excluded.updated_at",
                statement -> {
                    statement.setString(1, split.job());
                    statement.setString(2, split.split());
                    statement.setString(3, split.state().name());
                    statement.setLong(4, split.progress());
                    if (split.total() < 0) {
                        statement.setNull(5, Types.INTEGER);
                    } else {
                        statement.setLong(5, split.total());
                    }
                    setNullableString(statement, 6, split.unit());
                    statement.setLong(7, split.records());
                    statement.setLong(8, split.bytes());
                    setNullableString(statement, 9, split.lastError());
                    statement.setString(10, split.updatedAt().toString());
                });
    }

    @Override
    public synchronized long startRun(String job, Instant startedAt) {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO runs (job, started_at, state) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, job);
            statement.setString(2, startedAt.toString());
            statement.setString(3, JobState.RUNNING.name());
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no id generated for the run");
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void finishRun(long runId, Instant finishedAt, JobState state, String report) {
        update("UPDATE runs SET finished_at = ?, state = ?, report = ? WHERE id = ?", statement -> {
            statement.setString(1, finishedAt.toString());
            statement.setString(2, state.name());
            statement.setString(3, report);
            statement.setLong(4, runId);
        });
    }

    @Override
    public synchronized Optional<RunRecord> lastRun(String job) {
        return query(
                        "SELECT id, job, started_at, finished_at, state, report FROM runs WHERE job = ? ORDER BY id DESC LIMIT 1",
                        statement -> statement.setString(1, job),
                        row -> {
                            String finished = row.getString(4);
                            return new RunRecord(
                                    row.getLong(1),
                                    row.getString(2),
                                    Instant.parse(row.getString(3)),
                                    finished == null ? null : Instant.parse(finished),
                                    JobState.valueOf(row.getString(5)),
                                    row.getString(6));
                        })
                .stream()
                .findFirst();
    }

    /** Creates the served job or replaces the one with its id. */
    public synchronized void saveServedJob(ServedJob job) {
        update(
                "INSERT INTO served_jobs (id, kind, request, state, limits, created_at, updated_at, last_error, report)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, request = excluded.request,"
                        + " state = excluded.state, limits = excluded.limits, updated_at = excluded.updated_at,"
                        + " last_error = excluded.last_error, report = excluded.report",
                statement -> {
                    statement.setString(1, job.id());
                    statement.setString(2, job.kind());
                    statement.setString(3, job.request());
                    statement.setString(4, job.state());
                    statement.setString(5, job.limits());
                    statement.setString(6, job.createdAt().toString());
                    statement.setString(7, job.updatedAt().toString());
                    setNullableString(statement, 8, job.lastError());
                    setNullableString(statement, 9, job.report());
                });
    }

    /** Every served job, oldest first. */
    public synchronized List<ServedJob> servedJobs() {
        return query(
                "SELECT id, kind, request, state, limits, created_at, updated_at, last_error, report"
                        + " FROM served_jobs ORDER BY created_at, id",
                statement -> {},
                row -> new ServedJob(
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        row.getString(4),
                        row.getString(5),
                        Instant.parse(row.getString(6)),
                        Instant.parse(row.getString(7)),
                        row.getString(8),
                        row.getString(9)));
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static JobRecord job(ResultSet row) throws SQLException {
        return new JobRecord(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                JobState.valueOf(row.getString(4)),
                Instant.parse(row.getString(5)),
                Instant.parse(row.getString(6)),
                row.getString(7));
    }

    private static void setNullableString(PreparedStatement statement, int index, @Nullable String value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private void update(String sql, Binder binder) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private FerryException failure(SQLException e) {
        return new FerryException(STATE_STORE_ERROR, "State store " + file + " failed: " + e.getMessage(), e);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }
}
