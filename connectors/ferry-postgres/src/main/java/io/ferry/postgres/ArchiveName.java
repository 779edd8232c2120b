package io.ferry.postgres;

import io.ferry.archive.format.Compression;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * File names of the original service: {@code <task>-YYYY_MM_DD-HH_MM_SS_AM.csv.gz} (12-hour clock;
 * {@code .csv.zst} or {@code .csv} for the other compressions). A name already taken gets {@code -2},
 * {@code -3}... before {@code .csv}, so nothing is ever overwritten.
 */
final class ArchiveName {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy_MM_dd-hh_mm_ss_a", Locale.ROOT);

    private ArchiveName() {}

    /** The {@code attempt}-th candidate name (1 is the plain name). */
    static String of(String task, ZonedDateTime time, Compression compression, int attempt) {
        String stamp = TIME.format(time).toUpperCase(Locale.ROOT);
        return task + "-" + stamp + (attempt <= 1 ? "" : "-" + attempt) + ".csv" + compression.suffix();
    }
}
