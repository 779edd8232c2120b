package io.ferry.archive;

import static java.util.Objects.requireNonNull;

import io.ferry.archive.format.Compression;
import java.time.Duration;
import java.util.Locale;

/**
 * How the archive sink writes: compression and its level, when to start a new object (once its
 * uncompressed envelopes reach {@code objectSizeBytes} or its records reach {@code objectRecords},
 * {@link Long#MAX_VALUE} for no record limit), and how many background threads compress each object
 * being written (zstd only; 0 compresses on the writing thread). A positive {@code objectAge} also
 * finishes an object once it has been open that long, so a slow stream still lands in the bucket
 * on time ({@link Duration#ZERO} for no time limit).
 */
public record ArchiveOptions(
        Compression compression,
        int level,
        long objectSizeBytes,
        long objectRecords,
        int compressionThreads,
        Duration objectAge) {
    public static final long DEFAULT_OBJECT_SIZE_BYTES = 64L * 1024 * 1024;
    public static final long UNLIMITED_RECORDS = Long.MAX_VALUE;
    public static final int MAX_COMPRESSION_THREADS = 64;

    public ArchiveOptions {
        requireNonNull(compression, "compression is null");
        requireNonNull(objectAge, "objectAge is null");
        if (objectAge.isNegative()) {
            throw new IllegalArgumentException(
                    "--object-age must not be negative, got " + objectAge + " (example: --object-age 10m)");
        }
        if (compressionThreads < 0 || compressionThreads > MAX_COMPRESSION_THREADS) {
            throw new IllegalArgumentException("--compression-threads must be in [0, " + MAX_COMPRESSION_THREADS
                    + "], got " + compressionThreads + " (example: --compression-threads 1)");
        }
        if (!compression.isValidLevel(level)) {
            throw new IllegalArgumentException("--compression-level must be in [" + compression.minLevel() + ", "
                    + compression.maxLevel() + "] for " + compression.name().toLowerCase(Locale.ROOT) + ", got "
                    + level + " (example: --compression-level " + compression.defaultLevel() + ")");
        }
        if (objectSizeBytes < 1) {
            throw new IllegalArgumentException("--object-size must be at least 1 byte, got " + objectSizeBytes
                    + " (example: --object-size 64MiB)");
        }
        if (objectRecords < 1) {
            throw new IllegalArgumentException("--object-records must be at least 1, got " + objectRecords
                    + " (example: --object-records 1000000, or leave it out for no limit)");
        }
    }

    /** Compresses on the writing thread. */
    public ArchiveOptions(Compression compression, int level, long objectSizeBytes, long objectRecords) {
        this(compression, level, objectSizeBytes, objectRecords, 0, Duration.ZERO);
    }

    /** No time limit on objects. */
    public ArchiveOptions(
            Compression compression, int level, long objectSizeBytes, long objectRecords, int compressionThreads) {
        this(compression, level, objectSizeBytes, objectRecords, compressionThreads, Duration.ZERO);
    }

    public ArchiveOptions withObjectAge(Duration age) {
        return new ArchiveOptions(compression, level, objectSizeBytes, objectRecords, compressionThreads, age);
    }

    /** zstd level 3, 64 MiB objects, no record limit. */
    public static ArchiveOptions defaults() {
        return of(Compression.ZSTD);
    }

    /** The defaults with {@code compression} at its default level. */
    public static ArchiveOptions of(Compression compression) {
        return new ArchiveOptions(
                compression, compression.defaultLevel(), DEFAULT_OBJECT_SIZE_BYTES, UNLIMITED_RECORDS);
    }

    public ArchiveOptions withObjectSizeBytes(long bytes) {
        return new ArchiveOptions(compression, level, bytes, objectRecords, compressionThreads, objectAge);
    }

    public ArchiveOptions withObjectRecords(long records) {
        return new ArchiveOptions(compression, level, objectSizeBytes, records, compressionThreads, objectAge);
    }
}
