package io.ferry.archive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectNamesTest {
    @Test
    void buildsZeroPaddedKeysUnderThePrefix() {
        assertEquals(
                "exports/orders/0/00000000000000000012.jsonl.zst",
                ObjectNames.objectKey("exports", "orders", 0, 12, Compression.ZSTD));
        assertEquals(
                "a/b/orders/7/00000000000000000000.jsonl.gz",
                ObjectNames.objectKey("/a/b/", "orders", 7, 0, Compression.GZIP));
        assertEquals(
                "orders/1/09223372036854775807.jsonl",
                ObjectNames.objectKey("", "orders", 1, Long.MAX_VALUE, Compression.NONE));
        assertEquals("x/orders/0/00000000000000000012.manifest.json", ObjectNames.manifestKey("x", "orders", 0, 12));
    }

    @Test
    void encodesPathUnsafeStreamNamesAndDecodesThemBack() {
        for (String stream :
                new String[] {"orders", "a/b", "..", ".hidden", "with space", "日本", "100%", "a.b-c_d", "C:\\x"}) {
            String encoded = ObjectNames.encodeStream(stream);
            assertTrue(encoded.matches("[A-Za-z0-9_%-][A-Za-z0-9._%-]*"), encoded);
            assertEquals(Optional.of(stream), ObjectNames.decodeStream(encoded));
        }
        assertEquals("a%2Fb", ObjectNames.encodeStream("a/b"));
        assertEquals("%2Ehidden", ObjectNames.encodeStream(".hidden"));
        assertEquals("%E6%97%A5", ObjectNames.encodeStream("日"));
    }

    @Test
    void parsesKeysBackIntoTheirParts() {
        String key = ObjectNames.objectKey("p", "we/ird", 4, 99, Compression.ZSTD);
        assertEquals(
                Optional.of(new ObjectName("we/ird", 4, 99, ObjectName.Kind.OBJECT, Compression.ZSTD)),
                ObjectNames.parse("p", key));
        assertEquals(
                Optional.of(new ObjectName("orders", 0, 5, ObjectName.Kind.MANIFEST, Compression.NONE)),
                ObjectNames.parse("", ObjectNames.manifestKey("", "orders", 0, 5)));
        assertEquals(
                Optional.of(new ObjectName("orders", 0, 5, ObjectName.Kind.OBJECT, Compression.NONE)),
                ObjectNames.parse("", "orders/0/00000000000000000005.jsonl"));
    }

    @Test
    void ignoresKeysThatAreNotArchiveObjects() {
        assertEquals(Optional.empty(), ObjectNames.parse("p", "q/orders/0/00000000000000000005.jsonl"));
        assertEquals(Optional.empty(), ObjectNames.parse("p", "p/orders/0/5.jsonl"));
        assertEquals(Optional.empty(), ObjectNames.parse("p", "p/orders/00/00000000000000000005.jsonl"));
        assertEquals(Optional.empty(), ObjectNames.parse("p", "p/orders/0/00000000000000000005.txt"));
        assertEquals(Optional.empty(), ObjectNames.parse("p", "p/README.md"));
        assertEquals(Optional.empty(), ObjectNames.parse("p", "p/a/b/0/00000000000000000005.jsonl"));
        assertEquals(Optional.empty(), ObjectNames.parse("p", "p/orders/0/99999999999999999999.jsonl"));
    }
}
