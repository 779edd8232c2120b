package io.ferry.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.archive.store.ObjectUpload;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The store against a second S3 implementation: moto's server, run as a child process. */
class MotoRoundTripIT {
    private static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static Process moto;
    private static URI endpoint;

    @BeforeAll
    static void startMoto(@TempDir Path logs) throws Exception {
        assumeTrue(
                motoIsInstalled(),
                "python3 with moto's server is not installed (pip install 'moto[server]'): skipping the moto round trip");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = logs.resolve("moto.log");
        moto = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts(port)) {
            if (!moto.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("moto did not start on port " + port + ": " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (moto != null) {
            moto.destroy();
            if (!moto.waitFor(10, TimeUnit.SECONDS)) {
                moto.destroyForcibly();
            }
        }
    }

    private static boolean motoIsInstalled() {
        try {
            Process check = new ProcessBuilder("python3", "-c", "import moto.server")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String newBucket(String name) {
        try (S3Client sdk = TestingStores.sdkClient(endpoint, REGION)) {
            sdk.createBucket(b -> b.bucket(name));
        }
        return name;
    }

    @Test
    void exportsReadsBackAndVerifiesAnArchive() {
        String bucket = newBucket("moto-archive");
        try (S3ObjectStore store =
                S3ObjectStore.open("s3://" + bucket + "/exports", TestingStores.settings(endpoint, REGION))) {
            TestingStores.exportReadAndVerify(store, "nightly");
        }
    }

    @Test
    void roundTripsAMultipartObjectAndCleansUpACrashedUpload() throws IOException {
        String bucket = newBucket("moto-objects");
        S3Settings settings = TestingStores.settings(endpoint, REGION).withPartSizeBytes(5L << 20);
        byte[] content = new byte[(int) (3.5 * (5 << 20))];
        new SplittableRandom(11).nextBytes(content);
        try (S3ObjectStore store = S3ObjectStore.open("s3://" + bucket + "/p", settings)) {
            try (ObjectUpload upload = store.create("a/big.bin")) {
                upload.stream().write(content);
                assertEquals(Optional.empty(), store.stat("a/big.bin"));
                upload.commit();
            }
            try (InputStream in = store.open("a/big.bin")) {
                assertArrayEquals(content, in.readAllBytes());
            }
            ObjectUpload crashed = store.create("a/crashed.bin");
            crashed.stream().write(content, 0, (5 << 20) + 1);
            store.abortIncompleteUploads("a/");
            assertEquals(List.of(new StoredObject("a/big.bin", content.length)), store.list(""));
            try (S3Client sdk = TestingStores.sdkClient(endpoint, REGION)) {
                assertEquals(List.of(), TestingStores.incompleteUploads(sdk, bucket));
            }
        }
    }

    @Test
    void createNewRefusesToReplaceWhatAnotherWriterCommittedMeanwhile() throws IOException {
        String bucket = newBucket("moto-create-new");
        S3Settings settings = TestingStores.settings(endpoint, REGION).withPartSizeBytes(5L << 20);
        byte[] large = new byte[(5 << 20) + 10];
        new SplittableRandom(12).nextBytes(large);
        try (S3ObjectStore store = S3ObjectStore.open("s3://" + bucket + "/p", settings)) {
            for (byte[] mine : List.of("mine".getBytes(StandardCharsets.UTF_8), large)) {
                String key = "k" + mine.length;
                try (ObjectUpload upload = store.createNew(key)) {
                    upload.stream().write(mine);
                    try (ObjectUpload theirs = store.create(key)) {
                        theirs.stream().write("theirs".getBytes(StandardCharsets.UTF_8));
                        theirs.commit();
                    }
                    FerryException e = assertThrows(FerryException.class, upload::commit);
                    assertEquals(StandardErrorCode.TARGET_EXISTS, e.code(), e::getMessage);
                }
                try (InputStream in = store.open(key)) {
                    assertArrayEquals("theirs".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
                }
            }
            try (S3Client sdk = TestingStores.sdkClient(endpoint, REGION)) {
                assertEquals(List.of(), TestingStores.incompleteUploads(sdk, bucket));
            }
        }
    }
}
