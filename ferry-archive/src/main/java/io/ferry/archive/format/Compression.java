package io.ferry.archive.format;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How an archive object's envelopes are compressed. Decompressing a truncated or corrupt stream
 * fails with an {@link IOException}.
 */
public enum Compression {
    ZSTD(".zst", 3, 1, 22),
    GZIP(".gz", 6, 1, 9),
    NONE("", 0, 0, 0);

    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final String suffix;
    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String suffix, int defaultLevel, int minLevel, int maxLevel) {
        this.suffix = suffix;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    /** What object keys end with after {@code .jsonl}: {@code .zst}, {@code .gz}, or nothing. */
    public String suffix() {
        return suffix;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    public boolean isValidLevel(int level) {
        return level >= minLevel && level <= maxLevel;
    }

    /**
     * Wraps {@code out} in a compressor; closing the result finishes the compressed stream and closes
     * {@code out}. {@link OutputStream#flush()} on it may end a compression block: call it rarely.
     */
    public OutputStream compress(OutputStream out, int level) throws IOException {
        return compress(out, level, 0);
    }

    /**
     * Like {@link #compress(OutputStream, int)}, with {@code threads} background threads compressing
     * (zstd and gzip; none ignores it): the writing thread then only hands data over, so encoding and
     * compression run on several cores. Gzip output is one ordinary gzip member whatever the thread
     * count; zstd output stays deterministic for a given thread count.
     */
    public OutputStream compress(OutputStream out, int level, int threads) throws IOException {
        requireNonNull(out, "out is null");
        if (!isValidLevel(level)) {
            throw new IllegalArgumentException(name().toLowerCase(java.util.Locale.ROOT) + " level must be in ["
                    + minLevel + ", " + maxLevel + "], got " + level);
        }
        return switch (this) {
            case ZSTD -> {
                ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, level);
                if (threads > 0) {
                    zstd.setWorkers(threads);
                }
                yield zstd;
            }
            case GZIP ->
                threads > 0
                        ? new ParallelGzipOutputStream(out, level, threads)
                        : new LeveledGzipOutputStream(out, level);
            case NONE -> out;
        };
    }

    /** Wraps {@code in} in a decompressor; closing the result closes {@code in}. */
    public InputStream decompress(InputStream in) throws IOException {
        requireNonNull(in, "in is null");
        return switch (this) {
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
            case GZIP -> new GZIPInputStream(in, GZIP_BUFFER_BYTES);
            case NONE -> in;
        };
    }

    /**
     * Parses a {@code --compression} value ({@code zstd}, {@code gzip} or {@code none}, any case);
     * fails with a message naming the option, the value and an example.
     */
    public static Compression fromOption(String value) {
        for (Compression compression : values()) {
            if (compression.name().equalsIgnoreCase(value)) {
                return compression;
            }
        }
        throw new IllegalArgumentException(
                "--compression must be zstd, gzip or none, got '" + value + "' (example: --compression zstd)");
    }

    /** The compression an object key's suffix names; {@link #NONE} when it names none. */
    public static Compression fromSuffix(String key) {
        requireNonNull(key, "key is null");
        if (key.endsWith(ZSTD.suffix)) {
            return ZSTD;
        }
        if (key.endsWith(GZIP.suffix)) {
            return GZIP;
        }
        return NONE;
    }

    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER_BYTES);
            def.setLevel(level);
        }
    }
}
