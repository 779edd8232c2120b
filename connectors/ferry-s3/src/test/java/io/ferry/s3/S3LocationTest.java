package io.ferry.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class S3LocationTest {
    @Test
    void parsesABucketWithOrWithoutAPrefix() {
        assertEquals(new S3Location("my-bucket", ""), S3Location.parse("s3://my-bucket"));
        assertEquals(new S3Location("my-bucket", ""), S3Location.parse("s3://my-bucket/"));
        assertEquals(new S3Location("my-bucket", "exports/orders"), S3Location.parse("s3://my-bucket/exports/orders"));
        assertEquals(new S3Location("my.bucket-1", "a"), S3Location.parse("s3://my.bucket-1/a/"));
    }

    @Test
    void mapsStoreKeysUnderThePrefix() {
        assertEquals("exports/a/b", S3Location.parse("s3://b1b/exports").keyOf("a/b"));
        assertEquals("a/b", S3Location.parse("s3://b1b").keyOf("a/b"));
        assertEquals("s3://b1b/exports", S3Location.parse("s3://b1b/exports/").toString());
        assertEquals("s3://b1b", S3Location.parse("s3://b1b").toString());
    }

    @Test
    void explainsWhatIsWrongWithABadLocation() {
        assertMessage("bucket/prefix", "must look like s3://bucket/prefix");
        assertMessage("https://bucket/prefix", "must look like s3://bucket/prefix");
        assertMessage("s3://", "names no bucket");
        assertMessage("s3:///prefix", "names no bucket");
        assertMessage("s3://My_Bucket/x", "'My_Bucket' is not a valid S3 bucket name");
        assertMessage("s3://ab/x", "'ab' is not a valid S3 bucket name");
        assertMessage("s3://bucket-/x", "is not a valid S3 bucket name");
        assertMessage("s3://a..b/x", "is not a valid S3 bucket name");
        assertMessage("s3://bucket/a//b", "must not start or end with '/' or contain empty, '.' or '..' segments");
        assertMessage("s3://bucket/a/../b", "'..' segments");
        assertMessage("s3://bucket//a", "empty");
        assertMessage("s3://bucket/a?versionId=1", "must not contain '?' or '#'");
    }

    private static void assertMessage(String location, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3Location.parse(location));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("example: s3://"), e.getMessage());
    }

    @Test
    void refusesBadPartsWhenBuiltDirectly() {
        for (String prefix : List.of("/a", "a/", ".", "a/./b")) {
            assertThrows(IllegalArgumentException.class, () -> new S3Location("bucket", prefix), prefix);
        }
    }
}
