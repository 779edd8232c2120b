package io.ferry.files;

import static io.ferry.spi.error.StandardErrorCode.IO_ERROR;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes lines to a stream that cannot be rewound (standard output). Lines are published in whole
 * chunks of whole lines, so writers of several splits sharing the stream never interleave within a
 * line. Durable means flushed to the stream; what was published cannot be taken back.
 */
final class JsonlStreamWriter implements SinkWriter {
    static final String STATE = "stream";

    private static final int PUBLISH_BYTES = 1 << 20;

    private final OutputStream out; // shared; publishing locks it
    private final String name;
    private final LineEncoder encoder;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(PUBLISH_BYTES + 64 * 1024);
    private long published;
    private long flushed;
    private long lastSyncNanos = System.nanoTime();
    private long lastOffset = -1;
    private @Nullable Position lastPosition;
    private WriteReceipt receipt = WriteReceipt.nothingDurable(STATE);
    private boolean closed;

    JsonlStreamWriter(OutputStream out, String name, LineEncoder encoder) {
        this.out = out;
        this.name = name;
        this.encoder = encoder;
    }

    @Override
    public void write(List<Record> records) {
        if (closed) {
            throw new IllegalStateException("writer for " + name + " is closed");
        }
        try {
            for (Record record : records) {
                encoder.encode(record, pending);
                lastOffset = record.offset();
                lastPosition = record.position();
                if (pending.size() >= PUBLISH_BYTES) {
                    publish();
                }
            }
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot write to " + name + ": " + e, e);
        }
    }

    @Override
    public WriteReceipt flush(boolean force) {
        if (closed) {
            throw new IllegalStateException("writer for " + name + " is closed");
        }
        long waiting = published + pending.size() - flushed;
        if (!force
                && (waiting == 0
                        || (waiting < JsonlFileWriter.SYNC_BYTES
                                && System.nanoTime() - lastSyncNanos < JsonlFileWriter.SYNC_INTERVAL_NANOS))) {
            return receipt;
        }
        try {
            publish();
            synchronized (out) {
                out.flush();
            }
        } catch (IOException e) {
            throw new FerryException(IO_ERROR, "cannot write to " + name + ": " + e, e);
        }
        flushed = published;
        lastSyncNanos = System.nanoTime();
        Position position = lastPosition;
        receipt = position == null
                ? WriteReceipt.nothingDurable(STATE)
                : WriteReceipt.durableThrough(lastOffset, position, STATE);
        return receipt;
    }

    /** Drops lines not yet published; the stream itself stays open (it is the caller's). */
    @Override
    public void close() {
        closed = true;
        pending.reset();
    }

    private void publish() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        synchronized (out) {
            pending.writeTo(out);
        }
        published += pending.size();
        pending.reset();
    }
}
