package io.ferry.files;

import io.ferry.spi.record.Record;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns a record into one line of a JSONL file: {@link #raw()} writes the value as it is; an
 * envelope encoder (key, headers, coordinates as JSON) can be passed to {@link JsonlSink} instead.
 */
@FunctionalInterface
public interface LineEncoder {
    /**
     * Writes {@code record} as one line, including its line feed (or, as the record says, none).
     * Throws {@link io.ferry.spi.error.FerryException} for a record it cannot write.
     */
    void encode(Record record, OutputStream out) throws IOException;

    /**
     * The value bytes followed by a line feed; a null value is an empty line; no line feed after a
     * record carrying {@link LineTerminator#HEADER} = {@link LineTerminator#NONE}. Refuses a value
     * containing a line feed, which would come back as two records.
     */
    static LineEncoder raw() {
        return RawLineEncoder.INSTANCE;
    }
}
