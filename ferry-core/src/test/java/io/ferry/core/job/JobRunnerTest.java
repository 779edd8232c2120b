package io.ferry.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.progress.ProgressTracker;
import io.ferry.core.state.Checkpoint;
import io.ferry.core.state.JobRecord;
import io.ferry.core.state.JobState;
import io.ferry.core.state.SqliteStateStore;
import io.ferry.core.state.StateStore;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.sink.Sink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
    private static final int RECORDS = 1000;

    @TempDir
    Path dir;

    private StateStore store;
    private JobRunner runner;

    @BeforeEach
    void open() {
        store = SqliteStateStore.open(dir);
        runner = new JobRunner(store, dir.resolve("locks"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private JobOutcome run(TestingSource source, List<Sink> sinks, StopSignal stop) {
        JobRecord job = runner.register("job", JobSpec.of("export", Map.of("@1", "x")));
        return runner.run(
                job,
                source,
                sinks,
                new RunSettings(2, java.time.Duration.ofMillis(10)),
                new ProgressTracker("job"),
                stop);
    }

    private static List<String> expected(String stream) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            values.add(TestingSource.value(stream, i));
        }
        return values;
    }

    @Test
    void copiesEverySplitAndCheckpointsOnlyWhatIsDurable() {
        TestingSink sink = new TestingSink("sink", 128);
        List<Long> checkpointed = new ArrayList<>();
        sink.onWrite = record -> {
            for (Checkpoint checkpoint : store.checkpoints("job")) {
                if (checkpoint.split().equals("s0/0")) {
                    checkpointed.add(checkpoint.lastOffset());
                    // A checkpoint never claims a record the sink has not made durable.
                    assertTrue(sink.durable.get("s0/0").size() >= checkpoint.lastOffset() + 1);
                }
            }
        };
        JobOutcome outcome = run(new TestingSource(3, RECORDS, 50), List.of(sink), new StopSignal());
        assertEquals(JobState.SUCCEEDED, outcome.state());
        for (int i = 0; i < 3; i++) {
            assertEquals(expected("s" + i), sink.durable.get("s" + i + "/0"));
        }
        assertEquals(3L * RECORDS, outcome.report().records());
        assertTrue(!checkpointed.isEmpty());
        for (Checkpoint checkpoint : store.checkpoints("job")) {
            assertEquals(RECORDS - 1, checkpoint.lastOffset());
            assertEquals(RECORDS, checkpoint.records());
        }
    }

    @Test
    void whileRunningCheckpointsAreSavedAtMostOnceASecondAndAlwaysAtTheEnd() {
        TestingSink sink = new TestingSink("sink", 10);
        Set<Long> seen = new TreeSet<>();
        sink.onWrite = record -> {
            for (Checkpoint checkpoint : store.checkpoints("job")) {
                seen.add(checkpoint.lastOffset());
            }
        };
        JobOutcome outcome = run(new TestingSource(1, RECORDS, 30), List.of(sink), new StopSignal());
        assertEquals(JobState.SUCCEEDED, outcome.state());
        // The sink has more records durable after each batch of 30: a checkpoint each would be 33 commits.
        assertTrue(seen.size() < 10, "checkpoints seen while running: " + seen);
        assertEquals(RECORDS - 1, store.checkpoints("job").get(0).lastOffset());
        assertEquals(expected("s0"), sink.durable.get("s0/0"));
    }

    @Test
    void aFailedRunResumesWithNothingLostAndNothingDuplicated() {
        TestingSink sink = new TestingSink("sink", 100);
        sink.failAtOffset = 550;
        TestingSource source = new TestingSource(1, RECORDS, 30);
        JobOutcome failed = run(source, List.of(sink), new StopSignal());
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("IO_ERROR", failed.report().failures().get(0).code());
        assertEquals(500, sink.durable.get("s0/0").size(), "only whole durable groups survive");
        assertEquals(499, store.checkpoints("job").get(0).lastOffset());

        sink.failAtOffset = -1;
        JobOutcome resumed = run(source, List.of(sink), new StopSignal());
        assertEquals(JobState.SUCCEEDED, resumed.state());
        assertEquals(expected("s0"), sink.durable.get("s0/0"));
        assertEquals(RECORDS - 500, resumed.report().records(), "resumed after the checkpoint, not from the start");
        assertEquals(JobState.SUCCEEDED, store.findJob("job").orElseThrow().state());
    }

    @Test
    void aDestinationAheadOfAnotherOnResumeSkipsWhatItAlreadyHas() {
        TestingSink fast = new TestingSink("fast", 10);
        TestingSink slow = new TestingSink("slow", 100);
        slow.failAtOffset = 420;
        TestingSource source = new TestingSource(1, RECORDS, 25);
        assertEquals(
                JobState.FAILED,
                run(source, List.of(fast, slow), new StopSignal()).state());
        assertEquals(400, slow.durable.get("s0/0").size());
        assertTrue(fast.durable.get("s0/0").size() > 400);

        slow.failAtOffset = -1;
        assertEquals(
                JobState.SUCCEEDED,
                run(source, List.of(fast, slow), new StopSignal()).state());
        assertEquals(expected("s0"), fast.durable.get("s0/0"));
        assertEquals(expected("s0"), slow.durable.get("s0/0"));
        // The source is acknowledged only up to what both destinations hold.
        assertEquals(RECORDS - 1, source.acknowledged.get(source.acknowledged.size() - 1));
    }

    @Test
    void aPauseMakesEverythingWrittenDurableCheckpointsAndResumes() {
        TestingSink sink = new TestingSink("sink", 1000);
        StopSignal stop = new StopSignal();
        sink.onWrite = record -> {
            if (record.offset() == 333) {
                stop.requestPause();
            }
        };
        TestingSource source = new TestingSource(1, RECORDS, 10);
        JobOutcome paused = run(source, List.of(sink), stop);
        assertEquals(JobState.PAUSED, paused.state());
        long checkpoint = store.checkpoints("job").get(0).lastOffset();
        assertEquals(339, checkpoint, "the batch in hand is finished and made durable");
        assertEquals(340, sink.durable.get("s0/0").size());

        sink.onWrite = record -> {};
        assertEquals(
                JobState.SUCCEEDED, run(source, List.of(sink), new StopSignal()).state());
        assertEquals(expected("s0"), sink.durable.get("s0/0"));
    }

    @Test
    void twoJobsCannotWriteOneExclusiveTargetAtOnce() throws Exception {
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        TestingSink first = new TestingSink("sink", 10) {
            @Override
            public List<String> exclusiveTargets() {
                return List.of("topic://orders");
            }
        };
        first.onWrite = record -> {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread running = new Thread(() -> run(new TestingSource(1, 20, 5), List.of(first), new StopSignal()));
        running.start();
        writing.await();

        TestingSink second = new TestingSink("sink", 10) {
            @Override
            public List<String> exclusiveTargets() {
                return List.of("topic://orders");
            }
        };
        JobRecord other = runner.register("other", JobSpec.of("import", Map.of("@1", "y")));
        FerryException busy = assertThrows(
                FerryException.class,
                () -> runner.run(
                        other,
                        new TestingSource(1, 20, 5),
                        List.of(second),
                        RunSettings.waitingSplits(),
                        new ProgressTracker("other"),
                        new StopSignal()));
        assertEquals("TARGET_BUSY", busy.code().name());
        assertTrue(
                busy.getMessage().contains("topic://orders")
                        && busy.getMessage().contains("job job"),
                busy.getMessage());
        release.countDown();
        running.join();
        assertEquals(expected("s0").subList(0, 20), first.durable.get("s0/0"));
    }

    @Test
    void aNameReusedForOtherWorkIsRefused() {
        runner.register("job", JobSpec.of("export", Map.of("@1", "x")));
        FerryException error = assertThrows(
                FerryException.class, () -> runner.register("job", JobSpec.of("export", Map.of("@1", "y"))));
        assertTrue(error.getMessage().contains("--name"), error.getMessage());
    }

    @Test
    void derivedNamesAreStableAndDifferWithTheOptions() {
        JobSpec a = JobSpec.of("export", Map.of("@1", "/data/orders.jsonl", "--to.00", "/b"));
        JobSpec same = JobSpec.of("export", Map.of("--to.00", "/b", "@1", "/data/orders.jsonl"));
        JobSpec other = JobSpec.of("export", Map.of("@1", "/data/orders.jsonl", "--to.00", "/c"));
        assertEquals(a.derivedName("orders"), same.derivedName("orders"));
        assertTrue(a.derivedName("orders").startsWith("export-orders-"));
        assertTrue(!a.derivedName("orders").equals(other.derivedName("orders")));
    }
}
