package io.ferry.archive.format;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The archive's key layout: {@code <prefix>/<stream>/<partition>/<firstOffset, 20 digits>.jsonl<suffix>}
 * for objects and {@code ...<20 digits>.manifest.json} for their manifests. Stream names are
 * percent-encoded (UTF-8 bytes as {@code %XX}) outside {@code [A-Za-z0-9._-]}, and so is a leading
 * '.', so any stream name is one safe path segment. An empty prefix puts streams at the top.
 */
public final class ObjectNames {
    private static final String OBJECT_INFIX = ".jsonl";
    private static final String MANIFEST_SUFFIX = ".manifest.json";
    private static final int OFFSET_DIGITS = 20;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ObjectNames() {}

    /** The prefix without leading or trailing '/'; what keys are built from. */
    public static String normalizePrefix(String prefix) {
        requireNonNull(prefix, "prefix is null");
        int start = 0;
        int end = prefix.length();
        while (start < end && prefix.charAt(start) == '/') {
            start++;
        }
        while (end > start && prefix.charAt(end - 1) == '/') {
            end--;
        }
        return prefix.substring(start, end);
    }

    /** Where all streams of the archive live: empty, or the prefix and a '/'. */
    public static String archiveRoot(String prefix) {
        String normalized = normalizePrefix(prefix);
        return normalized.isEmpty() ? "" : normalized + "/";
    }

    /** The key prefix of one stream partition's objects and manifests, ending in '/'. */
    public static String partitionPrefix(String prefix, String stream, int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition is negative: " + partition);
        }
        return archiveRoot(prefix) + encodeStream(stream) + "/" + partition + "/";
    }

    public static String objectKey(
            String prefix, String stream, int partition, long firstOffset, Compression compression) {
        return partitionPrefix(prefix, stream, partition)
                + paddedOffset(firstOffset)
                + OBJECT_INFIX
                + compression.suffix();
    }

    public static String manifestKey(String prefix, String stream, int partition, long firstOffset) {
        return partitionPrefix(prefix, stream, partition) + paddedOffset(firstOffset) + MANIFEST_SUFFIX;
    }

    private static String paddedOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        String digits = Long.toString(offset);
        return "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
    }

    /** Parses a key under {@code prefix}; empty when it is not an archive object or manifest key. */
    public static Optional<ObjectName> parse(String prefix, String key) {
        String root = archiveRoot(prefix);
        if (!key.startsWith(root)) {
            return Optional.empty();
        }
        String[] parts = key.substring(root.length()).split("/", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        Optional<String> stream = decodeStream(parts[0]);
        int partition = parseDigits(parts[1], 9);
        String file = parts[2];
        if (stream.isEmpty() || partition < 0 || file.length() < OFFSET_DIGITS) {
            return Optional.empty();
        }
        if (!parts[1].equals(Integer.toString(partition))) {
            return Optional.empty(); // not canonical, such as "007"
        }
        String digits = file.substring(0, OFFSET_DIGITS);
        long firstOffset = parseOffset(digits);
        if (firstOffset < 0) {
            return Optional.empty();
        }
        String rest = file.substring(OFFSET_DIGITS);
        if (rest.equals(MANIFEST_SUFFIX)) {
            return Optional.of(
                    new ObjectName(stream.get(), partition, firstOffset, ObjectName.Kind.MANIFEST, Compression.NONE));
        }
        for (Compression compression : Compression.values()) {
            if (rest.equals(OBJECT_INFIX + compression.suffix())) {
                return Optional.of(
                        new ObjectName(stream.get(), partition, firstOffset, ObjectName.Kind.OBJECT, compression));
            }
        }
        return Optional.empty();
    }

    private static int parseDigits(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static long parseOffset(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1; // beyond Long.MAX_VALUE
        }
    }

    /** Encodes a stream name as one path segment that is safe on any file system and object store. */
    public static String encodeStream(String stream) {
        requireNonNull(stream, "stream is null");
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("stream is empty");
        }
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean safe = (b >= 'a' && b <= 'z')
                    || (b >= 'A' && b <= 'Z')
                    || (b >= '0' && b <= '9')
                    || b == '_'
                    || b == '-'
                    || (b == '.' && i > 0);
            if (safe) {
                encoded.append((char) b);
            } else {
                encoded.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            }
        }
        return encoded.toString();
    }

    /** Decodes {@link #encodeStream}; empty when {@code segment} is not such an encoding. */
    public static Optional<String> decodeStream(String segment) {
        if (segment.isEmpty() || segment.startsWith(".")) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
