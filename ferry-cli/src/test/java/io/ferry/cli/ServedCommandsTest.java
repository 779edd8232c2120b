package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run settings a job command reads with: its kind's default, or what --parallelism asks for. */
class ServedCommandsTest {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @TempDir
    Path dir;

    @Test
    void exportRunsTwoSplitsPerCpuAtLeastFourByDefault() throws IOException {
        assertEquals(Math.max(4, 2 * CPUS), parallelism("export", exportArguments()));
    }

    @Test
    void importRunsOneSplitPerCpuAtLeastTwoByDefault() throws IOException {
        assertEquals(Math.max(2, CPUS), parallelism("import", importArguments()));
    }

    @Test
    void parallelismOptionOverridesEitherDefault() throws IOException {
        assertEquals(7, parallelism("export", with(exportArguments(), "--parallelism", "7")));
        assertEquals(1, parallelism("import", with(importArguments(), "--parallelism", "1")));
        assertEquals(9, parallelism("import", with(importArguments(), "--parallelism=9")));
    }

    private static int parallelism(String command, List<String> args) {
        return ServedCommands.prepare(command, args).settings().parallelism();
    }

    private List<String> exportArguments() throws IOException {
        Path stream = Files.writeString(dir.resolve("orders.jsonl"), "{\"id\":1}\n");
        return List.of(stream.toString(), dir.resolve("bucket").toString());
    }

    private List<String> importArguments() throws IOException {
        Path bucket = Files.createDirectories(dir.resolve("bucket"));
        return List.of(bucket.toString(), dir.resolve("restored.jsonl").toString());
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }
}
