package io.ferry.archive.store;

import static io.ferry.archive.TestingAssertions.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryStoreTest {
    private final Path root;

    LocalDirectoryStoreTest(@TempDir Path root) {
        this.root = root;
    }

    private static void put(ObjectStore store, String key, String content) throws IOException {
        try (ObjectUpload upload = store.create(key)) {
            upload.stream().write(content.getBytes(StandardCharsets.UTF_8));
            upload.commit();
        }
    }

    private static String get(ObjectStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<Path> filesOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void makesAnObjectVisibleOnlyWhenCommitted() throws IOException {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        try (ObjectUpload upload = store.create("a/b/c.txt")) {
            upload.stream().write("hello".getBytes(StandardCharsets.UTF_8));
            upload.stream().flush();
            assertEquals(Optional.empty(), store.stat("a/b/c.txt"));
            assertEquals(List.of(), store.list(""));
            upload.commit();
        }
        assertEquals(Optional.of(new StoredObject("a/b/c.txt", 5)), store.stat("a/b/c.txt"));
        assertEquals("hello", get(store, "a/b/c.txt"));
    }

    @Test
    void closingWithoutCommitLeavesNothingBehind() throws IOException {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        try (ObjectUpload upload = store.create("x/y.bin")) {
            upload.stream().write(new byte[100_000]);
        }
        assertEquals(List.of(), filesOnDisk());
    }

    @Test
    void commitReplacesAnExistingObject() throws IOException {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        put(store, "k", "first");
        put(store, "k", "second, longer");
        assertEquals("second, longer", get(store, "k"));
    }

    @Test
    void createNewCommitsWhenTheKeyIsFree() throws IOException {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        try (ObjectUpload upload = store.createNew("p/0001.jsonl")) {
            upload.stream().write("mine".getBytes(StandardCharsets.UTF_8));
            upload.commit();
        }
        assertEquals("mine", get(store, "p/0001.jsonl"));
        assertEquals(List.of(root.resolve("p/0001.jsonl")), filesOnDisk());
    }

    @Test
    void createNewRefusesToReplaceAnObjectAnotherWriterCommittedMeanwhile() throws IOException {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        try (ObjectUpload upload = store.createNew("p/0001.jsonl")) {
            upload.stream().write("mine".getBytes(StandardCharsets.UTF_8));
            put(store, "p/0001.jsonl", "theirs");
            FerryException e = assertThrows(FerryException.class, upload::commit);
            assertEquals(StandardErrorCode.TARGET_EXISTS, e.code());
            assertMessageContains(e, root.resolve("p/0001.jsonl").toString());
            assertMessageContains(e, "another job");
        }
        assertEquals("theirs", get(store, "p/0001.jsonl"));
        assertEquals(List.of(root.resolve("p/0001.jsonl")), filesOnDisk(), "no temporary file is left");
    }

    @Test
    void listsRecursivelyInKeyOrderAndSkipsUploadsInProgress() throws IOException {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        put(store, "p/b/2", "22");
        put(store, "p/a/1", "1");
        put(store, "p/a10", "x");
        put(store, "q/1", "1");
        try (ObjectUpload pending = store.create("p/a/3")) {
            pending.stream().write(1);
            pending.stream().flush();
            assertEquals(
                    List.of(new StoredObject("p/a/1", 1), new StoredObject("p/a10", 1), new StoredObject("p/b/2", 2)),
                    store.list("p/"));
            assertEquals(List.of(new StoredObject("p/a/1", 1), new StoredObject("p/a10", 1)), store.list("p/a"));
            assertEquals(List.of(new StoredObject("p/a/1", 1)), store.list("p/a/"));
        }
    }

    @Test
    void abortsIncompleteUploadsLeftByACrashedWriter() throws IOException {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        ObjectUpload crashedHere = store.create("p/0/obj");
        crashedHere.stream().write(1);
        crashedHere.stream().flush();
        ObjectUpload crashedElsewhere = store.create("p/1/obj");
        crashedElsewhere.stream().write(1);
        crashedElsewhere.stream().flush();
        put(store, "p/0/kept", "kept");

        store.abortIncompleteUploads("p/0/");

        assertEquals(2, filesOnDisk().size());
        assertTrue(Files.exists(root.resolve("p/0/kept")));
        crashedElsewhere.abort();
        assertEquals(List.of(root.resolve("p/0/kept")), filesOnDisk());
    }

    @Test
    void listsNothingWhenTheRootDoesNotExist() {
        LocalDirectoryStore store = new LocalDirectoryStore(root.resolve("missing"));
        assertEquals(List.of(), store.list(""));
        assertEquals(List.of(), store.list("a/b/"));
        assertEquals(Optional.empty(), store.stat("a"));
    }

    @Test
    void opensAMissingObjectAsNotFound() {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        FerryException e = assertThrows(FerryException.class, () -> store.open("nope"));
        assertEquals(StandardErrorCode.NOT_FOUND, e.code());
        assertMessageContains(e, "'nope'");
    }

    @Test
    void rejectsKeysThatEscapeTheRoot() {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        assertThrows(IllegalArgumentException.class, () -> store.create("../evil"));
        assertThrows(IllegalArgumentException.class, () -> store.create("/abs"));
        assertThrows(IllegalArgumentException.class, () -> store.stat("a//b"));
    }

    @Test
    void deletesObjects() throws IOException {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        put(store, "d/k", "v");
        store.delete("d/k");
        store.delete("d/k");
        assertEquals(List.of(), store.list(""));
        assertArrayEquals(new Object[0], filesOnDisk().toArray());
    }
}
