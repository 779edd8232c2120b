package io.ferry.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes deterministic JSONL files, fast enough for million-record and gigabyte tests and
 * benchmarks (hundreds of MB/s: bytes are produced directly, no strings or JSON library).
 */
public final class TestData {
    private static final int BUFFER_SIZE = 1 << 20;
    private static final int MAX_RECORD_BYTES = 512;
    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_."
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String[] TAGS = {"red", "green", "blue", "urgent", "archived", "new"};

    private TestData() {}

    /** Writes {@code records} JSON lines, each terminated by a line feed, replacing {@code file}. */
    public static GeneratedFile writeJsonlRecords(Path file, long records, long seed) {
        return write(file, records, Long.MAX_VALUE, seed);
    }

    /**
     * Writes whole JSON lines until the file holds at least {@code minBytes} bytes (it ends at the
     * first line end at or after that size), replacing {@code file}.
     */
    public static GeneratedFile writeJsonlBytes(Path file, long minBytes, long seed) {
        return write(file, Long.MAX_VALUE, minBytes, seed);
    }

    /**
     * The bytes of a file holding {@code lines}, each followed by a line feed except, when {@code
     * terminateLast} is false, the last.
     */
    public static byte[] lines(List<byte[]> lines, boolean terminateLast) {
        long size = 0;
        for (byte[] line : lines) {
            size += line.length + 1L;
        }
        if (!terminateLast && !lines.isEmpty()) {
            size--;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("lines too large for one array: " + size + " bytes");
        }
        byte[] bytes = new byte[(int) size];
        int at = 0;
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            System.arraycopy(line, 0, bytes, at, line.length);
            at += line.length;
            if (terminateLast || i < lines.size() - 1) {
                bytes[at++] = '\n';
            }
        }
        return bytes;
    }

    /** Writes {@link #lines(List, boolean)} to {@code file}, replacing it. */
    public static Path writeLines(Path file, List<byte[]> lines, boolean terminateLast) {
        try {
            return Files.write(file, lines(lines, terminateLast));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test file " + file, e);
        }
    }

    private static GeneratedFile write(Path file, long maxRecords, long minBytes, long seed) {
        if (maxRecords < 0 || minBytes < 0) {
            throw new IllegalArgumentException("negative size: " + maxRecords + " records, " + minBytes + " bytes");
        }
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[BUFFER_SIZE];
        int used = 0;
        long records = 0;
        long bytes = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (records < maxRecords && bytes < minBytes) {
                if (used > BUFFER_SIZE - MAX_RECORD_BYTES) {
                    out.write(buffer, 0, used);
                    used = 0;
                }
                int end = record(buffer, used, records, random);
                bytes += end - used;
                used = end;
                records++;
            }
            out.write(buffer, 0, used);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test file " + file, e);
        }
        return new GeneratedFile(file, records, bytes);
    }

    /** Writes one record and its line feed at {@code at}; returns the index after it. */
    private static int record(byte[] buffer, int at, long id, SplittableRandom random) {
        at = ascii(buffer, at, "{\"id\":");
        at = digits(buffer, at, id);
        at = ascii(buffer, at, ",\"customer\":\"c-");
        at = digits(buffer, at, random.nextInt(100_000));
        at = ascii(buffer, at, "\",\"amount\":");
        at = digits(buffer, at, random.nextInt(100_000));
        buffer[at++] = '.';
        int cents = random.nextInt(100);
        buffer[at++] = (byte) ('0' + cents / 10);
        buffer[at++] = (byte) ('0' + cents % 10);
        at = ascii(buffer, at, ",\"paid\":");
        at = ascii(buffer, at, random.nextBoolean() ? "true" : "false");
        at = ascii(buffer, at, ",\"tags\":[");
        int tags = random.nextInt(3);
        for (int i = 0; i < tags; i++) {
            if (i > 0) {
                buffer[at++] = ',';
            }
            buffer[at++] = '"';
            at = ascii(buffer, at, TAGS[random.nextInt(TAGS.length)]);
            buffer[at++] = '"';
        }
        at = ascii(buffer, at, "],\"note\":\"");
        int noteLength = 16 + random.nextInt(160);
        long bits = 0;
        for (int i = 0; i < noteLength; i++) {
            if (i % 10 == 0) {
                bits = random.nextLong();
            }
            buffer[at++] = ALPHABET[(int) (bits & 63)];
            bits >>>= 6;
        }
        buffer[at++] = '"';
        buffer[at++] = '}';
        buffer[at++] = '\n';
        return at;
    }

    private static int ascii(byte[] buffer, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            buffer[at++] = (byte) text.charAt(i);
        }
        return at;
    }

    private static int digits(byte[] buffer, int at, long value) {
        if (value == 0) {
            buffer[at++] = '0';
            return at;
        }
        int length = 0;
        for (long rest = value; rest > 0; rest /= 10) {
            length++;
        }
        for (int i = at + length - 1; i >= at; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + length;
    }
}
