package io.ferry.files;

import static io.ferry.spi.error.StandardErrorCode.BAD_RECORD;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.record.Record;
import java.io.IOException;
import java.io.OutputStream;

/** See {@link LineEncoder#raw()}. */
final class RawLineEncoder implements LineEncoder {
    static final RawLineEncoder INSTANCE = new RawLineEncoder();

    private RawLineEncoder() {}

    @Override
    public void encode(Record record, OutputStream out) throws IOException {
        byte[] value = record.value();
        if (value != null) {
            int lineFeed = LineScanner.indexOfLineFeed(value, 0, value.length);
            if (lineFeed >= 0) {
                throw new FerryException(
                        BAD_RECORD,
                        "record " + record.from() + " has a line feed at byte " + lineFeed + " of its "
                                + value.length + "-byte value, which a raw JSONL line cannot hold; write it to an"
                                + " archive (ferry export) or use the envelope format instead");
            }
            out.write(value);
        }
        if (!LineTerminator.isUnterminated(record)) {
            out.write('\n');
        }
    }

    @Override
    public String toString() {
        return "raw";
    }
}
