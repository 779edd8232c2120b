package io.ferry.archive;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Locale;

/** What to do with a record that cannot be parsed: stop, skip it, or set it aside in a file. */
public sealed interface BadRecordPolicy {
    /** Stop the split with an error naming the file, line and problem. The default. */
    record Fail() implements BadRecordPolicy {}

    /** Leave the record out and count it. */
    record Skip() implements BadRecordPolicy {}

    /** Append the record, where it came from and why it was refused to a JSONL file, and go on. */
    record DeadLetter(Path file) implements BadRecordPolicy {
        public DeadLetter {
            requireNonNull(file, "file is null");
        }
    }

    /** Parses {@code fail}, {@code skip} or {@code dead-letter=FILE}. */
    static BadRecordPolicy parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("fail")) {
            return new Fail();
        }
        if (lower.equals("skip")) {
            return new Skip();
        }
        if (lower.startsWith("dead-letter=") && text.length() > "dead-letter=".length()) {
            return new DeadLetter(Path.of(text.substring("dead-letter=".length())));
        }
        throw new IllegalArgumentException("--on-bad-record must be fail, skip or dead-letter=FILE, got '" + text
                + "' (example: --on-bad-record dead-letter=rejected.jsonl)");
    }
}
