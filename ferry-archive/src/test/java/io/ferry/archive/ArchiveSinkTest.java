package io.ferry.archive;

import static io.ferry.archive.TestingAssertions.assertMessageContains;
import static io.ferry.archive.TestingRecords.records;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.TestingRecords.TestingPosition;
import io.ferry.archive.format.Compression;
import io.ferry.archive.format.Manifest;
import io.ferry.archive.format.ObjectNames;
import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import io.ferry.spi.source.Split;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveSinkTest {
    private static final Split SPLIT = new Split("orders/0", "orders", 0);
    private static final SinkContext CONTEXT = new SinkContext("job-1", SPLIT, false);

    private final Path root;

    ArchiveSinkTest(@TempDir Path root) {
        this.root = root;
    }

    static Manifest manifest(ObjectStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return Manifest.fromJson(in.readAllBytes(), key);
        }
    }

    private static List<String> keys(ObjectStore store) {
        return store.list("").stream().map(StoredObject::key).toList();
    }

    private List<Path> filesOnDisk(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static WriteReceipt export(
            ObjectStore store, ArchiveOptions options, List<Record> records, Optional<String> state) {
        return export(store, options, records, state, CONTEXT);
    }

    private static WriteReceipt export(
            ObjectStore store,
            ArchiveOptions options,
            List<Record> records,
            Optional<String> state,
            SinkContext context) {
        ArchiveSink sink = new ArchiveSink(store, "exp", options);
        try (SinkWriter writer = sink.open(context, state)) {
            writer.write(records);
            return writer.flush(true);
        }
    }

    @Test
    void rollsOverByRecordCountAndChainsManifests() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveOptions options = ArchiveOptions.defaults().withObjectRecords(10);
        WriteReceipt receipt = export(store, options, records("orders", 0, 100, 25, 2, 20), Optional.empty());

        assertEquals(
                List.of(
                        "exp/orders/0/00000000000000000100.jsonl.zst",
                        "exp/orders/0/00000000000000000100.manifest.json",
                        "exp/orders/0/00000000000000000120.jsonl.zst",
                        "exp/orders/0/00000000000000000120.manifest.json",
                        "exp/orders/0/00000000000000000140.jsonl.zst",
                        "exp/orders/0/00000000000000000140.manifest.json"),
                keys(store));
        Manifest first = manifest(store, "exp/orders/0/00000000000000000100.manifest.json");
        Manifest second = manifest(store, "exp/orders/0/00000000000000000120.manifest.json");
        Manifest third = manifest(store, "exp/orders/0/00000000000000000140.manifest.json");
        assertEquals(-1, first.previousLastOffset());
        assertEquals(10, first.records());
        assertEquals(118, first.lastOffset());
        assertEquals(118, second.previousLastOffset());
        assertEquals(138, third.previousLastOffset());
        assertEquals(5, third.records());
        assertEquals(148, third.lastOffset());
        assertEquals("job-1", third.job());
        assertEquals(Compression.ZSTD, third.compression());
        assertEquals(
                store.stat("exp/orders/0/00000000000000000140.jsonl.zst")
                        .orElseThrow()
                        .size(),
                third.bytes());
        assertEquals(148, receipt.lastOffset());
        assertEquals(Optional.of(new TestingPosition(148)), receipt.durablePosition());
        assertEquals("{\"lastOffset\":148}", receipt.state());
    }

    @Test
    void rollsOverByUncompressedSize() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveOptions options = new ArchiveOptions(Compression.GZIP, 6, 10_000, ArchiveOptions.UNLIMITED_RECORDS);
        export(store, options, records("orders", 0, 0, 100, 1, 1000), Optional.empty());

        List<String> manifests =
                keys(store).stream().filter(k -> k.endsWith(".manifest.json")).toList();
        assertTrue(manifests.size() >= 9 && manifests.size() <= 11, manifests::toString);
        long total = 0;
        for (String key : manifests) {
            Manifest manifest = manifest(store, key);
            total += manifest.records();
            assertTrue(manifest.uncompressedBytes() < 10_000 + 1200, () -> key + " " + manifest);
            assertTrue(manifest.bytes() < manifest.uncompressedBytes());
        }
        assertEquals(100, total);
        assertTrue(keys(store).get(0).endsWith(".jsonl.gz"));
    }

    @Test
    void writesTheSameObjectsWhenReRunFromTheSameCheckpoint() throws IOException {
        ObjectStore first = new LocalDirectoryStore(root.resolve("first"));
        ObjectStore second = new LocalDirectoryStore(root.resolve("second"));
        ArchiveOptions options = ArchiveOptions.defaults().withObjectSizeBytes(5000);
        List<Record> records = records("orders", 0, 0, 200, 1, 100);
        export(first, options, records, Optional.empty());
        export(second, options, records, Optional.empty());

        assertEquals(keys(first), keys(second));
        for (String key : keys(first)) {
            if (!key.endsWith(".manifest.json")) {
                try (InputStream a = first.open(key);
                        InputStream b = second.open(key)) {
                    assertArrayEquals(a.readAllBytes(), b.readAllBytes(), key);
                }
            }
        }
    }

    @Test
    void refusesAStreamPartitionAnotherJobWroteUnderThePrefixAndLeavesItsObjectsAlone() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveOptions options = ArchiveOptions.defaults().withObjectRecords(10);
        export(store, options, records("orders", 0, 100, 25, 2, 20), Optional.empty());
        List<String> before = keys(store);
        byte[] firstObject = store.open(before.get(0)).readAllBytes();

        ArchiveSink sink = new ArchiveSink(store, "exp", options);
        FerryException refused = assertThrows(
                FerryException.class, () -> sink.open(new SinkContext("job-2", SPLIT, false), Optional.empty()));
        assertEquals(StandardErrorCode.TARGET_EXISTS, refused.code());
        assertMessageContains(refused, "exp/orders/0/00000000000000000100.manifest.json holds offsets 100..118");
        assertMessageContains(refused, "written by job 'job-1', and job 'job-2'");
        assertMessageContains(refused, "--name job-1");
        assertMessageContains(refused, "delete its objects under dir:" + root + "/exp/orders/0/");
        assertEquals(before, keys(store));
        assertArrayEquals(firstObject, store.open(before.get(0)).readAllBytes());

        // another partition of the stream under the same prefix is free
        Split other = new Split("orders/1", "orders", 1);
        try (SinkWriter writer = sink.open(new SinkContext("job-2", other, false), Optional.empty())) {
            writer.write(records("orders", 1, 0, 5, 1, 20));
            writer.flush(true);
        }
        assertEquals(
                "job-2",
                manifest(store, "exp/orders/1/00000000000000000000.manifest.json")
                        .job());
    }

    @Test
    void ofTwoJobsStartingTogetherOnAnEmptyPrefixOnlyTheFirstToCommitWrites() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveOptions options = ArchiveOptions.defaults().withObjectRecords(10);
        List<Record> records = records("orders", 0, 100, 25, 2, 20);
        ArchiveSink sink = new ArchiveSink(store, "exp", options);
        // both look at the prefix before either has written: neither sees the other
        try (SinkWriter first = sink.open(CONTEXT, Optional.empty());
                SinkWriter second = sink.open(new SinkContext("job-2", SPLIT, false), Optional.empty())) {
            second.write(records.subList(0, 5));
            first.write(records);
            first.flush(true);
            List<String> firstKeys = keys(store);
            byte[] firstObject = store.open(firstKeys.get(0)).readAllBytes();

            FerryException refused = assertThrows(FerryException.class, () -> {
                second.write(records.subList(5, records.size()));
                second.flush(true);
            });
            assertEquals(StandardErrorCode.TARGET_EXISTS, refused.code());
            assertMessageContains(refused, "exp/orders/0/00000000000000000100.jsonl.zst");
            assertMessageContains(refused, "another job");
            assertEquals(firstKeys, keys(store));
            assertArrayEquals(firstObject, store.open(firstKeys.get(0)).readAllBytes());
        }
        for (String key : keys(store)) {
            if (key.endsWith(".manifest.json")) {
                assertEquals("job-1", manifest(store, key).job());
            }
        }
    }

    @Test
    void refusesObjectsOfItsOwnNameWhenTheJobNeverRanFromThisStateDirectory() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        List<Record> records = records("orders", 0, 0, 30, 1, 20);
        ArchiveOptions options = ArchiveOptions.defaults().withObjectRecords(10);
        export(store, options, records, Optional.empty());
        List<String> before = keys(store);
        byte[] firstObject = store.open(before.get(0)).readAllBytes();

        // the same command from another machine derives the same job name, but has no record of it
        FerryException refused = assertThrows(
                FerryException.class, () -> export(store, options, records.subList(0, 5), Optional.empty()));
        assertEquals(StandardErrorCode.TARGET_EXISTS, refused.code());
        assertMessageContains(refused, "written by a job named 'job-1', but this state directory has never run");
        assertMessageContains(refused, "delete its objects under dir:" + root + "/exp/orders/0/");
        assertEquals(before, keys(store));
        assertArrayEquals(firstObject, store.open(before.get(0)).readAllBytes());
    }

    @Test
    void aRunWithoutCheckpointReplacesWhatThisJobWroteBeforeInsteadOfOverlappingIt() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        List<Record> records = records("orders", 0, 0, 60, 1, 20);
        // the first run (killed before its first checkpoint, or before a --restart) cut its objects every
        // 10 records, the second, which knows the job ran here before, every 25
        export(store, ArchiveOptions.defaults().withObjectRecords(10), records, Optional.empty());
        export(
                store,
                ArchiveOptions.defaults().withObjectRecords(25),
                records,
                Optional.empty(),
                new SinkContext(CONTEXT.jobName(), SPLIT, true));

        assertEquals(
                List.of(
                        "exp/orders/0/00000000000000000000.jsonl.zst",
                        "exp/orders/0/00000000000000000000.manifest.json",
                        "exp/orders/0/00000000000000000025.jsonl.zst",
                        "exp/orders/0/00000000000000000025.manifest.json",
                        "exp/orders/0/00000000000000000050.jsonl.zst",
                        "exp/orders/0/00000000000000000050.manifest.json"),
                keys(store));
        VerifyReport report = new ArchiveVerifier().verify(store, "exp");
        assertTrue(report.ok(), report.problems()::toString);
        assertEquals(60, report.partitions().get(0).records());
    }

    @Test
    void closingWithoutFlushPublishesNothingAndLeavesNoTempFile() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveSink sink = new ArchiveSink(store, "exp", ArchiveOptions.defaults());
        try (SinkWriter writer = sink.open(CONTEXT, Optional.empty())) {
            writer.write(records("orders", 0, 0, 50, 1, 100));
            WriteReceipt receipt = writer.flush(false);
            assertEquals(WriteReceipt.nothingDurable("{\"lastOffset\":-1}"), receipt);
        }
        assertEquals(List.of(), keys(store));
        assertEquals(List.of(), filesOnDisk(root));
    }

    @Test
    void flushWithoutForceReportsOnlyCommittedObjects() {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveSink sink =
                new ArchiveSink(store, "exp", ArchiveOptions.defaults().withObjectRecords(10));
        try (SinkWriter writer = sink.open(CONTEXT, Optional.empty())) {
            writer.write(records("orders", 0, 0, 15, 1, 10));
            WriteReceipt receipt = writer.flush(false);
            assertEquals(9, receipt.lastOffset());
            assertEquals(Optional.of(new TestingPosition(9)), receipt.durablePosition());
            assertEquals(14, writer.flush(true).lastOffset());
        }
        assertEquals(4, keys(store).size());
    }

    @Test
    void removesUploadsACrashedWriterLeftWhenOpening() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveSink sink = new ArchiveSink(store, "exp", ArchiveOptions.defaults());
        SinkWriter crashed = sink.open(CONTEXT, Optional.empty());
        crashed.write(records("orders", 0, 0, 10, 1, 100_000)); // never closed: as if the process died
        assertEquals(1, filesOnDisk(root).size());

        try (SinkWriter writer = sink.open(CONTEXT, Optional.empty())) {
            assertEquals(List.of(), filesOnDisk(root));
            writer.write(records("orders", 0, 0, 10, 1, 10));
            writer.flush(true);
        }
        assertEquals(2, keys(store).size());
        crashed.close();
    }

    @Test
    void resumesFromStateContinuingTheManifestChain() throws IOException {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveOptions options = ArchiveOptions.defaults().withObjectRecords(10);
        List<Record> all = records("orders", 0, 0, 30, 1, 10);
        WriteReceipt firstRun;
        try (SinkWriter writer = new ArchiveSink(store, "exp", options).open(CONTEXT, Optional.empty())) {
            writer.write(all.subList(0, 15));
            firstRun = writer.flush(false); // the checkpoint: through offset 9; offsets 10..14 die with the writer
        }
        assertEquals(9, firstRun.lastOffset());

        SinkContext resumed = new SinkContext("job-1", SPLIT, true);
        try (SinkWriter writer = new ArchiveSink(store, "exp", options).open(resumed, Optional.of(firstRun.state()))) {
            writer.write(all.subList(10, 30));
            assertEquals(29, writer.flush(true).lastOffset());
        }
        assertEquals(
                9,
                manifest(store, ObjectNames.manifestKey("exp", "orders", 0, 10)).previousLastOffset());
        assertEquals(
                19,
                manifest(store, ObjectNames.manifestKey("exp", "orders", 0, 20)).previousLastOffset());
        assertTrue(new ArchiveVerifier().verify(store, "exp").ok());
    }

    @Test
    void rejectsStateItDidNotWrite() {
        ObjectStore store = new LocalDirectoryStore(root);
        ArchiveSink sink = new ArchiveSink(store, "exp", ArchiveOptions.defaults());
        var e = assertThrows(
                io.ferry.spi.error.FerryException.class, () -> sink.open(CONTEXT, Optional.of("{\"size\":3}")));
        assertMessageContains(e, "{\"lastOffset\":N}");
    }

    @Test
    void namesTheSinkAfterStoreAndPrefix() {
        ObjectStore store = new LocalDirectoryStore(root);
        assertEquals(
                "archive:dir:" + root.toAbsolutePath().normalize() + "/exp",
                new ArchiveSink(store, "/exp/", ArchiveOptions.defaults()).id());
    }

    @Test
    void validatesOptionsNamingTheOption() {
        assertMessageContains(
                assertThrows(IllegalArgumentException.class, () -> new ArchiveOptions(Compression.ZSTD, 23, 1, 1)),
                "--compression-level must be in [1, 22] for zstd, got 23");
        assertMessageContains(
                assertThrows(IllegalArgumentException.class, () -> new ArchiveOptions(Compression.GZIP, 6, 0, 1)),
                "--object-size");
        assertMessageContains(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ArchiveOptions.defaults().withObjectRecords(0)),
                "--object-records");
        assertEquals(
                new ArchiveOptions(Compression.ZSTD, 3, 64L * 1024 * 1024, Long.MAX_VALUE), ArchiveOptions.defaults());
    }
}
