package io.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.format.Compression;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskDirectoryTest {
    @TempDir
    Path tasks;

    @Test
    void findsEveryFolderWithASelectAndReportsEachBrokenFolderAlone() throws IOException {
        write("orders/select.sql", "COPY (SELECT * FROM orders WHERE day < :boundary) TO STDOUT WITH CSV HEADER");
        write("orders/delete.sql", "DELETE FROM orders WHERE day < :boundary");
        write("events/select.sql", "COPY (DELETE FROM events RETURNING *) TO STDOUT WITH CSV HEADER");
        write("plain/select.sql", "SELECT 1 AS one;");
        write("empty/select.sql", "-- nothing yet\n");
        write("orphan/delete.sql", "DELETE FROM t");
        write("twice/select.sql", "COPY (DELETE FROM t RETURNING *) TO STDOUT WITH CSV HEADER");
        write("twice/delete.sql", "DELETE FROM t");
        write("binary/select.sql", "");
        Files.write(tasks.resolve("binary/select.sql"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        write("bad name/select.sql", "SELECT 1");
        write("text/select.sql", "COPY (SELECT 1) TO STDOUT");
        Files.createDirectories(tasks.resolve("notes"));

        TaskDirectory directory = TaskDirectory.scan(tasks);

        assertEquals(
                List.of("events", "orders", "plain"),
                directory.tasks().stream().map(TaskFolder::name).toList());
        assertEquals(
                TaskFolder.Mode.DELETE_RETURNING,
                directory.findTask("events").orElseThrow().mode());
        assertEquals(
                TaskFolder.Mode.COPY_THEN_DELETE,
                directory.findTask("orders").orElseThrow().mode());
        assertEquals(
                TaskFolder.Mode.EXPORT_ONLY,
                directory.findTask("plain").orElseThrow().mode());
        assertEquals(
                Set.of("boundary"), directory.findTask("orders").orElseThrow().parameters());
        assertEquals(
                List.of("bad name", "binary", "empty", "orphan", "text", "twice"),
                directory.broken().stream().map(TaskDirectory.BrokenTask::name).toList());
        for (TaskDirectory.BrokenTask broken : directory.broken()) {
            assertEquals(PostgresErrorCode.BAD_TASK, broken.error().code());
            assertTrue(
                    broken.error().getMessage().startsWith("task '" + broken.name() + "': "),
                    broken.error().getMessage());
        }
        assertTrue(
                directory.findBroken("empty").orElseThrow().error().getMessage().contains("select.sql is empty"));
        assertTrue(
                directory.findBroken("twice").orElseThrow().error().getMessage().contains("remove delete.sql"));
        assertTrue(directory
                .findBroken("binary")
                .orElseThrow()
                .error()
                .getMessage()
                .contains("UTF-8"));
        assertTrue(
                directory.findBroken("text").orElseThrow().error().getMessage().contains("CSV"));
    }

    @Test
    void aBareQueryIsExportedAsCsvWithAHeader() throws IOException {
        write("plain/select.sql", "SELECT 1 AS one;\n");
        TaskFolder.RenderedTask rendered =
                TaskDirectory.scan(tasks).findTask("plain").orElseThrow().render(Map.of(), true);
        assertEquals("COPY (SELECT 1 AS one\n) TO STDOUT WITH (FORMAT csv, HEADER)", rendered.copySql());
        assertEquals("SELECT 1 AS one", rendered.query());
    }

    @Test
    void aMissingParameterIsNamedWithItsTaskAndFile() throws IOException {
        write("orders/select.sql", "COPY (SELECT * FROM orders WHERE day < :boundary) TO STDOUT WITH CSV HEADER");
        TaskFolder task = TaskDirectory.scan(tasks).findTask("orders").orElseThrow();
        FerryException error = assertThrows(FerryException.class, () -> task.render(Map.of("boundry", "x"), true));
        assertEquals(PostgresErrorCode.BAD_PARAMETER, error.code());
        assertTrue(error.getMessage().contains("task 'orders': select.sql"), error.getMessage());
        assertTrue(error.getMessage().contains(":boundary"), error.getMessage());
        assertTrue(error.getMessage().contains("--param boundary=VALUE"), error.getMessage());
    }

    @Test
    void aMissingTaskDirectoryIsNotFound() {
        FerryException error = assertThrows(FerryException.class, () -> TaskDirectory.scan(tasks.resolve("nope")));
        assertTrue(error.getMessage().contains("--tasks"), error.getMessage());
    }

    @Test
    void namesFilesLikeTheOriginalServiceWithATwelveHourClock() {
        var afternoon = LocalDateTime.of(2024, 3, 9, 15, 4, 5).atZone(ZoneOffset.UTC);
        var morning = LocalDateTime.of(2024, 3, 9, 0, 4, 5).atZone(ZoneOffset.UTC);
        assertEquals("orders-2024_03_09-03_04_05_PM.csv.gz", ArchiveName.of("orders", afternoon, Compression.GZIP, 1));
        assertEquals("orders-2024_03_09-12_04_05_AM-2.csv.zst", ArchiveName.of("orders", morning, Compression.ZSTD, 2));
        assertEquals("orders-2024_03_09-12_04_05_AM.csv", ArchiveName.of("orders", morning, Compression.NONE, 1));
    }

    private void write(String relative, String content) throws IOException {
        Path file = tasks.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
