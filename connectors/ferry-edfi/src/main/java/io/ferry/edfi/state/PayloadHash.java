package io.ferry.edfi.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The MD5 of a payload line with surrounding whitespace stripped, as lightbeam hashes it. */
public record PayloadHash(long high, long low) {
    private static final HexFormat HEX = HexFormat.of();

    public static PayloadHash of(String strippedLine) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(strippedLine.getBytes(StandardCharsets.UTF_8));
            return new PayloadHash(toLong(digest, 0), toLong(digest, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }

    public static PayloadHash parse(String hex) {
        if (hex.length() != 32) {
            throw new IllegalArgumentException("an MD5 has 32 hex digits, got '" + hex + "'");
        }
        return new PayloadHash(
                Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static long toLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    public String hex() {
        return HEX.toHexDigits(high) + HEX.toHexDigits(low);
    }

    @Override
    public String toString() {
        return hex();
    }
}
