package io.ferry.cli;

import io.ferry.testing.TestRecords;
import io.ferry.testing.ValueKind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a JSONL stream of the shapes that break naive tools: empty lines, multi-byte UTF-8, bytes
 * that are not UTF-8 at all, CRLF line ends, a few 8 MiB lines, and an unterminated last line.
 */
final class MixedStream {
    private static final ValueKind[] KINDS = {
        ValueKind.JSON_ASCII,
        ValueKind.JSON_ASCII,
        ValueKind.JSON_ASCII,
        ValueKind.EMPTY,
        ValueKind.MULTIBYTE_UTF8,
        ValueKind.INVALID_UTF8,
        ValueKind.TRAILING_CARRIAGE_RETURN
    };

    private MixedStream() {}

    /** Writes {@code records} lines with {@code longLines} of 8 MiB spread among them. */
    static void write(Path file, int records, int longLines, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int spacing = records / (longLines + 1);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int i = 0; i < records; i++) {
                byte[] value = longLines > 0 && i > 0 && i % spacing == 0 && i / spacing <= longLines
                        ? TestRecords.longLine(8 * 1024 * 1024, seed + i)
                        : TestRecords.value(
                                // An empty unterminated last line is no line at all: end on a real one.
                                i == records - 1 ? ValueKind.JSON_ASCII : KINDS[random.nextInt(KINDS.length)], random);
                out.write(value);
                if (i < records - 1) {
                    out.write('\n');
                }
            }
        }
    }
}
