package io.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.spi.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionKilledIT {
    @TempDir
    Path tasks;

    @TempDir
    Path exports;

    @Test
    void aConnectionKilledMidCopyDeletesNothingAndLeavesNoFileAndTheNextRunArchivesEverything() throws Exception {
        try (TestingDatabase database = TestingDatabase.create("ferry_killed")) {
            VersionedTable.create(database, 100_000, 100);
            VersionedTable.writeTask(tasks, "versions");
            Set<Long> all = database.ids("SELECT id FROM versions");
            Set<Long> expected = database.ids(VersionedTable.EXPECTED.formatted("2024-01-04"));
            LocalDirectoryStore store = new LocalDirectoryStore(exports);
            ExportSettings settings = ExportSettings.defaults()
                    .withParameters(Map.of("export_boundary", "2024-01-04"))
                    .withCompression(io.ferry.archive.format.Compression.GZIP, 9);
            TaskExporter exporter = new TaskExporter(
                    new Database(DatabaseUrl.parse(database.url(), Optional.empty(), Map.of())), store, settings);
            exporter.prepare();

            CompletableFuture<TaskResult> run =
                    CompletableFuture.supplyAsync(() -> exporter.export(TaskFolder.load(tasks.resolve("versions"))));
            int killed = 0;
            try (Connection admin = database.connect();
                    Statement statement = admin.createStatement()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (killed == 0 && System.nanoTime() < deadline && !run.isDone()) {
                    if (temporaryBytes() > 200_000) {
                        try (ResultSet result =
                                statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                        + " WHERE datname = current_database() AND backend_type = 'client backend'"
                                        + " AND query LIKE '%COPY (%' AND pid <> pg_backend_pid()")) {
                            result.next();
                            killed = result.getInt(1);
                        }
                    }
                    Thread.sleep(5);
                }
            }
            assertEquals(1, killed, "the COPY was running long enough to be killed");
            FerryException error = assertThrows(FerryException.class, () -> {
                try {
                    run.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause();
                }
            });
            assertEquals(PostgresErrorCode.DATABASE_ERROR, error.code(), error.getMessage());
            assertTrue(error.getMessage().startsWith("task 'versions': select.sql"), error.getMessage());
            assertTrue(error.getMessage().contains("nothing was deleted"), error.getMessage());
            assertEquals(all, database.ids("SELECT id FROM versions"));
            try (Stream<Path> files = Files.list(exports)) {
                assertEquals(List.of(), files.toList(), "no file, not even a temporary one");
            }
            assertEquals(0, database.count("SELECT count(*) FROM ferry_export_log"));

            TaskResult result = exporter.export(TaskFolder.load(tasks.resolve("versions")));
            assertEquals(expected, VersionedTable.idsIn(store, result.file().orElseThrow()));
            assertEquals(all.size() - expected.size(), database.count("SELECT count(*) FROM versions"));
        }
    }

    private long temporaryBytes() throws java.io.IOException {
        try (Stream<Path> files = Files.list(exports)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".tmp"))
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }
}
