package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import io.ferry.archive.format.Compression;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

/**
 * How tasks run: compression, level and the threads compressing beside the COPY, parameters, {@code keep} (export without deleting), {@code
 * dryRun} (count and check, write and delete nothing), the bookkeeping table, the clock that names
 * files (its zone gives the wall-clock time in names), and how often a transaction that lost a
 * serialization conflict to concurrent writers is tried again.
 */
public record ExportSettings(
        Compression compression,
        int compressionLevel,
        int compressionThreads,
        Map<String, String> parameters,
        boolean keep,
        boolean dryRun,
        String logTable,
        Clock clock,
        int attempts) {
    public ExportSettings {
        requireNonNull(compression, "compression is null");
        requireNonNull(parameters, "parameters is null");
        requireNonNull(logTable, "logTable is null");
        requireNonNull(clock, "clock is null");
        parameters = Map.copyOf(parameters);
        if (!compression.isValidLevel(compressionLevel)) {
            throw new IllegalArgumentException(
                    "--compression-level for " + compression.name().toLowerCase(java.util.Locale.ROOT)
                            + " must be in [" + compression.minLevel() + ", " + compression.maxLevel() + "], got "
                            + compressionLevel + " (example: --compression-level " + compression.defaultLevel() + ")");
        }
        if (compressionThreads < 0) {
            throw new IllegalArgumentException(
                    "--compression-threads must be 0 (compress on the thread reading the COPY)" + " or more, got "
                            + compressionThreads + " (example: --compression-threads 2)");
        }
        if (!ExportLog.isValidName(logTable)) {
            throw new IllegalArgumentException("--log-table must be a table name, optionally schema-qualified, got '"
                    + logTable + "' (example: --log-table archive.ferry_export_log)");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
    }

    /**
     * The threads that compress beside the thread reading the COPY unless told otherwise: zstd at
     * ferry's levels keeps up on one, deflate needs every core to keep up with the database.
     */
    public static int defaultThreads(Compression compression) {
        return switch (compression) {
            case ZSTD -> 1;
            case GZIP -> Math.max(1, Runtime.getRuntime().availableProcessors());
            case NONE -> 0;
        };
    }

    /** Gzip at its default level on {@link #defaultThreads} threads, no parameters, deleting, the default log table, the system clock, 3 attempts. */
    public static ExportSettings defaults() {
        return new ExportSettings(
                Compression.GZIP,
                Compression.GZIP.defaultLevel(),
                defaultThreads(Compression.GZIP),
                Map.of(),
                false,
                false,
                ExportLog.DEFAULT_TABLE,
                Clock.system(ZoneId.systemDefault()), // names carry the machine's wall-clock time
                3);
    }

    /** This compression and level, on {@link #defaultThreads} threads for it. */
    public ExportSettings withCompression(Compression value, int level) {
        return new ExportSettings(
                value, level, defaultThreads(value), parameters, keep, dryRun, logTable, clock, attempts);
    }

    public ExportSettings withCompressionThreads(int value) {
        return new ExportSettings(
                compression, compressionLevel, value, parameters, keep, dryRun, logTable, clock, attempts);
    }

    public ExportSettings withParameters(Map<String, String> value) {
        return new ExportSettings(
                compression, compressionLevel, compressionThreads, value, keep, dryRun, logTable, clock, attempts);
    }

    public ExportSettings withKeep(boolean value) {
        return new ExportSettings(
                compression,
                compressionLevel,
                compressionThreads,
                parameters,
                value,
                dryRun,
                logTable,
                clock,
                attempts);
    }

    public ExportSettings withDryRun(boolean value) {
        return new ExportSettings(
                compression, compressionLevel, compressionThreads, parameters, keep, value, logTable, clock, attempts);
    }

    public ExportSettings withLogTable(String value) {
        return new ExportSettings(
                compression, compressionLevel, compressionThreads, parameters, keep, dryRun, value, clock, attempts);
    }

    public ExportSettings withClock(Clock value) {
        return new ExportSettings(
                compression, compressionLevel, compressionThreads, parameters, keep, dryRun, logTable, value, attempts);
    }

    public ExportSettings withAttempts(int value) {
        return new ExportSettings(
                compression, compressionLevel, compressionThreads, parameters, keep, dryRun, logTable, clock, value);
    }
}
