package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbCommandTest {
    @TempDir
    Path tasks;

    @TempDir
    Path exports;

    private DbTestDatabase database;

    @BeforeEach
    void createDatabase() throws Exception {
        database = DbTestDatabase.create("ferry_dbcommand");
        database.execute(
                "CREATE TABLE events (id bigserial PRIMARY KEY, day date NOT NULL, body text)",
                "INSERT INTO events (day, body) SELECT date '2024-01-01' + (g % 30), 'event ' || g"
                        + " FROM generate_series(1, 3000) g");
        task(
                "events",
                "COPY (SELECT * FROM events WHERE day < :boundary ORDER BY id) TO STDOUT WITH CSV HEADER",
                "DELETE FROM events WHERE day < :boundary");
        task("typo", "COPY (SELECT nope FROM events) TO STDOUT WITH CSV HEADER", null);
        Files.createDirectories(tasks.resolve("empty"));
        Files.writeString(tasks.resolve("empty/select.sql"), "");
    }

    @AfterEach
    void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void exportRunsTheGoodTasksReportsEachFailureAndExitsOneWhenSomeFailed() throws Exception {
        Set<Long> expected = database.ids("SELECT id FROM events WHERE day < '2024-01-10'");

        Ferry.Result result = export("--all", "--param", "boundary=2024-01-10");

        assertEquals(ExitCode.PROBLEMS, result.exitCode(), result.err());
        assertTrue(
                result.out()
                        .matches(
                                "(?s).*events\\s+900 rows\\s+900 deleted .*events-\\d{4}_\\d\\d_\\d\\d-\\d\\d_\\d\\d_\\d\\d_[AP]M\\.csv\\.gz.*"),
                result.out());
        assertTrue(result.out().contains("3 task(s): 1 ok (900 rows"), result.out());
        assertTrue(
                result.err()
                        .contains("error: task 'typo': select.sql (" + tasks.resolve("typo/select.sql")
                                + ") failed: ERROR: column \"nope\" does not exist"),
                result.err());
        assertTrue(result.err().contains("[BAD_SQL]"), result.err());
        assertTrue(
                result.err()
                        .contains(
                                "error: task 'empty': " + tasks.resolve("empty/select.sql") + ": select.sql is empty"),
                result.err());
        assertEquals(900, expected.size());
        assertEquals(Set.of(), intersection(expected, database.ids("SELECT id FROM events")));
        try (Stream<Path> files = Files.list(exports)) {
            assertEquals(2, files.count(), "one archive and its manifest");
        }
    }

    @Test
    void everyTaskFailingOnItsOwnSqlExitsTwoAndAMissingParameterIsNamed() {
        Ferry.Result result = export("events", "typo");
        assertEquals(ExitCode.USER_INPUT, result.exitCode(), result.err());
        assertTrue(
                result.err()
                        .contains("task 'events': select.sql (" + tasks.resolve("events/select.sql")
                                + ") uses :boundary but no value was given; add --param boundary=VALUE"),
                result.err());
    }

    @Test
    void anUnknownTaskExitsTwoWithASuggestionBeforeAnythingRuns() throws Exception {
        Ferry.Result result = export("evnets", "--param", "boundary=2024-01-10");
        assertEquals(ExitCode.USER_INPUT, result.exitCode());
        assertTrue(result.err().contains("no task 'evnets'"), result.err());
        assertTrue(result.err().contains("did you mean 'events'?"), result.err());
        assertEquals(3000, database.ids("SELECT id FROM events").size());
    }

    @Test
    void anUnreachableOrMissingDatabaseExitsThreeWithoutPrintingThePassword() {
        for (String url : List.of(
                "postgresql://postgres:hunter2@127.0.0.1:1/x",
                "postgresql://postgres:hunter2@127.0.0.1:5432/no_such_db_ferry")) {
            Ferry.Result result = Ferry.run(
                    "db",
                    "export",
                    "--all",
                    "--tasks",
                    tasks.toString(),
                    "--to",
                    exports.toString(),
                    "--database",
                    url);
            assertEquals(ExitCode.EXTERNAL, result.exitCode(), result.err());
            assertTrue(result.err().contains("cannot connect to postgresql://postgres:***@127.0.0.1"), result.err());
            assertFalse((result.out() + result.err()).contains("hunter2"), result.err());
        }
        Ferry.Result bad = Ferry.run(
                "db", "export", "--all", "--tasks", tasks.toString(), "--database", "mysql://root:hunter2@h/d");
        assertEquals(ExitCode.USER_INPUT, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("[BAD_DATABASE_URL]"), bad.err());
        assertFalse(bad.err().contains("hunter2"), bad.err());
    }

    @Test
    void aDryRunCountsAndChangesNothing() throws Exception {
        Ferry.Result result = export("events", "--param", "boundary=2024-01-10", "--dry-run");
        assertEquals(ExitCode.OK, result.exitCode(), result.err());
        assertTrue(result.out().contains("would export 900 rows"), result.out());
        assertEquals(3000, database.ids("SELECT id FROM events").size());
        try (Stream<Path> files = Files.list(exports)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void listAndShowDescribeTheTasksAndTheBrokenFolder() {
        Ferry.Result list = Ferry.run("db", "list", "--tasks", tasks.toString());
        assertEquals(ExitCode.PROBLEMS, list.exitCode(), "a broken folder is a problem");
        assertTrue(list.out().matches("(?s).*events\\s+delete.sql\\s+boundary.*"), list.out());
        assertTrue(list.out().matches("(?s).*empty\\s+BROKEN.*"), list.out());
        assertTrue(list.out().matches("(?s).*typo\\s+no \\(export only\\).*"), list.out());

        Ferry.Result show = Ferry.run("db", "show", "events", "--tasks", tasks.toString());
        assertEquals(ExitCode.OK, show.exitCode(), show.err());
        assertTrue(show.out().contains("DELETE FROM events WHERE day < :boundary"), show.out());
        assertTrue(show.out().contains("Parameters: boundary"), show.out());
    }

    private Ferry.Result export(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(
                "db", "export", "--tasks", tasks.toString(), "--to", exports.toString(), "--database", database.url()));
        all.addAll(List.of(args));
        return Ferry.run(all.toArray(String[]::new));
    }

    private void task(String name, String select, @org.jspecify.annotations.Nullable String delete) throws IOException {
        Path folder = Files.createDirectories(tasks.resolve(name));
        Files.writeString(folder.resolve("select.sql"), select);
        if (delete != null) {
            Files.writeString(folder.resolve("delete.sql"), delete);
        }
    }

    private static Set<Long> intersection(Set<Long> a, Set<Long> b) {
        Set<Long> both = new java.util.HashSet<>(a);
        both.retainAll(b);
        return both;
    }
}
