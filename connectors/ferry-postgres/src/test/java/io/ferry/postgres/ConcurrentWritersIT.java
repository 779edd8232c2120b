package io.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentWritersIT {
    private static final int BASES = 60_000;

    @TempDir
    Path tasks;

    @TempDir
    Path exports;

    @Test
    void whileWritersInsertAndUpdateEveryDeletedRowIsInAFileAndExportedPlusRemainingIsEverything() throws Exception {
        try (TestingDatabase database = TestingDatabase.create("ferry_concurrent")) {
            VersionedTable.create(database, BASES, 100);
            VersionedTable.writeTask(tasks, "versions");
            Set<Long> existed = ConcurrentHashMap.newKeySet();
            existed.addAll(database.ids("SELECT id FROM versions"));
            LocalDirectoryStore store = new LocalDirectoryStore(exports);
            TaskExporter exporter = new TaskExporter(
                    new Database(DatabaseUrl.parse(database.url(), Optional.empty(), Map.of())),
                    store,
                    ExportSettings.defaults()
                            .withParameters(Map.of("export_boundary", "2024-01-04"))
                            .withCompression(io.ferry.archive.format.Compression.GZIP, 9)
                            .withAttempts(5));
            exporter.prepare();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            long start = System.nanoTime();
            List<Thread> writers = new ArrayList<>();
            // inserts new versions (superseding the current one, so more rows become archivable later)
            writers.add(Thread.ofPlatform()
                    .start(() -> write(database, stop, writes, connection -> {
                        try (PreparedStatement insert = connection.prepareStatement(
                                "INSERT INTO versions (base_id, updated_at, payload)"
                                        + " VALUES (?, timestamptz '2024-02-01' + random() * interval '10 days', 'new') RETURNING id")) {
                            insert.setInt(1, 1 + ThreadLocalRandom.current().nextInt(BASES));
                            try (ResultSet result = insert.executeQuery()) {
                                result.next();
                                existed.add(result.getLong(1));
                            }
                        }
                    })));
            // updates current versions; during the first half second also rows being archived (a conflict)
            writers.add(Thread.ofPlatform()
                    .start(() -> write(database, stop, writes, connection -> {
                        boolean early = System.nanoTime() - start < 500_000_000L;
                        try (PreparedStatement update = connection.prepareStatement(
                                early
                                        ? "UPDATE versions SET payload = payload || ' touched' WHERE id = (SELECT min(id) FROM versions WHERE base_id = ?)"
                                        : "UPDATE versions SET payload = payload || ' touched' WHERE id = (SELECT max(id) FROM versions WHERE base_id = ?)")) {
                            update.setInt(1, 1 + ThreadLocalRandom.current().nextInt(BASES));
                            update.executeUpdate();
                        }
                    })));

            String outcome;
            try {
                TaskResult result = exporter.export(TaskFolder.load(tasks.resolve("versions")));
                outcome = "exported " + result.rows();
            } catch (FerryException e) {
                outcome = "failed: " + e.getMessage();
            } finally {
                stop.set(true);
                for (Thread writer : writers) {
                    writer.join();
                }
            }
            assertTrue(writes.get() > 20, "writers ran during the export (" + writes.get() + " writes); " + outcome);
            checkNothingLost(database, store, existed, outcome);

            exporter.export(TaskFolder.load(tasks.resolve("versions")));
            checkNothingLost(database, store, existed, "after a quiet run");
            assertEquals(
                    0,
                    database.count(
                            "SELECT count(*) FROM versions v WHERE updated_at < '2024-01-04'"
                                    + " AND EXISTS (SELECT 1 FROM versions n WHERE n.base_id = v.base_id AND n.updated_at > v.updated_at)"));
        }
    }

    private static void checkNothingLost(
            TestingDatabase database, LocalDirectoryStore store, Set<Long> existed, String outcome) throws Exception {
        Set<Long> exported = new HashSet<>();
        for (StoredObject object : store.list("")) {
            if (object.key().endsWith(".csv.gz")) {
                for (long id : VersionedTable.idsIn(store, object.key())) {
                    assertTrue(exported.add(id), "id " + id + " is in two files; " + outcome);
                }
            }
        }
        Set<Long> remaining = database.ids("SELECT id FROM versions");
        Set<Long> both = new HashSet<>(exported);
        both.retainAll(remaining);
        assertEquals(Set.of(), both, "rows both in a file and still in the table; " + outcome);
        Set<Long> union = new HashSet<>(exported);
        union.addAll(remaining);
        assertEquals(existed, union, "exported + remaining = every row that existed; " + outcome);
    }

    private interface Write {
        void run(Connection connection) throws SQLException;
    }

    private static void write(TestingDatabase database, AtomicBoolean stop, AtomicLong writes, Write write) {
        try (Connection connection = database.connect()) {
            while (!stop.get()) {
                write.run(connection);
                writes.incrementAndGet();
                Thread.sleep(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
