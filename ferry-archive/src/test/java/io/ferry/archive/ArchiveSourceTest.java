package io.ferry.archive;

import static io.ferry.archive.TestingAssertions.assertMessageContains;
import static io.ferry.archive.TestingRecords.records;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.format.Compression;
import io.ferry.archive.format.ObjectNames;
import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.archive.store.ObjectStore;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveSourceTest {
    private final ObjectStore store;

    ArchiveSourceTest(@TempDir Path root) {
        this.store = new LocalDirectoryStore(root);
    }

    private void export(String stream, int partition, List<Record> records, ArchiveOptions options) {
        Split split = new Split(stream + "/" + partition, stream, partition);
        try (SinkWriter writer =
                new ArchiveSink(store, "exp", options).open(new SinkContext("job", split, false), Optional.empty())) {
            writer.write(records);
            writer.flush(true);
        }
    }

    /** Reads to the end; returns the records and checks that progress only grows. */
    private static List<Record> readAll(SourceReader<ArchivePosition> reader) {
        List<Record> records = new ArrayList<>();
        long progress = reader.progress();
        ReadBatch batch;
        do {
            batch = reader.read(Duration.ofMillis(10));
            assertTrue(batch.records().size() <= ArchiveSourceReader.MAX_BATCH_RECORDS);
            records.addAll(batch.records());
            assertTrue(reader.progress() >= progress);
            progress = reader.progress();
        } while (!batch.end());
        return records;
    }

    private static void assertSameEvents(List<Record> expected, List<Record> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Record e = expected.get(i);
            Record a = actual.get(i);
            assertEquals(e.from(), a.from());
            assertArrayEquals(e.key(), a.key());
            assertArrayEquals(e.value(), a.value());
            assertEquals(e.headers(), a.headers());
            assertEquals(e.timestamp(), a.timestamp());
        }
    }

    @Test
    void plansOneSplitPerStreamPartitionInOrder() {
        ArchiveOptions options = ArchiveOptions.defaults();
        export("orders", 10, records("orders", 10, 0, 3, 1, 10), options);
        export("orders", 2, records("orders", 2, 0, 3, 1, 10), options);
        export("a/b c", 0, records("a/b c", 0, 0, 3, 1, 10), options);
        ArchiveSource source = new ArchiveSource(store, "exp");
        assertEquals(
                List.of(
                        new Split("a/b c/0", "a/b c", 0),
                        new Split("orders/2", "orders", 2),
                        new Split("orders/10", "orders", 10)),
                source.plan());
    }

    @Test
    void readsEverythingBackInOrderAcrossObjects() {
        List<Record> written = records("orders", 0, 5, 3500, 3, 50);
        export("orders", 0, written, ArchiveOptions.defaults().withObjectRecords(1000));
        ArchiveSource source = new ArchiveSource(store, "exp");
        Split split = source.plan().get(0);
        try (SourceReader<ArchivePosition> reader = source.open(split, Optional.empty())) {
            assertSameEvents(written, readAll(reader));
            SplitSize size = source.size(split).orElseThrow();
            assertEquals(SplitSize.Unit.BYTES, size.unit());
            assertEquals(size.total(), reader.progress());
        }
    }

    @Test
    void resumesMidObjectWithoutDuplicates() {
        List<Record> written = records("orders", 0, 0, 250, 1, 20);
        export("orders", 0, written, new ArchiveOptions(Compression.GZIP, 6, Long.MAX_VALUE, 100));
        ArchiveSource source = new ArchiveSource(store, "exp");
        Split split = source.plan().get(0);
        List<Record> all;
        try (SourceReader<ArchivePosition> reader = source.open(split, Optional.empty())) {
            all = readAll(reader);
        }
        for (int stopAfter : new int[] {0, 42, 99, 100, 199, 248}) {
            ArchivePosition checkpoint = (ArchivePosition) all.get(stopAfter).position();
            ArchivePosition decoded = source.decodePosition(split, checkpoint.encode());
            assertEquals(checkpoint, decoded);
            try (SourceReader<ArchivePosition> reader = source.open(split, Optional.of(decoded))) {
                assertSameEvents(written.subList(stopAfter + 1, written.size()), readAll(reader));
            }
        }
        ArchivePosition last = (ArchivePosition) all.get(249).position();
        try (SourceReader<ArchivePosition> reader = source.open(split, Optional.of(last))) {
            assertEquals(List.of(), readAll(reader));
        }
    }

    @Test
    void refusesAnObjectWithoutManifest() {
        export(
                "orders",
                0,
                records("orders", 0, 0, 30, 1, 20),
                ArchiveOptions.defaults().withObjectRecords(10));
        store.delete(ObjectNames.manifestKey("exp", "orders", 0, 10));
        ArchiveSource source = new ArchiveSource(store, "exp");
        try (SourceReader<ArchivePosition> reader = source.open(source.plan().get(0), Optional.empty())) {
            FerryException e = assertThrows(FerryException.class, () -> readAll(reader));
            assertEquals(StandardErrorCode.BAD_ARCHIVE, e.code());
            assertMessageContains(e, "00000000000000000010.jsonl.zst");
            assertMessageContains(e, "did not finish");
        }
    }

    @Test
    void refusesAGapInTheManifestChain() {
        export(
                "orders",
                0,
                records("orders", 0, 0, 30, 1, 20),
                ArchiveOptions.defaults().withObjectRecords(10));
        store.delete(ObjectNames.objectKey("exp", "orders", 0, 10, Compression.ZSTD));
        store.delete(ObjectNames.manifestKey("exp", "orders", 0, 10));
        ArchiveSource source = new ArchiveSource(store, "exp");
        try (SourceReader<ArchivePosition> reader = source.open(source.plan().get(0), Optional.empty())) {
            FerryException e = assertThrows(FerryException.class, () -> readAll(reader));
            assertMessageContains(e, "a gap");
        }
    }

    @Test
    void rejectsAPositionOfAnotherSource() {
        ArchiveSource source = new ArchiveSource(store, "exp");
        Split split = new Split("orders/0", "orders", 0);
        assertEquals(
                StandardErrorCode.CANNOT_RESUME,
                assertThrows(FerryException.class, () -> source.decodePosition(split, "12"))
                        .code());
        assertEquals(
                StandardErrorCode.CANNOT_RESUME,
                assertThrows(FerryException.class, () -> source.decodePosition(split, "1:5:other/orders/0/x"))
                        .code());
    }
}
