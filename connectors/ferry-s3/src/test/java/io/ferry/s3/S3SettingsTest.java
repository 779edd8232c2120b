package io.ferry.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    private static final S3Settings DEFAULTS = S3Settings.forRegion("eu-west-1");

    @Test
    void defaultsToEightMebibytePartsTwoInFlightAndTheDefaultCredentialChain() {
        assertEquals(Optional.empty(), DEFAULTS.endpoint());
        assertFalse(DEFAULTS.pathStyle());
        assertEquals(8L << 20, DEFAULTS.partSizeBytes());
        assertEquals(2, DEFAULTS.partsInFlight());
        assertEquals(Optional.empty(), DEFAULTS.credentials());
        assertEquals(24L << 20, DEFAULTS.maxBufferedBytesPerUpload());
        S3Settings local = S3Settings.forEndpoint(URI.create("http://127.0.0.1:9000"), "us-east-1");
        assertTrue(local.pathStyle());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), local.endpoint());
    }

    @Test
    void namesTheOptionAndAnExampleInEveryValidationMessage() {
        assertMessage(() -> DEFAULTS.withPartSizeBytes((5L << 20) - 1), "--s3-part-size", "5MiB");
        assertMessage(() -> DEFAULTS.withPartSizeBytes(2L << 30), "--s3-part-size", "1GiB");
        assertMessage(() -> DEFAULTS.withPartsInFlight(0), "--s3-parts-in-flight", "got 0");
        assertMessage(() -> DEFAULTS.withMaxRetries(-1), "--s3-max-retries", "got -1");
        assertMessage(() -> S3Settings.forRegion(""), "--s3-region", "eu-west-1");
        assertMessage(() -> S3Settings.forRegion("EU West"), "--s3-region", "'EU West'");
        assertMessage(() -> DEFAULTS.withEndpoint(URI.create("ftp://host")), "--s3-endpoint", "http://127.0.0.1:9000");
        assertMessage(() -> DEFAULTS.withEndpoint(URI.create("http:relative")), "--s3-endpoint", "http or https");
        assertMessage(() -> DEFAULTS.withEndpoint(URI.create("http://host:9000/?x=1")), "--s3-endpoint", "query");
    }

    @Test
    void neverShowsCredentialsInMessagesOrToString() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DEFAULTS.withEndpoint(URI.create("http://AKIDSECRET:hunter2@host:9000")));
        assertFalse(e.getMessage().contains("AKIDSECRET"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        S3Settings withKeys = DEFAULTS.withCredentials(new StaticCredentials("AKIDSECRET", "hunter2"));
        assertFalse(withKeys.toString().contains("AKIDSECRET"), withKeys.toString());
        assertFalse(withKeys.toString().contains("hunter2"), withKeys.toString());
        assertThrows(IllegalArgumentException.class, () -> new StaticCredentials(" ", "x"));
    }

    private static void assertMessage(Supplier<S3Settings> settings, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::get);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }
}
