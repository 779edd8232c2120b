package io.ferry.files;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.ferry.spi.record.Header;
import io.ferry.spi.record.Record;
import java.util.Arrays;

/**
 * The header that marks a file's last line when it had no line feed, so the file can be written
 * back byte for byte. Lines that end with a line feed carry no such header.
 */
public final class LineTerminator {
    /** Header name; appears at most once, on the last record of a file. */
    public static final String HEADER = "ferry.line-terminator";

    /** Header value: the line had no line feed after it. */
    public static final String NONE = "none";

    private static final byte[] NONE_BYTES = NONE.getBytes(US_ASCII);

    private LineTerminator() {}

    /** A new header saying the line had no terminator. */
    public static Header noneHeader() {
        return new Header(HEADER, NONE_BYTES.clone());
    }

    /** Whether {@code record} carries {@code ferry.line-terminator=none}. */
    public static boolean isUnterminated(Record record) {
        for (Header header : record.headers()) {
            if (header.name().equals(HEADER) && Arrays.equals(header.value(), NONE_BYTES)) {
                return true;
            }
        }
        return false;
    }
}
