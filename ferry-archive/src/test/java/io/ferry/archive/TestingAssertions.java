package io.ferry.archive;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions the tests share. */
public final class TestingAssertions {
    private TestingAssertions() {}

    public static void assertMessageContains(Throwable e, String part) {
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
}
