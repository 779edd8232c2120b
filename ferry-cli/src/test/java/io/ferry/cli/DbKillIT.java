package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.format.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ferry db export as a real child process, killed with SIGKILL at random moments. */
class DbKillIT {
    private static final int KILLS = 8;

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomMomentsNeverDeletesARowWithoutItsFileNorLeavesAPartialFileUnderAFinalName() throws Exception {
        try (DbTestDatabase database = DbTestDatabase.create("ferry_dbkill")) {
            database.execute(
                    "CREATE TABLE readings (id bigserial PRIMARY KEY, sensor int NOT NULL, value double precision, note text)",
                    "INSERT INTO readings (sensor, value, note) SELECT g % 97, random(), md5(g::text) || repeat('n', 60)"
                            + " FROM generate_series(1, 400000) g");
            Set<Long> all = database.ids("SELECT id FROM readings");
            Path tasks = Files.createDirectories(dir.resolve("tasks/oldest"));
            // each run archives the oldest 40,000 rows
            Files.writeString(
                    tasks.resolve("select.sql"),
                    "COPY (SELECT * FROM readings WHERE id < (SELECT min(id) FROM readings) + 40000"
                            + " ORDER BY id) TO STDOUT WITH CSV HEADER");
            Files.writeString(
                    tasks.resolve("delete.sql"),
                    "DELETE FROM readings WHERE id < (SELECT min(id) FROM readings) + 40000");
            Path exports = dir.resolve("exports");
            List<String> args = List.of(
                    "db",
                    "export",
                    "oldest",
                    "--tasks",
                    dir.resolve("tasks").toString(),
                    "--to",
                    exports.toString(),
                    "--database",
                    database.url(),
                    "--compression-level",
                    "9");

            // Kill moments are drawn from [0, the length of the last run that finished on its own): on a
            // fast machine a whole run takes well under a second, so fixed delays would miss every run.
            long seed = System.nanoTime();
            Random random = new Random(seed);
            long bound = 2500;
            int killed = 0;
            int round = 0;
            while (killed < KILLS) {
                assertTrue(round < 40, "could not kill the export " + KILLS + " times; seed " + seed);
                Path log = dir.resolve("err-" + round + ".log");
                long started = System.nanoTime();
                Process process = Ferry.start(log, args);
                boolean exited = process.waitFor(random.nextLong(bound), TimeUnit.MILLISECONDS);
                if (!exited) {
                    process.destroyForcibly(); // SIGKILL
                    process.waitFor();
                    killed++;
                } else {
                    assertEquals(0, process.exitValue(), "seed " + seed + "; " + Files.readString(log));
                    bound = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
                Set<Long> inFiles = idsInFinalFiles(exports, false);
                Set<Long> deleted = new HashSet<>(all);
                deleted.removeAll(database.ids("SELECT id FROM readings"));
                Set<Long> lost = new HashSet<>(deleted);
                lost.removeAll(inFiles);
                assertEquals(Set.of(), lost, "rows deleted without their file after round " + round + "; seed " + seed);
                round++;
            }

            Process last = Ferry.start(dir.resolve("err-last.log"), args);
            assertTrue(last.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, last.exitValue(), Files.readString(dir.resolve("err-last.log")));
            Set<Long> inFiles = idsInFinalFiles(exports, true);
            Set<Long> remaining = database.ids("SELECT id FROM readings");
            Set<Long> both = new HashSet<>(inFiles);
            both.retainAll(remaining);
            assertEquals(Set.of(), both, "after a clean run, files of uncommitted runs are gone");
            Set<Long> union = new HashSet<>(inFiles);
            union.addAll(remaining);
            assertEquals(all, union, "exported + remaining = every row");
        }
    }

    /** Ids in every complete file under a final name; each such file must decompress and parse whole. */
    private static Set<Long> idsInFinalFiles(Path exports, boolean disjoint) throws IOException {
        Set<Long> ids = new HashSet<>();
        if (!Files.isDirectory(exports)) {
            return ids;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(exports)) {
            files = list.filter(file -> file.getFileName().toString().endsWith(".csv.gz"))
                    .toList();
        }
        for (Path file : files) {
            String csv;
            try (InputStream in = Compression.GZIP.decompress(Files.newInputStream(file))) {
                csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(csv.startsWith("id,sensor,value,note\n"), file + " has the header");
            assertTrue(csv.endsWith("\n"), file + " is complete");
            for (String line : csv.substring(csv.indexOf('\n') + 1).split("\n", -1)) {
                if (line.isEmpty()) {
                    continue;
                }
                long id = Long.parseLong(line.substring(0, line.indexOf(',')));
                assertTrue(ids.add(id) || !disjoint, "id " + id + " is in two files: " + file);
            }
        }
        return ids;
    }
}
