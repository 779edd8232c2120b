package io.ferry.archive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] codePoint(int codePoint) {
        return new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void acceptsAsciiAndEmpty() {
        assertTrue(Utf8.isValid(new byte[0]));
        assertTrue(Utf8.isValid("plain ascii, longer than eight bytes\r\n\0".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void acceptsEveryEncodingLengthAtItsBoundaries() {
        for (int cp : new int[] {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF}) {
            assertTrue(Utf8.isValid(codePoint(cp)), () -> "U+" + Integer.toHexString(cp));
        }
        assertTrue(Utf8.isValid("naïve 日本語 😀 ascii tail after multibyte".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsOverlongEncodings() {
        assertFalse(Utf8.isValid(bytes(0xC0, 0x80)));
        assertFalse(Utf8.isValid(bytes(0xC1, 0xBF)));
        assertFalse(Utf8.isValid(bytes(0xE0, 0x80, 0x80)));
        assertFalse(Utf8.isValid(bytes(0xE0, 0x9F, 0xBF)));
        assertFalse(Utf8.isValid(bytes(0xF0, 0x80, 0x80, 0x80)));
        assertFalse(Utf8.isValid(bytes(0xF0, 0x8F, 0xBF, 0xBF)));
    }

    @Test
    void rejectsSurrogates() {
        assertFalse(Utf8.isValid(bytes(0xED, 0xA0, 0x80)));
        assertFalse(Utf8.isValid(bytes(0xED, 0xBF, 0xBF)));
        assertTrue(Utf8.isValid(bytes(0xED, 0x9F, 0xBF)));
    }

    @Test
    void rejectsCodePointsAboveU10FFFF() {
        assertFalse(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80)));
        assertFalse(Utf8.isValid(bytes(0xF5, 0x80, 0x80, 0x80)));
        assertFalse(Utf8.isValid(bytes(0xFF)));
    }

    @Test
    void rejectsTruncatedSequencesAndStrayContinuationBytes() {
        assertFalse(Utf8.isValid(bytes(0xC3)));
        assertFalse(Utf8.isValid(bytes(0xE2, 0x82)));
        assertFalse(Utf8.isValid(bytes(0xF0, 0x9F, 0x98)));
        assertFalse(Utf8.isValid(bytes(0x80)));
        assertFalse(Utf8.isValid(bytes(0xC3, 0x41)));
        assertFalse(Utf8.isValid(bytes('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 0xBF)));
    }

    @Test
    void checksOnlyTheGivenRange() {
        byte[] bytes = bytes(0xFF, 'o', 'k', 0xFF);
        assertTrue(Utf8.isValid(bytes, 1, 2));
        assertFalse(Utf8.isValid(bytes, 0, 2));
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly ASCII and UTF-8 lead/continuation bytes, so valid sequences happen often
                bytes[i] = (byte)
                        switch (random.nextInt(4)) {
                            case 0 -> random.nextInt(0x80);
                            case 1 -> 0x80 + random.nextInt(0x40);
                            case 2 -> 0xC0 + random.nextInt(0x40);
                            default -> random.nextInt(256);
                        };
            }
            assertEquals(
                    jdkSaysValid(bytes),
                    Utf8.isValid(bytes),
                    () -> java.util.HexFormat.of().formatHex(bytes));
        }
    }

    private static boolean jdkSaysValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
