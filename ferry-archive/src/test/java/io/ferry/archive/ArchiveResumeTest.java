package io.ferry.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.source.Split;
import io.ferry.testing.TestRecords;
import io.ferry.testing.ValueKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming from a checkpoint leaves no overlap even when object boundaries move between runs. */
class ArchiveResumeTest {
    private static final Split SPLIT = new Split("events/0", "events", 0);

    @TempDir
    Path directory;

    private List<Record> records(int count) {
        return TestRecords.records(
                SPLIT, 0, TestRecords.values(7, count, EnumSet.of(ValueKind.JSON_ASCII, ValueKind.MULTIBYTE_UTF8)));
    }

    @Test
    void objectsPublishedAfterTheCheckpointAreReplacedWhenTheResumedRunCutsObjectsElsewhere() {
        LocalDirectoryStore store = new LocalDirectoryStore(directory);
        List<Record> records = records(1000);
        ArchiveSink firstRun =
                new ArchiveSink(store, "", ArchiveOptions.defaults().withObjectRecords(100));
        String checkpointState;
        try (SinkWriter writer = firstRun.open(new SinkContext("job", SPLIT, false), Optional.empty())) {
            writer.write(records.subList(0, 100));
            checkpointState = writer.flush(false).state();
            // The process dies after publishing more objects but before checkpointing them.
            writer.write(records.subList(100, 1000));
        }
        assertEquals(
                10, new ArchiveVerifier().verify(store, "").partitions().get(0).objects());

        // A resumed run whose objects end elsewhere (a time limit, another pause point).
        ArchiveSink resumed =
                new ArchiveSink(store, "", ArchiveOptions.defaults().withObjectRecords(150));
        try (SinkWriter writer = resumed.open(new SinkContext("job", SPLIT, true), Optional.of(checkpointState))) {
            // The engine resumes after the checkpoint: the first 100 records are not written again.
            writer.write(records.subList(100, 1000));
            writer.flush(true);
        }
        VerifyReport report = new ArchiveVerifier().verify(store, "");
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(1000, report.partitions().get(0).records());
        assertEquals(7, report.partitions().get(0).objects(), "0-99, then 150-record objects from 100");
    }

    @Test
    void anotherJobsObjectsAreNeitherDiscardedNorMixedWithThisJobs() {
        LocalDirectoryStore store = new LocalDirectoryStore(directory);
        List<Record> records = records(300);
        ArchiveSink sink = new ArchiveSink(store, "", ArchiveOptions.defaults().withObjectRecords(100));
        try (SinkWriter writer = sink.open(new SinkContext("other-job", SPLIT, false), Optional.empty())) {
            writer.write(records);
            writer.flush(true);
        }
        FerryException refused = assertThrows(
                FerryException.class, () -> sink.open(new SinkContext("job", SPLIT, true), Optional.empty()));
        assertEquals(StandardErrorCode.TARGET_EXISTS, refused.code());
        VerifyReport report = new ArchiveVerifier().verify(store, "");
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(3, report.partitions().get(0).objects());
    }

    @Test
    void anObjectAgeLimitFinishesObjectsOfASlowStreamOnTime() throws Exception {
        LocalDirectoryStore store = new LocalDirectoryStore(directory);
        List<Record> records = records(40);
        ArchiveSink sink = new ArchiveSink(store, "", ArchiveOptions.defaults().withObjectAge(Duration.ofMillis(40)));
        try (SinkWriter writer = sink.open(new SinkContext("job", SPLIT, false), Optional.empty())) {
            for (int i = 0; i < records.size(); i += 10) {
                writer.write(records.subList(i, i + 10));
                Thread.sleep(60);
                assertEquals(
                        records.get(i + 9).offset(),
                        writer.flush(false).lastOffset(),
                        "published by age at the next flush");
            }
        }
        VerifyReport report = new ArchiveVerifier().verify(store, "");
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(4, report.partitions().get(0).objects());
    }
}
