package io.ferry.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** A database of its own on the machine's PostgreSQL (127.0.0.1:5432, trust auth), dropped on close. */
final class TestingDatabase implements AutoCloseable {
    static final String SERVER = "127.0.0.1:5432";

    private final String name;

    private TestingDatabase(String name) {
        this.name = name;
    }

    static TestingDatabase create(String prefix) throws SQLException {
        String name =
                (prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong())).toLowerCase(Locale.ROOT);
        try (Connection admin = admin();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new TestingDatabase(name);
    }

    String name() {
        return name;
    }

    /** The URL ferry is given: {@code postgresql://postgres@127.0.0.1:5432/<name>}. */
    String url() {
        return "postgresql://postgres@" + SERVER + "/" + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/" + name, "postgres", "");
    }

    void execute(String... statements) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    long count(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    Set<Long> ids(String sql) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                ids.add(result.getLong(1));
            }
        }
        return ids;
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = admin();
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", "postgres", "");
    }
}
