package io.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.archive.format.Compression;
import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.ObjectUpload;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

class TaskExporterTest {
    private static final String BOUNDARY = "2024-01-04";
    private static final Map<String, String> PARAMETERS = Map.of("export_boundary", BOUNDARY);

    @TempDir
    Path tasks;

    @TempDir
    Path exports;

    private TestingDatabase database;
    private ObjectStore store;

    @BeforeEach
    void createDatabase() throws Exception {
        database = TestingDatabase.create("ferry_exporter");
        VersionedTable.create(database, 60, 20);
        VersionedTable.writeTask(tasks, "versions");
        store = new LocalDirectoryStore(exports);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void archivesSupersededVersionsOlderThanTheBoundaryAndDeletesExactlyThem() throws Exception {
        Set<Long> all = database.ids("SELECT id FROM versions");
        Set<Long> expected = database.ids(VersionedTable.EXPECTED.formatted(BOUNDARY));
        assertTrue(expected.size() > 20 && expected.size() < all.size(), "the data has rows to keep and to archive");

        TaskResult result = exporter(settings()).export(task("versions"));

        String key = result.file().orElseThrow();
        assertTrue(key.matches("versions-\\d{4}_\\d\\d_\\d\\d-\\d\\d_\\d\\d_\\d\\d_[AP]M\\.csv\\.gz"), key);
        assertEquals(expected.size(), result.rows());
        assertEquals(expected.size(), result.deletedRows());
        assertEquals(expected, VersionedTable.idsIn(store, key));
        Set<Long> remaining = database.ids("SELECT id FROM versions");
        assertEquals(difference(all, expected), remaining);

        JsonNode manifest = manifest(key);
        assertEquals(expected.size(), manifest.get("rows").asLong());
        assertEquals("delete.sql", manifest.get("delete").asText());
        assertEquals(sha256(key), manifest.get("sha256").asText());
        assertEquals(store.stat(key).orElseThrow().size(), manifest.get("bytes").asLong());
        assertEquals(BOUNDARY, manifest.get("parameters").get("export_boundary").asText());
        assertEquals(task("versions").queryHash(), manifest.get("queryHash").asText());
        assertTrue(manifest.get("snapshot").asText().contains(":"), manifest.toString());
        assertEquals(
                "postgresql://postgres@127.0.0.1:5432/" + database.name(),
                manifest.get("database").asText());
        assertEquals(
                1,
                database.count("SELECT count(*) FROM ferry_export_log WHERE state = 'committed' AND rows = "
                        + expected.size() + " AND object_key = '" + key + "'"));

        TaskResult again = exporter(settings()).export(task("versions"));
        assertEquals(0, again.rows(), "nothing left to archive");
        assertEquals(remaining, database.ids("SELECT id FROM versions"));
    }

    @Test
    void outputOpensWithTheStandardGzipAndZstdToolsAndParsesAsCsvWithAHeader() throws Exception {
        Set<Long> expected = database.ids(VersionedTable.EXPECTED.formatted(BOUNDARY));
        for (Compression compression : Compression.values()) {
            TaskResult result = exporter(settings()
                            .withCompression(compression, compression.defaultLevel())
                            .withKeep(true))
                    .export(task("versions"));
            Path file = exports.resolve(result.file().orElseThrow());
            List<String> command = switch (compression) {
                case GZIP -> List.of("gzip", "-dc", file.toString());
                case ZSTD -> List.of("zstd", "-dc", file.toString());
                case NONE -> List.of("cat", file.toString());
            };
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String csv = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), String.join(" ", command));
            assertEquals(expected, VersionedTable.idsOf(csv), compression.name());
            assertTrue(csv.contains("\"base 1, \"\"v0\"\""), "payload quoting survives: " + csv.substring(0, 200));
            assertEquals(csv.getBytes(StandardCharsets.UTF_8).length, result.csvBytes());
        }
        assertEquals(expected, database.ids(VersionedTable.EXPECTED.formatted(BOUNDARY)), "--keep deleted nothing");
    }

    @Test
    void theCopyRunsInTheRepeatableReadTransactionWhoseSnapshotTheManifestRecords() throws Exception {
        writeTask(
                "isolation",
                "COPY (SELECT current_setting('transaction_isolation') AS isolation,"
                        + " pg_current_snapshot()::text AS snapshot) TO STDOUT WITH CSV",
                null);

        TaskResult result =
                exporter(settings().withCompression(Compression.NONE, 0)).export(task("isolation"));

        String key = result.file().orElseThrow();
        String snapshot = manifest(key).get("snapshot").asText();
        assertEquals("repeatable read," + snapshot + "\n", stored(key));
    }

    @Test
    void rowsSmallerAndLargerThanTheCopyBufferArriveByteForByte() throws Exception {
        database.execute(
                "CREATE TABLE sized (id int PRIMARY KEY, payload text NOT NULL)",
                // mostly short rows; every 97th fits the 256 KiB buffer only once it is emptied, every 89th never
                "INSERT INTO sized SELECT g, repeat(chr(97 + g % 26), CASE WHEN g % 97 = 0 THEN 200000 + g"
                        + " WHEN g % 89 = 0 THEN 700000 ELSE g % 300 END) FROM generate_series(1, 600) g");
        String copy = "COPY (SELECT * FROM sized ORDER BY id) TO STDOUT WITH CSV HEADER";
        writeTask("sized", copy, null);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (Connection connection = database.connect()) {
            connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, expected);
        }

        TaskResult result =
                exporter(settings().withCompression(Compression.NONE, 0)).export(task("sized"));

        assertEquals(600, result.rows());
        assertEquals(expected.size(), result.csvBytes());
        assertEquals(
                expected.toString(StandardCharsets.UTF_8), stored(result.file().orElseThrow()));
    }

    @Test
    void aDeleteReturningTaskDeletesAsItExports() throws Exception {
        Set<Long> expected = database.ids("SELECT id FROM versions WHERE base_id <= 10");
        writeTask(
                "drain",
                "COPY (DELETE FROM versions WHERE base_id <= :last RETURNING *) TO STDOUT WITH CSV HEADER",
                null);

        TaskResult result =
                exporter(settings().withParameters(Map.of("last", "10"))).export(task("drain"));

        assertEquals(expected, VersionedTable.idsIn(store, result.file().orElseThrow()));
        assertEquals(expected.size(), result.deletedRows());
        assertEquals(0, database.count("SELECT count(*) FROM versions WHERE base_id <= 10"));
        assertEquals(
                "delete-returning",
                manifest(result.file().orElseThrow()).get("delete").asText());
        FerryException keep = assertThrows(
                FerryException.class,
                () -> exporter(settings().withKeep(true).withParameters(Map.of("last", "10")))
                        .export(task("drain")));
        assertEquals(PostgresErrorCode.BAD_TASK, keep.code());
    }

    @Test
    void keepExportsWithoutDeletingAndTheManifestSaysSo() throws Exception {
        Set<Long> all = database.ids("SELECT id FROM versions");
        TaskResult result = exporter(settings().withKeep(true)).export(task("versions"));
        assertEquals(0, result.deletedRows());
        assertTrue(result.rows() > 0);
        assertEquals(all, database.ids("SELECT id FROM versions"));
        assertEquals("kept", manifest(result.file().orElseThrow()).get("delete").asText());
    }

    @Test
    void aDryRunCountsTheRowsAndWritesAndDeletesNothing() throws Exception {
        Set<Long> all = database.ids("SELECT id FROM versions");
        long expected =
                database.ids(VersionedTable.EXPECTED.formatted(BOUNDARY)).size();
        TaskExporter exporter = exporter(settings().withDryRun(true));
        exporter.prepare();
        TaskResult result = exporter.export(task("versions"));
        assertTrue(result.dryRun());
        assertEquals(expected, result.rows());
        assertEquals(Optional.empty(), result.file());
        assertEquals(all, database.ids("SELECT id FROM versions"));
        assertEquals(List.of(), store.list(""));
        assertEquals(0, database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'ferry_export_log'"));
    }

    @Test
    void aDeleteThatRemovesOtherRowsThanWereExportedIsRolledBackAndItsFileRemoved() throws Exception {
        Set<Long> all = database.ids("SELECT id FROM versions");
        Files.writeString(
                tasks.resolve("versions/delete.sql"), "DELETE FROM versions WHERE updated_at < :export_boundary");

        FerryException error =
                assertThrows(FerryException.class, () -> exporter(settings()).export(task("versions")));

        assertEquals(PostgresErrorCode.DELETE_MISMATCH, error.code());
        assertTrue(error.getMessage().contains("task 'versions': delete.sql"), error.getMessage());
        assertTrue(
                error.getMessage().matches("(?s).*deleted \\d+ rows but select.sql exported \\d+.*"),
                error.getMessage());
        assertEquals(all, database.ids("SELECT id FROM versions"));
        assertEquals(List.of(), store.list(""));
        assertEquals(0, database.count("SELECT count(*) FROM ferry_export_log"));
    }

    @Test
    void twoRunsInTheSameSecondGetDistinctNames() throws Exception {
        Clock frozen = Clock.fixed(Instant.parse("2024-05-06T19:08:07Z"), ZoneOffset.UTC);
        ExportSettings settings = settings().withClock(frozen).withKeep(true);
        String first = exporter(settings).export(task("versions")).file().orElseThrow();
        String second = exporter(settings).export(task("versions")).file().orElseThrow();
        assertEquals("versions-2024_05_06-07_08_07_PM.csv.gz", first);
        assertEquals("versions-2024_05_06-07_08_07_PM-2.csv.gz", second);
        assertEquals(VersionedTable.idsIn(store, first), VersionedTable.idsIn(store, second));
    }

    @Test
    void aTaskWhoseLockIsHeldElsewhereIsReportedBusyAndDeletesNothing() throws Exception {
        Set<Long> all = database.ids("SELECT id FROM versions");
        try (Connection other = database.connect();
                Statement statement = other.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + TaskExporter.lockKey("versions") + ")");
            FerryException error = assertThrows(
                    FerryException.class, () -> exporter(settings()).export(task("versions")));
            assertEquals(PostgresErrorCode.TASK_BUSY, error.code());
            assertTrue(error.getMessage().contains("task 'versions' is running elsewhere"), error.getMessage());
        }
        assertEquals(all, database.ids("SELECT id FROM versions"));
        assertEquals(List.of(), store.list(""));
        assertTrue(exporter(settings()).export(task("versions")).rows() > 0, "runs once the lock is free");
    }

    @Test
    void invalidSqlFailsThatTaskAloneNamingItsFileAndCause() throws Exception {
        writeTask("bad_select", "COPY (SELECT no_such_column FROM versions) TO STDOUT WITH CSV HEADER", null);
        writeTask(
                "bad_delete",
                "COPY (SELECT * FROM versions WHERE base_id = 1) TO STDOUT WITH CSV HEADER",
                "DELETE FROM no_such_table");
        Set<Long> all = database.ids("SELECT id FROM versions");
        TaskDirectory directory = TaskDirectory.scan(tasks);
        TaskExporter exporter = exporter(settings());
        exporter.prepare();
        List<TaskRunner.Outcome> heard = new ArrayList<>();

        List<TaskRunner.Outcome> outcomes = new TaskRunner(exporter, 2)
                .run(directory.tasks(), directory.broken(), outcome -> {
                    synchronized (heard) {
                        heard.add(outcome);
                    }
                });

        assertEquals(
                List.of("bad_delete", "bad_select", "versions"),
                outcomes.stream().map(TaskRunner.Outcome::task).toList());
        assertEquals(3, heard.size());
        FerryException badSelect =
                assertInstanceOf(TaskRunner.Failed.class, outcomes.get(1)).error();
        assertEquals(PostgresErrorCode.BAD_SQL, badSelect.code());
        assertTrue(
                badSelect
                        .getMessage()
                        .contains("task 'bad_select': select.sql (" + tasks.resolve("bad_select/select.sql")),
                badSelect.getMessage());
        assertTrue(badSelect.getMessage().contains("column \"no_such_column\" does not exist"), badSelect.getMessage());
        FerryException badDelete =
                assertInstanceOf(TaskRunner.Failed.class, outcomes.get(0)).error();
        assertTrue(badDelete.getMessage().contains("task 'bad_delete': delete.sql"), badDelete.getMessage());
        assertTrue(
                badDelete.getMessage().contains("relation \"no_such_table\" does not exist"), badDelete.getMessage());
        TaskResult good =
                assertInstanceOf(TaskRunner.Exported.class, outcomes.get(2)).result();
        assertEquals(
                difference(all, database.ids("SELECT id FROM versions")),
                VersionedTable.idsIn(store, good.file().orElseThrow()));
        assertEquals(
                List.of(good.file().orElseThrow(), good.file().orElseThrow() + ".manifest.json"),
                keys(),
                "the failed tasks left no file");
    }

    @Test
    void aFileLeftByARunThatNeverCommittedIsRemovedByTheNextRunAndOtherFilesStay() throws Exception {
        TaskExporter exporter = exporter(settings());
        exporter.prepare();
        String leftover = "versions-2020_01_01-01_02_03_AM.csv.gz";
        put(leftover, "stale");
        put(leftover + ".manifest.json", "{}");
        put("versions-2019_01_01-01_02_03_AM.csv.gz", "written by the old service");
        database.execute("INSERT INTO ferry_export_log (task, store, object_key, state) VALUES ('versions', '"
                + store.describe() + "', '" + leftover + "', 'started')");

        TaskResult result = exporter.export(task("versions"));

        assertEquals(1, result.orphansRemoved());
        assertTrue(store.stat(leftover).isEmpty());
        assertTrue(store.stat(leftover + ".manifest.json").isEmpty());
        assertTrue(store.stat("versions-2019_01_01-01_02_03_AM.csv.gz").isPresent(), "files ferry did not start stay");
        assertEquals(0, database.count("SELECT count(*) FROM ferry_export_log WHERE state = 'started'"));
    }

    @Test
    void anUnwritableDestinationFailsTheTaskAndDeletesNothing() throws Exception {
        Set<Long> all = database.ids("SELECT id FROM versions");
        Path notADirectory = Files.writeString(exports.resolve("file"), "x");
        FerryException error = assertThrows(
                FerryException.class,
                () -> prepared(new LocalDirectoryStore(notADirectory.resolve("sub")))
                        .export(task("versions")));
        assertEquals(StandardErrorCode.IO_ERROR, error.code(), error.getMessage());
        assertTrue(error.getMessage().startsWith("task 'versions': "), error.getMessage());
        assertEquals(all, database.ids("SELECT id FROM versions"));
        assertEquals(0, database.count("SELECT count(*) FROM ferry_export_log"));
    }

    @Test
    void aDestinationFailingMidWriteDeletesNothingAndLeavesNoFile() throws Exception {
        database.execute(
                "INSERT INTO versions (base_id, updated_at, payload) SELECT 1000 + g, d, md5(g::text) || repeat('y', 200)"
                        + " FROM generate_series(1, 20000) g, unnest(ARRAY[timestamptz '2023-01-01', '2024-06-01']) d",
                "ANALYZE versions");
        Set<Long> all = database.ids("SELECT id FROM versions");
        FerryException error = assertThrows(
                FerryException.class,
                () -> prepared(new FailingStore(store, 100_000)).export(task("versions")));
        assertEquals(StandardErrorCode.IO_ERROR, error.code(), error.getMessage());
        assertTrue(error.getMessage().contains("No space left on device"), error.getMessage());
        assertTrue(error.getMessage().contains("task 'versions'"), error.getMessage());
        assertEquals(all, database.ids("SELECT id FROM versions"));
        try (var files = Files.list(exports)) {
            assertEquals(List.of(), files.toList(), "no file, not even a temporary one");
        }
        assertEquals(0, database.count("SELECT count(*) FROM ferry_export_log"));
    }

    @Test
    void aRealFullFilesystemFailsTheTaskAndDeletesNothingAndLeavesNoFile(@TempDir Path mountPoint) throws Exception {
        // A real "No space left on device": a 128 KiB tmpfs (needs root, as CI runs; skipped where mount is denied).
        Process mount = new ProcessBuilder(
                        "mount", "-t", "tmpfs", "-o", "size=128k", "ferry-full", mountPoint.toString())
                .redirectErrorStream(true)
                .start();
        String mountOutput = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                mount.waitFor() == 0, "cannot mount a small tmpfs here: " + mountOutput.strip());
        try {
            database.execute(
                    "INSERT INTO versions (base_id, updated_at, payload) SELECT 1000 + g, d, md5(g::text)"
                            + " FROM generate_series(1, 20000) g, unnest(ARRAY[timestamptz '2023-01-01', '2024-06-01']) d",
                    "ANALYZE versions");
            Set<Long> all = database.ids("SELECT id FROM versions");
            FerryException error = assertThrows(
                    FerryException.class,
                    () -> prepared(new LocalDirectoryStore(mountPoint)).export(task("versions")));
            assertEquals(StandardErrorCode.IO_ERROR, error.code(), error.getMessage());
            assertTrue(error.getMessage().contains("No space left on device"), error.getMessage());
            assertTrue(error.getMessage().contains("task 'versions'"), error.getMessage());
            assertEquals(all, database.ids("SELECT id FROM versions"));
            try (var files = Files.list(mountPoint)) {
                assertEquals(List.of(), files.toList(), "no file, not even a temporary one");
            }
            assertEquals(0, database.count("SELECT count(*) FROM ferry_export_log"));
        } finally {
            new ProcessBuilder("umount", mountPoint.toString())
                    .inheritIO()
                    .start()
                    .waitFor();
        }
    }

    @Test
    void aMissingDatabaseOrRoleFailsAsUnavailableWithoutShowingThePassword() {
        for (String bad : List.of(
                "postgresql://postgres:hunter2@127.0.0.1:5432/no_such_database_ferry",
                "postgresql://no_such_role_ferry:hunter2@127.0.0.1:5432/" + database.name())) {
            DatabaseUrl url = DatabaseUrl.parse(bad, Optional.empty(), Map.of());
            FerryException error = assertThrows(
                    FerryException.class, () -> new TaskExporter(new Database(url), store, settings()).prepare());
            assertEquals(PostgresErrorCode.DATABASE_UNAVAILABLE, error.code());
            assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
            assertTrue(error.getMessage().contains(":***@127.0.0.1:5432/"), error.getMessage());
            assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
        }
        DatabaseUrl down = DatabaseUrl.parse("postgresql://postgres@127.0.0.1:1/x", Optional.empty(), Map.of());
        FerryException error = assertThrows(
                FerryException.class, () -> new TaskExporter(new Database(down), store, settings()).prepare());
        assertEquals(PostgresErrorCode.DATABASE_UNAVAILABLE, error.code());
        assertTrue(error.getMessage().contains("check that PostgreSQL runs"), error.getMessage());
    }

    private ExportSettings settings() {
        return ExportSettings.defaults().withParameters(PARAMETERS);
    }

    private DatabaseUrl url() {
        return DatabaseUrl.parse(database.url(), Optional.empty(), Map.of());
    }

    private TaskExporter exporter(ExportSettings settings) {
        TaskExporter exporter = new TaskExporter(new Database(url()), store, settings);
        if (!settings.dryRun()) {
            exporter.prepare();
        }
        return exporter;
    }

    private TaskExporter prepared(ObjectStore destination) {
        TaskExporter exporter = new TaskExporter(new Database(url()), destination, settings());
        exporter.prepare();
        return exporter;
    }

    private TaskFolder task(String name) {
        return TaskFolder.load(tasks.resolve(name));
    }

    private void writeTask(String name, String select, @org.jspecify.annotations.Nullable String delete)
            throws IOException {
        Path folder = Files.createDirectories(tasks.resolve(name));
        Files.writeString(folder.resolve("select.sql"), select);
        if (delete != null) {
            Files.writeString(folder.resolve("delete.sql"), delete);
        }
    }

    private void put(String key, String content) {
        try (ObjectUpload upload = store.create(key)) {
            upload.stream().write(content.getBytes(StandardCharsets.UTF_8));
            upload.commit();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> keys() {
        return store.list("").stream().map(StoredObject::key).toList();
    }

    private JsonNode manifest(String key) throws IOException {
        try (InputStream in = store.open(key + ".manifest.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private String stored(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String sha256(String key) throws Exception {
        try (InputStream in = store.open(key)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }

    private static Set<Long> difference(Set<Long> all, Set<Long> removed) {
        Set<Long> rest = new HashSet<>(all);
        rest.removeAll(removed);
        return rest;
    }
}
