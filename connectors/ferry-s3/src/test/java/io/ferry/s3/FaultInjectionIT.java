package io.ferry.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.store.ObjectUpload;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.testing.FaultInjectingProxy;
import io.ferry.testing.TestingS3;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/** Exports through a proxy that fails requests, as a flaky network or an overloaded service would. */
class FaultInjectionIT {
    private static final Logger log = LoggerFactory.getLogger(FaultInjectionIT.class);

    @Test
    void anExportCompletesAndVerifiesWhenFivePercentOfRequestsFail() throws Exception {
        try (TestingS3 s3 = TestingS3.start();
                FaultInjectingProxy proxy = new FaultInjectingProxy(s3.endpoint(), 0.05, 7, head -> Optional.empty())) {
            String bucket = TestingStores.newBucket(s3);
            S3Settings settings = TestingStores.settings(proxy.endpoint(), s3.region());
            try (S3ObjectStore store = S3ObjectStore.open("s3://" + bucket + "/flaky", settings)) {
                for (String prefix : List.of("monday", "tuesday", "wednesday")) {
                    TestingStores.exportReadAndVerify(store, prefix);
                }
            }
            String faults = Arrays.stream(FaultInjectingProxy.Fault.values())
                    .map(f -> f + "=" + proxy.injected(f))
                    .collect(Collectors.joining(", "));
            log.info("Injected {} faults in {} requests: {}", proxy.injected(), proxy.requests(), faults);
            assertTrue(proxy.injected() >= 5, "faults injected in " + proxy.requests() + " requests: " + faults);
        }
    }

    @Test
    void aPartThatKeepsFailingFailsTheUploadNamingTheKeyAndLeavesNothing() throws Exception {
        try (TestingS3 s3 = TestingS3.start();
                FaultInjectingProxy proxy = new FaultInjectingProxy(
                        s3.endpoint(),
                        0,
                        1,
                        head -> head.startsWith("PUT ")
                                        && head.lines()
                                                .findFirst()
                                                .orElseThrow()
                                                .contains("partNumber=")
                                ? Optional.of(FaultInjectingProxy.Fault.INTERNAL_ERROR)
                                : Optional.empty());
                S3Client sdk = TestingStores.sdkClient(s3.endpoint(), s3.region())) {
            String bucket = TestingStores.newBucket(s3);
            S3Settings settings = TestingStores.settings(proxy.endpoint(), s3.region())
                    .withPartSizeBytes(5L << 20)
                    .withMaxRetries(1);
            try (S3ObjectStore store = S3ObjectStore.open("s3://" + bucket + "/p", settings)) {
                Exception e;
                try (ObjectUpload upload = store.create("orders/0/000.jsonl.zst")) {
                    e = assertThrows(Exception.class, () -> {
                        upload.stream().write(new byte[(5 << 20) + 1]);
                        upload.commit();
                    });
                }
                if (e instanceof FerryException ferry) {
                    assertEquals(StandardErrorCode.IO_ERROR, ferry.code());
                }
                String message = e.getMessage();
                assertTrue(
                        message.matches(
                                "(?s).*upload part [12] of s3://" + bucket + "/p/orders/0/000\\.jsonl\\.zst: .*"),
                        message);
                assertTrue(message.contains("re-run (the job resumes)"), message);
                assertEquals(List.of(), store.list(""));
            }
            assertEquals(List.of(), TestingStores.incompleteUploads(sdk, bucket));
        }
    }

    @Test
    void readsAnObjectToTheEndWhenEveryFirstResponseIsCutOffHalfway() throws Exception {
        try (TestingS3 s3 = TestingS3.start();
                FaultInjectingProxy proxy = new FaultInjectingProxy(
                        s3.endpoint(),
                        0,
                        1,
                        head -> head.startsWith("GET ")
                                        && !head.contains("list-type")
                                        && !head.toLowerCase(Locale.ROOT).contains("\nrange:")
                                ? Optional.of(FaultInjectingProxy.Fault.TRUNCATED_RESPONSE)
                                : Optional.empty())) {
            String bucket = TestingStores.newBucket(s3);
            byte[] content = new byte[(6 << 20) + 3];
            new SplittableRandom(5).nextBytes(content);
            S3Settings settings =
                    TestingStores.settings(proxy.endpoint(), s3.region()).withPartSizeBytes(5L << 20);
            try (S3ObjectStore store = S3ObjectStore.open("s3://" + bucket, settings)) {
                for (byte[] object : List.of(content, new byte[] {1, 2, 3})) {
                    try (ObjectUpload upload = store.create("k")) {
                        upload.stream().write(object);
                        upload.commit();
                    }
                    try (InputStream in = store.open("k")) {
                        assertArrayEquals(object, in.readAllBytes());
                    }
                }
            }
            assertEquals(2, proxy.injected(FaultInjectingProxy.Fault.TRUNCATED_RESPONSE));
        }
    }
}
