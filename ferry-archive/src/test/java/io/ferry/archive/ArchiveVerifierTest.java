package io.ferry.archive;

import static io.ferry.archive.TestingRecords.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.VerifyReport.Kind;
import io.ferry.archive.VerifyReport.PartitionSummary;
import io.ferry.archive.format.Compression;
import io.ferry.archive.format.ObjectNames;
import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.archive.store.ObjectStore;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.source.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveVerifierTest {
    private static final List<Record> RECORDS = records("orders", 0, 0, 300, 1, 200);

    private final Path root;
    private final ObjectStore store;

    ArchiveVerifierTest(@TempDir Path root) {
        this.root = root;
        this.store = new LocalDirectoryStore(root);
    }

    private void export(List<Record> records, long objectRecords) {
        Split split = new Split("orders/0", "orders", 0);
        ArchiveOptions options = ArchiveOptions.defaults().withObjectRecords(objectRecords);
        try (SinkWriter writer =
                new ArchiveSink(store, "exp", options).open(new SinkContext("job", split, false), Optional.empty())) {
            writer.write(records);
            writer.flush(true);
        }
    }

    private Set<Kind> problemKinds() {
        return new ArchiveVerifier()
                .verify(store, "exp").problems().stream()
                        .map(VerifyReport.Problem::kind)
                        .collect(Collectors.toSet());
    }

    private Path file(String key) {
        return root.resolve(key);
    }

    private static String object(long firstOffset) {
        return ObjectNames.objectKey("exp", "orders", 0, firstOffset, Compression.ZSTD);
    }

    @Test
    void passesAnIntactArchiveAndSummarisesIt() {
        export(RECORDS, 100);
        VerifyReport report = new ArchiveVerifier().verify(store, "exp");
        assertTrue(report.ok(), report.problems()::toString);
        assertEquals(List.of(new PartitionSummary("orders", 0, 3, 300, 0, 299)), report.partitions());
    }

    @Test
    void passesAnArchiveWithOffsetGapsLikeACompactedTopic() {
        export(records("orders", 0, 7, 300, 13, 50), 100);
        assertTrue(new ArchiveVerifier().verify(store, "exp").ok());
    }

    @Test
    void detectsADeletedObjectAsAGap() {
        export(RECORDS, 100);
        store.delete(object(100));
        store.delete(ObjectNames.manifestKey("exp", "orders", 0, 100));
        VerifyReport report = new ArchiveVerifier().verify(store, "exp");
        assertEquals(Set.of(Kind.GAP), problemKinds());
        assertEquals(object(200), report.problems().get(0).key());
    }

    @Test
    void detectsADeletedFirstObjectAsAGap() {
        export(RECORDS, 100);
        store.delete(object(0));
        store.delete(ObjectNames.manifestKey("exp", "orders", 0, 0));
        assertEquals(Set.of(Kind.GAP), problemKinds());
    }

    @Test
    void detectsAnObjectWhoseManifestRemains() {
        export(RECORDS, 100);
        store.delete(object(100));
        assertEquals(Set.of(Kind.MISSING_OBJECT), problemKinds());
    }

    @Test
    void detectsOverlappingObjectsFromTwoExports() throws IOException {
        // ferry refuses to export where another job's objects are, and replaces its own, so two exports
        // end up mixed only by hand: here the objects of one with 150-record objects copied over one with 100
        export(RECORDS, 100);
        Path other = root.resolve("other");
        ObjectStore otherStore = new LocalDirectoryStore(other);
        try (SinkWriter writer = new ArchiveSink(
                        otherStore, "exp", ArchiveOptions.defaults().withObjectRecords(150))
                .open(new SinkContext("job", new Split("orders/0", "orders", 0), false), Optional.empty())) {
            writer.write(RECORDS);
            writer.flush(true);
        }
        for (String key : List.of(object(150), ObjectNames.manifestKey("exp", "orders", 0, 150))) {
            Files.copy(other.resolve(key), file(key));
        }
        // 150..299 overlaps the first export's 100..199 and 200..299
        assertTrue(problemKinds().contains(Kind.OVERLAP), problemKinds()::toString);
    }

    @Test
    void detectsACorruptedByteByChecksum() throws IOException {
        export(RECORDS, 100);
        Path path = file(object(100));
        byte[] bytes = Files.readAllBytes(path);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(path, bytes);
        assertTrue(problemKinds().contains(Kind.CHECKSUM_MISMATCH), problemKinds()::toString);
    }

    @Test
    void detectsATruncatedZstdObject() throws IOException {
        export(RECORDS, 100);
        Path path = file(object(200));
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, Arrays.copyOf(bytes, bytes.length - 100));
        Set<Kind> kinds = problemKinds();
        assertTrue(
                kinds.containsAll(Set.of(Kind.CORRUPT_OBJECT, Kind.CHECKSUM_MISMATCH, Kind.SIZE_MISMATCH)),
                kinds::toString);
    }

    @Test
    void detectsAMissingManifest() {
        export(RECORDS, 100);
        store.delete(ObjectNames.manifestKey("exp", "orders", 0, 200));
        VerifyReport report = new ArchiveVerifier().verify(store, "exp");
        assertEquals(Set.of(Kind.MISSING_MANIFEST), problemKinds());
        assertEquals(object(200), report.problems().get(0).key());
    }

    @Test
    void detectsAManifestThatDoesNotMatchItsObject() throws IOException {
        export(RECORDS, 100);
        Files.copy(
                file(ObjectNames.manifestKey("exp", "orders", 0, 0)),
                file(ObjectNames.manifestKey("exp", "orders", 0, 100)),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(problemKinds().contains(Kind.BAD_MANIFEST), problemKinds()::toString);
    }
}
