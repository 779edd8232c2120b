package io.ferry.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.archive.store.StoredObject;
import io.ferry.testing.TestingS3;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveOverS3IT {
    @Test
    void exportsReadsBackAndVerifiesAnArchiveInABucket() {
        try (TestingS3 s3 = TestingS3.start()) {
            String bucket = TestingStores.newBucket(s3);
            try (S3ObjectStore store =
                    S3ObjectStore.open("s3://" + bucket + "/team/exports", TestingStores.settings(s3))) {
                TestingStores.exportReadAndVerify(store, "nightly");
                List<StoredObject> objects = store.list("nightly/");
                // 3 partitions x 4 objects, each with its manifest
                assertEquals(24, objects.size(), "objects: " + objects);
                assertTrue(objects.stream().allMatch(o -> o.key().startsWith("nightly/")), "objects: " + objects);
            }
            try (S3ObjectStore bucketRoot = S3ObjectStore.open("s3://" + bucket, TestingStores.settings(s3))) {
                assertTrue(bucketRoot.list("").stream().allMatch(o -> o.key().startsWith("team/exports/nightly/")));
            }
        }
    }
}
