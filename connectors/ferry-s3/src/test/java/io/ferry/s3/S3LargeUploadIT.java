package io.ferry.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.store.ObjectUpload;
import io.ferry.archive.store.StoredObject;
import io.ferry.testing.TestingS3;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class S3LargeUploadIT {
    private static final long PART = 5L << 20;
    private static final long SIZE = 200L << 20;

    @Test
    void uploadsTwoHundredMebibytesHoldingAtMostThreeParts() throws Exception {
        try (TestingS3 s3 = TestingS3.start()) {
            String bucket = TestingStores.newBucket(s3);
            S3Settings settings =
                    TestingStores.settings(s3).withPartSizeBytes(PART).withPartsInFlight(2);
            try (S3ObjectStore store = S3ObjectStore.open(new S3Location(bucket, "large"), settings)) {
                MessageDigest written = MessageDigest.getInstance("SHA-256");
                long peak;
                try (ObjectUpload upload = store.create("object.bin")) {
                    SplittableRandom random = new SplittableRandom(42);
                    byte[] chunk = new byte[256 * 1024 + 7];
                    long remaining = SIZE;
                    while (remaining > 0) {
                        int n = (int) Math.min(chunk.length, remaining);
                        random.nextBytes(chunk);
                        written.update(chunk, 0, n);
                        upload.stream().write(chunk, 0, n);
                        remaining -= n;
                    }
                    upload.commit();
                    peak = ((S3ObjectUpload) upload).peakBufferedBytes();
                }
                assertTrue(
                        peak <= settings.maxBufferedBytesPerUpload(),
                        "held " + peak + " bytes, more than " + settings.maxBufferedBytesPerUpload());
                assertEquals(Optional.of(new StoredObject("object.bin", SIZE)), store.stat("object.bin"));

                MessageDigest read = MessageDigest.getInstance("SHA-256");
                try (InputStream in = store.open("object.bin")) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        read.update(buffer, 0, n);
                    }
                }
                assertArrayEquals(written.digest(), read.digest());
            }
        }
    }
}
