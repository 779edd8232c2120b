package io.ferry.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetLeaseTest {
    @TempDir
    Path root;

    @Test
    void jobsWithDifferentStateDirectoriesCannotWriteOneTargetAtOnce() {
        String target = "kafka://127.0.0.1:9092/orders-" + UUID.randomUUID();
        TargetLease first = TargetLease.acquire(root.resolve("state-a/locks"), target, "restore-a");
        try {
            FerryException busy = assertThrows(
                    FerryException.class,
                    () -> TargetLease.acquire(root.resolve("state-b/locks"), target, "restore-b"));
            assertEquals(StandardErrorCode.TARGET_BUSY, busy.code());
            assertTrue(busy.getMessage().contains(target), busy.getMessage());
            assertTrue(busy.getMessage().contains("restore-a"), busy.getMessage());
        } finally {
            first.close();
        }
        // released: the other job may take it now
        TargetLease second = TargetLease.acquire(root.resolve("state-b/locks"), target, "restore-b");
        second.close();
        assertTrue(Files.isDirectory(TargetLease.machineDirectory()));
    }

    @Test
    void anUnusableSharedDirectoryLeavesTheStateDirectoryLease() throws Exception {
        String target = "file:" + root.resolve("out.jsonl");
        Path notADirectory = Files.writeString(root.resolve("shared"), "x");
        List<Path> directories = List.of(root.resolve("state/locks"), notADirectory.resolve("leases"));
        TargetLease lease = TargetLease.acquire(directories, target, "job-1");
        try {
            FerryException busy =
                    assertThrows(FerryException.class, () -> TargetLease.acquire(directories, target, "job-2"));
            assertEquals(StandardErrorCode.TARGET_BUSY, busy.code());
        } finally {
            lease.close();
        }
    }
}
