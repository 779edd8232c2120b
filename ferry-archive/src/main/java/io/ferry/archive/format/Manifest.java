package io.ferry.archive.format;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What one archive object holds, written next to it once it is committed. {@code
 * previousLastOffset} is the {@code lastOffset} of the object before it in the same stream
 * partition (-1 for the first): the chain that finds gaps and overlaps even where offsets themselves
 * have gaps. {@code bytes} and {@code sha256} describe the stored (compressed) bytes.
 */
public record Manifest(
        int formatVersion,
        String stream,
        int partition,
        long firstOffset,
        long lastOffset,
        long previousLastOffset,
        long records,
        long bytes,
        long uncompressedBytes,
        String sha256,
        Compression compression,
        Instant createdAt,
        String job) {
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);

    public Manifest {
        requireNonNull(stream, "stream is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(job, "job is null");
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("formatVersion must be " + FORMAT_VERSION + ", got " + formatVersion
                    + "; a newer ferry wrote this archive, read it with that version");
        }
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("stream is empty");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition is negative: " + partition);
        }
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException(
                    "offsets must satisfy 0 <= firstOffset <= lastOffset, got " + firstOffset + ".." + lastOffset);
        }
        if (previousLastOffset < -1 || previousLastOffset >= firstOffset) {
            throw new IllegalArgumentException("previousLastOffset must be in [-1, firstOffset), got "
                    + previousLastOffset + " with firstOffset " + firstOffset);
        }
        if (records < 1 || records - 1 > lastOffset - firstOffset) {
            throw new IllegalArgumentException("records must be in [1, lastOffset - firstOffset + 1], got " + records
                    + " for offsets " + firstOffset + ".." + lastOffset);
        }
        if (bytes < 0 || uncompressedBytes < 0) {
            throw new IllegalArgumentException(
                    "bytes and uncompressedBytes must not be negative, got " + bytes + " and " + uncompressedBytes);
        }
        if (sha256.length() != 64 || !isLowerHex(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, got '" + sha256 + "'");
        }
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** The manifest as pretty-printed UTF-8 JSON. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("formatVersion", formatVersion);
            g.writeStringField("stream", stream);
            g.writeNumberField("partition", partition);
            g.writeNumberField("firstOffset", firstOffset);
            g.writeNumberField("lastOffset", lastOffset);
            g.writeNumberField("previousLastOffset", previousLastOffset);
            g.writeNumberField("records", records);
            g.writeNumberField("bytes", bytes);
            g.writeNumberField("uncompressedBytes", uncompressedBytes);
            g.writeStringField("sha256", sha256);
            g.writeStringField("compression", compression.name().toLowerCase(Locale.ROOT));
            g.writeStringField("createdAt", createdAt.toString());
            g.writeStringField("job", job);
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Parses a manifest; fails with {@code BAD_ARCHIVE} naming {@code key} and the problem. */
    public static Manifest fromJson(byte[] json, String key) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return new Manifest(
                    (int) number(node, "formatVersion"),
                    text(node, "stream"),
                    (int) number(node, "partition"),
                    number(node, "firstOffset"),
                    number(node, "lastOffset"),
                    number(node, "previousLastOffset"),
                    number(node, "records"),
                    number(node, "bytes"),
                    number(node, "uncompressedBytes"),
                    text(node, "sha256"),
                    compression(text(node, "compression")),
                    Instant.parse(text(node, "createdAt")),
                    text(node, "job"));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new FerryException(
                    StandardErrorCode.BAD_ARCHIVE,
                    "manifest '" + key + "' is not valid: " + e.getMessage()
                            + "; restore it from a copy or re-export that range, and run 'ferry verify'",
                    e);
        }
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer, got " + value);
        }
        return value.asLong();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, got " + value);
        }
        return value.asText();
    }

    private static Compression compression(String name) {
        for (Compression compression : Compression.values()) {
            if (compression.name().equalsIgnoreCase(name)) {
                return compression;
            }
        }
        throw new IllegalArgumentException("field 'compression' must be one of zstd, gzip, none, got '" + name + "'");
    }
}
