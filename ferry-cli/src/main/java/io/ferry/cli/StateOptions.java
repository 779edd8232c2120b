package io.ferry.cli;

import io.ferry.core.state.SqliteStateStore;
import io.ferry.core.state.StateStore;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where ferry keeps jobs and checkpoints. */
public final class StateOptions {
    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where jobs, checkpoints and run reports are kept (SQLite). Default: $FERRY_STATE_DIR,"
                    + " else ~/.ferry. Example: --state-dir /var/lib/ferry")
    @Nullable
    Path stateDir;

    public Path directory() {
        if (stateDir != null) {
            return stateDir.toAbsolutePath();
        }
        String fromEnvironment = System.getenv("FERRY_STATE_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".ferry");
    }

    public StateStore open() {
        return SqliteStateStore.open(directory());
    }

    public Path lockDirectory() {
        return directory().resolve("locks");
    }
}
