package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.Driver;

/** Opens connections to one database and turns its failures into messages without secrets. */
public final class Database {
    private final DatabaseUrl url;

    public Database(DatabaseUrl url) {
        this.url = requireNonNull(url, "url is null");
    }

    public DatabaseUrl url() {
        return url;
    }

    /** A new connection in auto-commit mode; fails with {@code DATABASE_UNAVAILABLE} saying why. */
    public Connection connect() {
        Connection connection;
        try {
            connection = new Driver().connect(url.jdbcUrl(), url.properties());
        } catch (SQLException e) {
            throw new FerryException(
                    PostgresErrorCode.DATABASE_UNAVAILABLE,
                    "cannot connect to " + url.masked() + ": " + describe(e) + "; " + connectHint(e),
                    scrubbed(e));
        }
        if (connection == null) {
            throw new IllegalStateException("the PostgreSQL driver refused its own URL " + url.jdbcUrl());
        }
        return connection;
    }

    /** True for failures that a new attempt of the same transaction may not meet: serialization, deadlock. */
    static boolean isConflict(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /** True when PostgreSQL rejected the SQL itself, as opposed to failing to run it. */
    static boolean isBadSql(SQLException e) {
        String state = e.getSQLState();
        if (state == null || state.length() != 5) {
            return false;
        }
        String sqlClass = state.substring(0, 2);
        return switch (sqlClass) {
            case "42", "22", "23", "21", "0A", "2B", "44", "P0", "2F", "38", "39", "3F" -> true;
            default -> false;
        };
    }

    /** The driver's message on one line, with its SQLSTATE, and the password scrubbed. */
    String describe(SQLException e) {
        String message = String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\n\\s*", "; ");
        String state = e.getSQLState();
        return url.scrub(message) + (state == null ? "" : " (SQLSTATE " + state + ")");
    }

    /** A copy of {@code e} whose messages hold no password, for the cause chain. */
    SQLException scrubbed(SQLException e) {
        SQLException copy =
                new SQLException(url.scrub(String.valueOf(e.getMessage())), e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    private static String connectHint(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.startsWith("28")) {
            return "check the user and password (in the URL, --password-file or PGPASSWORD) and pg_hba.conf";
        }
        if (state.equals("3D000")) {
            return "check the database name at the end of the URL";
        }
        if (state.startsWith("08") || state.equals("null")) {
            return "check that PostgreSQL runs and that host and port are right, then retry";
        }
        return "check the URL and that the server accepts connections";
    }
}
