package io.ferry.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** A database of its own on the machine's PostgreSQL (127.0.0.1:5432, trust auth), dropped on close. */
final class DbTestDatabase implements AutoCloseable {
    private static final String SERVER = "127.0.0.1:5432";

    private final String name;

    private DbTestDatabase(String name) {
        this.name = name;
    }

    static DbTestDatabase create(String prefix) throws SQLException {
        String name =
                prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (Connection admin =
                        DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new DbTestDatabase(name);
    }

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
        try (Connection admin =
                        DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
