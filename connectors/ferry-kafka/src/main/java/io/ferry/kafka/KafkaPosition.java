package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.CANNOT_RESUME;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a reader of one topic partition stands: just after the record at {@code offset}. Reading
 * resumes at {@code resumeFrom}, which is {@code offset + 1} unless chunks of records not yet
 * returned lie before (only when another writer's events are interleaved with a chunked record);
 * chunks before {@code offset + 1} whose first chunk was not seen again then belong to records
 * already returned and are skipped.
 *
 * <p>Encoded as {@code o=<offset>}, or {@code o=<offset>,r=<resumeFrom>} when they differ.
 */
public record KafkaPosition(long offset, long resumeFrom) implements Position {
    private static final Pattern ENCODED = Pattern.compile("o=(\\d{1,18})(?:,r=(\\d{1,18}))?");

    public KafkaPosition {
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        if (resumeFrom < 0 || resumeFrom > offset + 1) {
            throw new IllegalArgumentException(
                    "resumeFrom must be between 0 and offset + 1 (" + (offset + 1) + "), got " + resumeFrom);
        }
    }

    /** Just after the record at {@code offset}, with nothing to read again. */
    public KafkaPosition(long offset) {
        this(offset, offset + 1);
    }

    @Override
    public String encode() {
        return resumeFrom == offset + 1 ? "o=" + offset : "o=" + offset + ",r=" + resumeFrom;
    }

    /** Decodes {@link #encode()}; anything else is a {@link FerryException} with {@code CANNOT_RESUME}. */
    public static KafkaPosition decode(String where, String encoded) {
        Matcher matcher = ENCODED.matcher(encoded);
        if (!matcher.matches()) {
            throw new FerryException(
                    CANNOT_RESUME,
                    "the checkpoint of " + where + " holds '" + printable(encoded)
                            + "', which is not a Kafka position (expected o=<offset> or o=<offset>,r=<offset>);"
                            + " the state store belongs to another source or is damaged: start a new job");
        }
        long offset = Long.parseLong(matcher.group(1));
        String resume = matcher.group(2);
        long resumeFrom = resume == null ? offset + 1 : Long.parseLong(resume);
        if (resumeFrom > offset + 1) {
            throw new FerryException(
                    CANNOT_RESUME,
                    "the checkpoint of " + where + " holds '" + encoded + "': resuming at " + resumeFrom
                            + " is after offset " + offset + " + 1; the state store is damaged: start a new job");
        }
        return new KafkaPosition(offset, resumeFrom);
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.length() > 64 ? out + "..." : out.toString();
    }
}
