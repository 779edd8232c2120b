package io.ferry.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest {
    @TempDir
    Path dir;

    private static JobRecord job(String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new JobRecord(name, "export", "export\n@1.stream=/a", JobState.PAUSED, now, now, null);
    }

    @Test
    void jobsCheckpointsAndRunsSurviveReopening() {
        Checkpoint checkpoint = new Checkpoint(
                "j1", "orders/0", "archive:dir:/b", 41, "b=100;l=42", "{\"lastOffset\":41}", 42, 100, Instant.now());
        try (StateStore store = SqliteStateStore.open(dir)) {
            store.createJob(job("j1"));
            store.saveCheckpoint(checkpoint);
            long run = store.startRun("j1", Instant.now());
            store.finishRun(run, Instant.now(), JobState.SUCCEEDED, "{\"ok\":true}");
            store.updateJob("j1", JobState.FAILED, Optional.of("disk full"));
        }
        try (StateStore store = SqliteStateStore.open(dir)) {
            JobRecord found = store.findJob("j1").orElseThrow();
            assertEquals(JobState.FAILED, found.state());
            assertEquals(Optional.of("disk full"), found.findLastError());
            assertEquals(
                    List.of(checkpoint.lastOffset()),
                    store.checkpoints("j1").stream().map(Checkpoint::lastOffset).toList());
            assertEquals("b=100;l=42", store.checkpoints("j1").get(0).position());
            assertEquals(
                    Optional.of("{\"ok\":true}"),
                    store.lastRun("j1").orElseThrow().findReport());
        }
        assertTrue(Files.exists(dir.resolve(SqliteStateStore.FILE_NAME)));
    }

    @Test
    void theSchemaVersionConstantMatchesTheNewestMigration() throws Exception {
        int newest;
        try (var migrations = Files.list(Path.of(
                SqliteStateStore.class.getResource("/db/migration/sqlite").toURI()))) {
            newest = migrations
                    .map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("V"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max()
                    .orElseThrow();
        }
        assertEquals(newest, SqliteStateStore.SCHEMA_VERSION);
        try (SqliteStateStore store = SqliteStateStore.open(dir);
                var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store.file())) {
            assertEquals(newest, SqliteStateStore.schemaVersion(connection));
        }
    }

    @Test
    void savingACheckpointAgainReplacesIt() {
        try (StateStore store = SqliteStateStore.open(dir)) {
            store.createJob(job("j1"));
            store.saveCheckpoint(new Checkpoint("j1", "s", "k", 1, "p1", "", 2, 20, Instant.now()));
            store.saveCheckpoint(new Checkpoint("j1", "s", "k", 9, "p9", "", 10, 100, Instant.now()));
            List<Checkpoint> checkpoints = store.checkpoints("j1");
            assertEquals(1, checkpoints.size());
            assertEquals(9, checkpoints.get(0).lastOffset());
        }
    }

    @Test
    void resetForgetsCheckpointsAndDeleteForgetsTheJob() {
        try (StateStore store = SqliteStateStore.open(dir)) {
            store.createJob(job("j1"));
            store.saveCheckpoint(new Checkpoint("j1", "s", "k", 1, "p1", "", 2, 20, Instant.now()));
            store.saveSplit(new SplitProgress("j1", "s", SplitState.DONE, 5, 5, "bytes", 2, 20, null, Instant.now()));
            store.resetJob("j1");
            assertEquals(List.of(), store.checkpoints("j1"));
            assertEquals(List.of(), store.splits("j1"));
            store.deleteJob("j1");
            assertEquals(Optional.empty(), store.findJob("j1"));
        }
    }

    @Test
    void creatingAJobTwiceFails() {
        try (StateStore store = SqliteStateStore.open(dir)) {
            store.createJob(job("j1"));
            assertThrows(FerryException.class, () -> store.createJob(job("j1")));
        }
    }

    @Test
    void anUnusableStateDirectoryIsReportedWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        FerryException error = assertThrows(FerryException.class, () -> SqliteStateStore.open(file));
        assertTrue(error.getMessage().contains("--state-dir"), error.getMessage());
    }
}
