package io.ferry.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import io.ferry.spi.source.Split;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deterministic record values and records: the same seed, count and kinds always give the same
 * bytes, so a failing contract test fails the same way again.
 */
public final class TestRecords {
    public static final long DEFAULT_SEED = 0x5EED_F3E7L;

    private static final String[] MULTIBYTE_WORDS = {
        "caf\u00e9",
        "na\u00efve",
        "\u65e5\u672c\u8a9e",
        "\u0420\u043e\u0441\u0441\u0438\u044f",
        "\ud83d\ude00",
        "\ud83d\udea2",
        "e\u0301",
        "\u00df",
        "\u20ac",
        "\u4e2d\u6587",
        "\u05e2\u05d1\u05e8\u05d9\u05ea"
    };

    private static final byte[][] INVALID_UTF8_SEQUENCES = {
        {(byte) 0xff},
        {(byte) 0xfe, (byte) 0xff},
        {(byte) 0x80},
        {(byte) 0xc0, (byte) 0xaf},
        {(byte) 0xe2, (byte) 0x82},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {0x00}
    };

    private static final byte[] TEXT_ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:;!?()".getBytes(UTF_8);

    private TestRecords() {}

    /**
     * {@code count} values of the given kinds. The first values cycle through every kind once (so a
     * short list still covers them all); the rest are drawn at random, with {@link ValueKind#LONG}
     * rare so the total stays a few MiB.
     */
    public static List<byte[]> values(long seed, int count, Set<ValueKind> kinds) {
        if (count < 0) {
            throw new IllegalArgumentException("count is negative: " + count);
        }
        List<ValueKind> available = List.copyOf(EnumSet.copyOf(requireNonNull(kinds, "kinds is null")));
        List<ValueKind> common =
                available.stream().filter(kind -> kind != ValueKind.LONG).toList();
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ValueKind kind;
            if (i < available.size()) {
                kind = available.get(i);
            } else if (common.isEmpty() || (available.contains(ValueKind.LONG) && random.nextInt(200) == 0)) {
                kind = ValueKind.LONG;
            } else {
                kind = common.get(random.nextInt(common.size()));
            }
            values.add(value(kind, random));
        }
        return values;
    }

    /** {@code count} values of every kind except those listed. */
    public static List<byte[]> valuesExcept(long seed, int count, ValueKind... excluded) {
        EnumSet<ValueKind> kinds = EnumSet.allOf(ValueKind.class);
        kinds.removeAll(List.of(excluded));
        return values(seed, count, kinds);
    }

    /** One value of {@code kind}. */
    public static byte[] value(ValueKind kind, SplittableRandom random) {
        return switch (kind) {
            case EMPTY -> new byte[0];
            case JSON_ASCII -> jsonObject(random, 10 + random.nextInt(120));
            case MULTIBYTE_UTF8 -> multibyte(random);
            case INVALID_UTF8 -> invalidUtf8(random);
            case TRAILING_CARRIAGE_RETURN -> {
                byte[] json = jsonObject(random, 10 + random.nextInt(60));
                byte[] withCr = new byte[json.length + 1];
                System.arraycopy(json, 0, withCr, 0, json.length);
                withCr[json.length] = '\r';
                yield withCr;
            }
            case LONG -> jsonObject(random, 64 * 1024 + random.nextInt(192 * 1024));
            case LINE_FEED ->
                (new String(jsonObject(random, 10), UTF_8) + "\n" + new String(jsonObject(random, 5), UTF_8)
                                + (random.nextBoolean() ? "\n" : ""))
                        .getBytes(UTF_8);
        };
    }

    /**
     * A single JSON line of exactly {@code length} ASCII bytes (at least 12), without a line feed:
     * for tests of lines longer than buffers and limits.
     */
    public static byte[] longLine(int length, long seed) {
        if (length < 12) {
            throw new IllegalArgumentException("a long line needs at least 12 bytes, got " + length);
        }
        byte[] prefix = "{\"text\":\"".getBytes(UTF_8);
        byte[] line = new byte[length];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = prefix.length; i < length - 2; i++) {
            line[i] = TEXT_ALPHABET[random.nextInt(TEXT_ALPHABET.length)];
        }
        line[length - 2] = '"';
        line[length - 1] = '}';
        return line;
    }

    /**
     * Records carrying {@code values} in {@code split}'s stream and partition, at offsets {@code
     * firstOffset}, {@code firstOffset + 2}, ... (gaps on purpose: offsets order records but do not
     * count them), each with the {@link TestPosition} of its own offset.
     */
    public static List<Record> records(Split split, long firstOffset, List<byte[]> values) {
        List<Record> records = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            long offset = firstOffset + 2L * i;
            records.add(Record.ofValue(
                    values.get(i),
                    new SourceCoordinates(split.stream(), split.partition(), offset),
                    new TestPosition(offset)));
        }
        return records;
    }

    private static byte[] jsonObject(SplittableRandom random, int textLength) {
        StringBuilder json = new StringBuilder(textLength + 64);
        json.append("{\"id\":").append(random.nextInt(1_000_000)).append(",\"text\":\"");
        for (int i = 0; i < textLength; i++) {
            json.append((char) TEXT_ALPHABET[random.nextInt(TEXT_ALPHABET.length)]);
        }
        json.append("\",\"ok\":").append(random.nextBoolean()).append('}');
        return json.toString().getBytes(UTF_8);
    }

    private static byte[] multibyte(SplittableRandom random) {
        StringBuilder json = new StringBuilder("{\"name\":\"");
        int words = 1 + random.nextInt(6);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                json.append(' ');
            }
            json.append(MULTIBYTE_WORDS[random.nextInt(MULTIBYTE_WORDS.length)]);
        }
        return json.append("\"}").toString().getBytes(UTF_8);
    }

    private static byte[] invalidUtf8(SplittableRandom random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"raw\":\"".getBytes(UTF_8));
        int pieces = 1 + random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            bytes.writeBytes(INVALID_UTF8_SEQUENCES[random.nextInt(INVALID_UTF8_SEQUENCES.length)]);
            bytes.write(TEXT_ALPHABET[random.nextInt(TEXT_ALPHABET.length)]);
        }
        bytes.writeBytes("\"}".getBytes(UTF_8));
        return bytes.toByteArray();
    }
}
