package io.ferry.cli;

import io.ferry.archive.format.EnvelopeWriter;
import io.ferry.files.LineEncoder;
import io.ferry.spi.record.Record;
import java.io.IOException;
import java.io.OutputStream;

/** Writes each record as a whole archive envelope line, so key, headers and timestamp survive. */
final class EnvelopeLineEncoder implements LineEncoder {
    @Override
    public void encode(Record record, OutputStream out) throws IOException {
        EnvelopeWriter writer = new EnvelopeWriter(out);
        writer.write(record);
        writer.finish();
    }

    @Override
    public String toString() {
        return "envelope";
    }
}
