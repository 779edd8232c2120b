package io.ferry.edfi.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadStateTest {
    @TempDir
    Path dir;

    @Test
    void hashesTheStrippedLineWithMd5AsLightbeamDoes() {
        // md5("{}") = 99914b932bd37a50b983c5e7c90ae93b
        assertEquals("99914b932bd37a50b983c5e7c90ae93b", PayloadHash.of("{}").hex());
        assertEquals(PayloadHash.of("{}"), PayloadHash.parse("99914b932bd37a50b983c5e7c90ae93b"));
    }

    @Test
    void everyAnswerIsOnDiskBeforeCloseAndATornLastLineIsIgnored() throws Exception {
        PayloadHash a = PayloadHash.of("{\"a\": 1}");
        PayloadHash b = PayloadHash.of("{\"b\": 2}");
        PayloadState state = PayloadState.open(dir, "schools");
        state.record(a, new SentRecord(1000, 201));
        state.record(b, new SentRecord(1001, 409));
        state.record(b, new SentRecord(1002, 200));
        // Not closed, as after a SIGKILL: a reader sees every answer; a torn write at the end is dropped.
        Files.writeString(dir.resolve("schools.hashlog"), "0123abc", StandardOpenOption.APPEND);
        PayloadState reopened = PayloadState.open(dir, "schools");
        assertEquals(Optional.of(new SentRecord(1000, 201)), reopened.find(a));
        assertEquals(Optional.of(new SentRecord(1002, 200)), reopened.find(b));
        assertEquals(2, reopened.size());
        reopened.forget(a);
        reopened.close();
        assertEquals(1, Files.readAllLines(dir.resolve("schools.hashlog")).size(), "compacted on close");
        PayloadState last = PayloadState.open(dir, "schools");
        assertTrue(last.find(a).isEmpty());
        last.clear();
        assertTrue(Files.notExists(dir.resolve("schools.hashlog")));
    }
}
