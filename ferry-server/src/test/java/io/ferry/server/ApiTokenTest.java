package io.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {
    @TempDir
    Path state;

    @Test
    void aGeneratedTokenIsKeptWithMode0600AndPrintedOnlyAtTheFirstStart() throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ApiToken token = ApiToken.load("", state, new PrintStream(first, true, StandardCharsets.UTF_8));
        Path file = state.resolve(ApiToken.FILE_NAME);
        String stored = Files.readString(file).strip();
        assertEquals(64, stored.length(), stored);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(first.toString(StandardCharsets.UTF_8).contains(stored));
        assertTrue(token.admits("Bearer " + stored));

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        ApiToken again = ApiToken.load("", state, new PrintStream(second, true, StandardCharsets.UTF_8));
        assertEquals("", second.toString(StandardCharsets.UTF_8), "printed twice");
        assertTrue(again.admits("Bearer " + stored));
        assertFalse(again.toString().contains(stored));
    }

    @Test
    void theEnvironmentsTokenWinsAndOnlyTheExactTokenIsAdmitted() {
        ApiToken token = ApiToken.load(
                "s3cret-token", state, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertFalse(Files.exists(state.resolve(ApiToken.FILE_NAME)));
        assertTrue(token.admits("Bearer s3cret-token"));
        assertTrue(token.admits("bearer s3cret-token"));
        assertFalse(token.admits("Bearer s3cret-toke"));
        assertFalse(token.admits("Bearer s3cret-token2"));
        assertFalse(token.admits("Basic s3cret-token"));
        assertFalse(token.admits("s3cret-token"));
        assertFalse(token.admits("Bearer "));
    }
}
