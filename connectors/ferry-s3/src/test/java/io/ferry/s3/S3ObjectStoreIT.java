package io.ferry.s3;

import static io.ferry.s3.TestingStores.incompleteUploads;
import static io.ferry.s3.TestingStores.newBucket;
import static io.ferry.s3.TestingStores.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.store.ObjectUpload;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.testing.FaultInjectingProxy;
import io.ferry.testing.TestingS3;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class S3ObjectStoreIT {
    private static final int PART = 5 << 20;

    private static TestingS3 s3;
    private static S3Client sdk;

    @BeforeAll
    static void startS3() {
        s3 = TestingS3.start();
        sdk = TestingStores.sdkClient(s3.endpoint(), s3.region());
    }

    @AfterAll
    static void stopS3() {
        sdk.close();
        s3.close();
    }

    private static S3ObjectStore store(String bucket, String prefix) {
        return S3ObjectStore.open(
                new S3Location(bucket, prefix),
                settings(s3).withPartSizeBytes(PART).withPartsInFlight(2));
    }

    private static void put(S3ObjectStore store, String key, byte[] content) throws IOException {
        try (ObjectUpload upload = store.create(key)) {
            upload.stream().write(content);
            upload.commit();
        }
    }

    private static void putNew(S3ObjectStore store, String key, byte[] content) throws IOException {
        try (ObjectUpload upload = store.createNew(key)) {
            upload.stream().write(content);
            upload.commit();
        }
    }

    private static void put(S3ObjectStore store, String key, String content) throws IOException {
        put(store, key, content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] get(S3ObjectStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long value = random.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                bytes[i + j] = (byte) (value >>> (8 * j));
            }
        }
        return bytes;
    }

    @Test
    void makesASmallObjectVisibleOnlyWhenCommitted() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "exports/one")) {
            try (ObjectUpload upload = store.create("a/b/c.txt")) {
                upload.stream().write("hello".getBytes(StandardCharsets.UTF_8));
                upload.stream().flush();
                assertEquals(Optional.empty(), store.stat("a/b/c.txt"));
                assertEquals(List.of(), store.list(""));
                upload.commit();
            }
            assertEquals(Optional.of(new StoredObject("a/b/c.txt", 5)), store.stat("a/b/c.txt"));
            assertEquals("hello", new String(get(store, "a/b/c.txt"), StandardCharsets.UTF_8));
        }
        assertEquals(
                List.of("exports/one/a/b/c.txt"),
                sdk.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                        .map(o -> o.key())
                        .toList());
    }

    @Test
    void makesAMultipartObjectVisibleOnlyWhenCommitted() throws IOException {
        String bucket = newBucket(s3);
        byte[] content = randomBytes(3 * PART, 1);
        try (S3ObjectStore store = store(bucket, "")) {
            try (ObjectUpload upload = store.create("big.bin")) {
                upload.stream().write(content);
                assertEquals(List.of("big.bin"), incompleteUploads(sdk, bucket));
                assertEquals(Optional.empty(), store.stat("big.bin"));
                assertEquals(List.of(), store.list(""));
                upload.commit();
            }
            assertEquals(Optional.of(new StoredObject("big.bin", content.length)), store.stat("big.bin"));
            assertEquals(List.of(), incompleteUploads(sdk, bucket));
        }
    }

    @Test
    void roundTripsAMultipartObjectOfThreeAndAHalfPartsByteExactly() throws IOException {
        String bucket = newBucket(s3);
        byte[] content = randomBytes(3 * PART + PART / 2, 2);
        try (S3ObjectStore store = store(bucket, "p")) {
            try (ObjectUpload upload = store.create("x/y.bin")) {
                // uneven writes, crossing part boundaries
                SplittableRandom random = new SplittableRandom(3);
                int offset = 0;
                while (offset < content.length) {
                    int n = Math.min(content.length - offset, 1 + random.nextInt(1_500_000));
                    upload.stream().write(content, offset, n);
                    offset += n;
                }
                upload.commit();
            }
            assertArrayEquals(content, get(store, "x/y.bin"));
        }
        String eTag = sdk.headObject(b -> b.bucket(bucket).key("p/x/y.bin")).eTag();
        assertTrue(eTag.endsWith("-4\""), "a 4-part upload's ETag: " + eTag);
    }

    @Test
    void roundTripsAnEmptyObjectAndOneOfExactlyOnePart() throws IOException {
        String bucket = newBucket(s3);
        byte[] onePart = randomBytes(PART, 4);
        try (S3ObjectStore store = store(bucket, "")) {
            put(store, "empty", new byte[0]);
            put(store, "one-part", onePart);
            assertEquals(Optional.of(new StoredObject("empty", 0)), store.stat("empty"));
            assertArrayEquals(new byte[0], get(store, "empty"));
            assertArrayEquals(onePart, get(store, "one-part"));
        }
    }

    @Test
    void closingWithoutCommitLeavesNothingAndNoIncompleteUpload() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "exp")) {
            try (ObjectUpload upload = store.create("small")) {
                upload.stream().write(new byte[100_000]);
            }
            try (ObjectUpload upload = store.create("large")) {
                upload.stream().write(randomBytes(2 * PART + 1, 5));
                assertEquals(List.of("exp/large"), incompleteUploads(sdk, bucket));
            }
            ObjectUpload aborted = store.create("aborted");
            aborted.stream().write(randomBytes(PART + 1, 6));
            aborted.abort();
            aborted.abort();
            aborted.close();
            assertEquals(List.of(), store.list(""));
        }
        assertEquals(0, sdk.listObjectsV2(b -> b.bucket(bucket)).keyCount());
        assertEquals(List.of(), incompleteUploads(sdk, bucket));
    }

    @Test
    void refusesToWriteOrCommitAfterCommit() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "");
                ObjectUpload upload = store.create("k")) {
            upload.stream().write(1);
            upload.commit();
            upload.abort(); // a no-op after commit
            assertThrows(IOException.class, () -> upload.stream().write(2));
            assertThrows(IllegalStateException.class, upload::commit);
            assertArrayEquals(new byte[] {1}, get(store, "k"));
        }
    }

    @Test
    void createNewRefusesToReplaceASmallObjectAnotherWriterCommittedMeanwhile() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "exp")) {
            try (ObjectUpload upload = store.createNew("p/0001.jsonl")) {
                upload.stream().write("mine".getBytes(StandardCharsets.UTF_8));
                put(store, "p/0001.jsonl", "theirs");
                FerryException e = assertThrows(FerryException.class, upload::commit);
                assertEquals(StandardErrorCode.TARGET_EXISTS, e.code(), e::getMessage);
                assertTrue(e.getMessage().contains("s3://" + bucket + "/exp/p/0001.jsonl"), e::getMessage);
                assertTrue(e.getMessage().contains("another job"), e::getMessage);
            }
            assertEquals("theirs", new String(get(store, "p/0001.jsonl"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void createNewRefusesToReplaceAMultipartObjectAnotherWriterCommittedMeanwhile() throws IOException {
        String bucket = newBucket(s3);
        byte[] mine = randomBytes(2 * PART + 100, 11);
        byte[] theirs = randomBytes(PART + 100, 12);
        try (S3ObjectStore store = store(bucket, "")) {
            try (ObjectUpload upload = store.createNew("big.bin")) {
                upload.stream().write(mine);
                put(store, "big.bin", theirs);
                FerryException e = assertThrows(FerryException.class, upload::commit);
                assertEquals(StandardErrorCode.TARGET_EXISTS, e.code(), e::getMessage);
            }
            assertArrayEquals(theirs, get(store, "big.bin"));
            assertEquals(List.of(), incompleteUploads(sdk, bucket), "the refused upload is aborted");
        }
    }

    @Test
    void createNewCommitsWhenTheKeyIsFree() throws IOException {
        String bucket = newBucket(s3);
        byte[] small = "mine".getBytes(StandardCharsets.UTF_8);
        byte[] large = randomBytes(2 * PART + 100, 13);
        try (S3ObjectStore store = store(bucket, "")) {
            put(store, "other.txt", "unrelated");
            putNew(store, "small.txt", small);
            putNew(store, "big.bin", large);
            assertArrayEquals(small, get(store, "small.txt"));
            assertArrayEquals(large, get(store, "big.bin"));
        }
    }

    /**
     * A create-only write whose request lands but whose answer is lost is retried by the SDK; the
     * retry finds an object under the key, and the upload must recognise it as its own rather than
     * report another writer.
     */
    @Test
    void createNewRecognisesItsOwnWriteWhenTheAnswerToItWasLost() throws IOException {
        String bucket = newBucket(s3);
        byte[] small = "mine, once".getBytes(StandardCharsets.UTF_8);
        byte[] large = randomBytes(2 * PART + 100, 14);
        AtomicInteger lost = new AtomicInteger();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint(), 0, 1, head -> {
                    String requestLine = head.substring(0, head.indexOf('\n'));
                    boolean completes = requestLine.startsWith("POST ") && requestLine.contains("uploadId=");
                    boolean puts = requestLine.startsWith("PUT ") && !requestLine.contains("partNumber=");
                    boolean conditional = head.toLowerCase(Locale.ROOT).contains("if-none-match:");
                    return (completes || puts) && conditional && lost.getAndIncrement() % 2 == 0
                            ? Optional.of(FaultInjectingProxy.Fault.LOST_ANSWER)
                            : Optional.empty();
                });
                S3ObjectStore store = S3ObjectStore.open(
                        new S3Location(bucket, ""),
                        settings(proxy.endpoint(), s3.region())
                                .withPartSizeBytes(PART)
                                .withPartsInFlight(2))) {
            putNew(store, "small.txt", small);
            putNew(store, "big.bin", large);
            assertEquals(2, proxy.injected(FaultInjectingProxy.Fault.LOST_ANSWER));
        }
        try (S3ObjectStore store = store(bucket, "")) {
            assertArrayEquals(small, get(store, "small.txt"));
            assertArrayEquals(large, get(store, "big.bin"));
        }
        assertEquals(List.of(), incompleteUploads(sdk, bucket));
    }

    @Test
    void createNewWritesPlainlyOnAStoreThatDoesNotImplementConditionalWrites() throws IOException {
        String bucket = newBucket(s3);
        byte[] large = randomBytes(PART + 100, 15);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(
                        s3.endpoint(),
                        0,
                        1,
                        head -> head.toLowerCase(Locale.ROOT).contains("if-none-match:")
                                ? Optional.of(FaultInjectingProxy.Fault.NOT_IMPLEMENTED)
                                : Optional.empty());
                S3ObjectStore store = S3ObjectStore.open(
                        new S3Location(bucket, ""),
                        settings(proxy.endpoint(), s3.region())
                                .withPartSizeBytes(PART)
                                .withPartsInFlight(2))) {
            put(store, "big.bin", "an older object, replaced as before");
            for (String key : List.of("small.txt", "big.bin")) {
                try (ObjectUpload upload = store.createNew(key)) {
                    upload.stream().write(key.equals("big.bin") ? large : key.getBytes(StandardCharsets.UTF_8));
                    upload.commit();
                }
            }
            assertEquals(1, proxy.injected(FaultInjectingProxy.Fault.NOT_IMPLEMENTED), "asked once, then not again");
            assertArrayEquals("small.txt".getBytes(StandardCharsets.UTF_8), get(store, "small.txt"));
            assertArrayEquals(large, get(store, "big.bin"));
        }
        assertEquals(List.of(), incompleteUploads(sdk, bucket));
    }

    @Test
    void commitReplacesAnExistingObject() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "")) {
            put(store, "k", "first");
            put(store, "k", "second, longer");
            assertEquals("second, longer", new String(get(store, "k"), StandardCharsets.UTF_8));
            byte[] large = randomBytes(PART + 10, 7);
            put(store, "k", large);
            assertArrayEquals(large, get(store, "k"));
            put(store, "k", "short again");
            assertEquals("short again", new String(get(store, "k"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void listsRecursivelyInKeyOrderRelativeToThePrefix() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "exp")) {
            put(store, "b/2", "bb");
            put(store, "a", "a");
            put(store, "b/1/x", "xxx");
            put(store, "b-c", "");
            // outside the store's prefix, and a console's folder marker inside it
            sdk.putObject(b -> b.bucket(bucket).key("exp2/a"), RequestBody.fromString("no"));
            sdk.putObject(b -> b.bucket(bucket).key("other"), RequestBody.fromString("no"));
            sdk.putObject(b -> b.bucket(bucket).key("exp/folder/"), RequestBody.empty());

            assertEquals(
                    List.of(
                            new StoredObject("a", 1),
                            new StoredObject("b-c", 0),
                            new StoredObject("b/1/x", 3),
                            new StoredObject("b/2", 2)),
                    store.list(""));
            assertEquals(List.of(new StoredObject("b/1/x", 3), new StoredObject("b/2", 2)), store.list("b/"));
            assertEquals(
                    List.of(new StoredObject("b-c", 0), new StoredObject("b/1/x", 3), new StoredObject("b/2", 2)),
                    store.list("b"));
            assertEquals(List.of(), store.list("c/"));
        }
        try (S3ObjectStore whole = store(bucket, "")) {
            assertEquals(
                    List.of("exp/a", "exp/b-c", "exp/b/1/x", "exp/b/2", "exp2/a", "other"),
                    whole.list("").stream().map(StoredObject::key).toList());
        }
    }

    @Test
    void listsMoreThanOnePageOfObjects() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "many")) {
            for (int i = 1_049; i >= 0; i--) {
                String key = "many/" + i;
                sdk.putObject(b -> b.bucket(bucket).key(key), RequestBody.empty());
            }
            List<String> keys = store.list("").stream().map(StoredObject::key).toList();
            assertEquals(1_050, keys.size());
            assertEquals(keys.stream().sorted().toList(), keys);
        }
    }

    @Test
    void deletesAnObjectAndIgnoresAMissingOne() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "d")) {
            put(store, "k", "v");
            store.delete("k");
            store.delete("k");
            store.delete("never");
            assertEquals(Optional.empty(), store.stat("k"));
        }
    }

    @Test
    void failsToOpenAMissingObjectWithNotFound() {
        String bucket = newBucket(s3);
        try (S3ObjectStore store = store(bucket, "exp")) {
            assertEquals(Optional.empty(), store.stat("nope"));
            FerryException e = assertThrows(FerryException.class, () -> store.open("nope"));
            assertEquals(StandardErrorCode.NOT_FOUND, e.code());
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
            assertTrue(e.getMessage().contains("s3://" + bucket + "/exp"), e.getMessage());
        }
    }

    @Test
    void reportsAMissingBucketAsNotFoundNamingIt() {
        try (S3ObjectStore store = store("no-such-bucket", "exp")) {
            FerryException e = assertThrows(FerryException.class, () -> store.list(""));
            assertEquals(StandardErrorCode.NOT_FOUND, e.code());
            assertTrue(e.getMessage().contains("s3://no-such-bucket/exp/"), e.getMessage());
            assertTrue(e.getMessage().contains("bucket does not exist"), e.getMessage());
            FerryException open = assertThrows(FerryException.class, () -> store.open("k"));
            assertEquals(StandardErrorCode.NOT_FOUND, open.code());
            assertTrue(open.getMessage().contains("bucket does not exist"), open.getMessage());
        }
    }

    @Test
    void reportsWrongCredentialsWithoutShowingThem() {
        String bucket = newBucket(s3);
        S3Settings wrong = settings(s3).withCredentials(new StaticCredentials("AKIDWRONG", "wrong-secret-value"));
        try (S3ObjectStore store = S3ObjectStore.open("s3://" + bucket + "/exp", wrong)) {
            FerryException e = assertThrows(FerryException.class, () -> store.list(""));
            assertEquals(StandardErrorCode.IO_ERROR, e.code());
            assertTrue(e.getMessage().contains("AWS_ACCESS_KEY_ID"), e.getMessage());
            assertTrue(
                    !e.getMessage().contains("AKIDWRONG") && !e.getMessage().contains("wrong-secret-value"),
                    e.getMessage());
            assertTrue(
                    !wrong.toString().contains("AKIDWRONG") && !wrong.toString().contains("wrong-secret-value"),
                    wrong.toString());
        }
    }

    @Test
    void abortIncompleteUploadsRemovesACrashedWritersUploadUnderThePrefixOnly() throws IOException {
        String bucket = newBucket(s3);
        try (S3ObjectStore crashed = store(bucket, "exp")) {
            // a writer that dies after its first parts went out: never committed, never closed
            ObjectUpload first = crashed.create("orders/0/000.jsonl.zst");
            first.stream().write(randomBytes(PART + 1, 8));
            ObjectUpload other = crashed.create("orders/1/000.jsonl.zst");
            other.stream().write(randomBytes(PART + 1, 9));
        }
        assertEquals(
                List.of("exp/orders/0/000.jsonl.zst", "exp/orders/1/000.jsonl.zst"),
                incompleteUploads(sdk, bucket).stream().sorted().toList());
        try (S3ObjectStore resumed = store(bucket, "exp")) {
            resumed.abortIncompleteUploads("orders/0/");
            assertEquals(List.of("exp/orders/1/000.jsonl.zst"), incompleteUploads(sdk, bucket));
            resumed.abortIncompleteUploads("");
            assertEquals(List.of(), incompleteUploads(sdk, bucket));
            resumed.abortIncompleteUploads("");
            assertEquals(List.of(), resumed.list(""));
        }
    }

    @Test
    void describesItselfByBucketAndPrefixOnly() {
        try (S3ObjectStore store = S3ObjectStore.open("s3://my-bucket/a/b/", settings(s3))) {
            assertEquals("s3://my-bucket/a/b", store.describe());
            assertEquals("a/b", store.prefix());
            assertEquals("my-bucket", store.bucket());
        }
        try (S3ObjectStore store = S3ObjectStore.open("s3://my-bucket", settings(s3))) {
            assertEquals("s3://my-bucket", store.describe());
            assertEquals("", store.prefix());
        }
    }

    @Test
    void refusesKeysThatAreNotRelativeObjectNames() {
        try (S3ObjectStore store = store("any-bucket", "p")) {
            for (String bad : List.of("", "/a", "a/", "a//b", "a/../b", "./a", "a\\b")) {
                assertThrows(IllegalArgumentException.class, () -> store.create(bad), bad);
            }
            assertThrows(IllegalArgumentException.class, () -> store.list("/a"));
        }
    }
}
