package io.ferry.core.progress;

import java.time.Duration;
import java.util.Locale;

/** Human formats for sizes, counts, rates and durations. */
public final class Formats {
    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Formats() {}

    /** A size, such as {@code 12.3 MiB}. */
    public static String bytes(long bytes) {
        return bytes((double) bytes);
    }

    /** A size or a fractional amount of bytes (a rate), such as {@code 12.3 MiB}. */
    public static String bytes(double bytes) {
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0
                ? String.format(Locale.ROOT, "%.0f %s", value, BYTE_UNITS[unit])
                : String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
    }

    public static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** {@code h:mm:ss}, or {@code m:ss} under an hour. */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long hours = seconds / 3600;
        long minutes = (seconds % 3600) / 60;
        long rest = seconds % 60;
        return hours > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, rest)
                : String.format(Locale.ROOT, "%d:%02d", minutes, rest);
    }

    /** Amount in the snapshot's unit: bytes shown as sizes, records as counts. */
    public static String amount(long amount, String unit) {
        return unit.equals("bytes") ? bytes((double) amount) : count(amount) + " " + unit;
    }

    /** A rate or other fractional amount in the snapshot's unit, as {@link #amount(long, String)}. */
    public static String amount(double amount, String unit) {
        return unit.equals("bytes") ? bytes(amount) : count(Math.round(amount)) + " " + unit;
    }
}
