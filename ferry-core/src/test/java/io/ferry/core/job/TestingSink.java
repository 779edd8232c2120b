package io.ferry.core.job;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An in-memory destination that makes records durable in groups of {@code durableEvery} (as an
 * object store completes objects), loses what is not durable when closed, truncates to the
 * checkpointed state when reopened, and can fail on a chosen record. {@link #durable} is the "remote system": it outlives writers and runs.
 */
class TestingSink implements Sink {
    final Map<String, List<String>> durable = new ConcurrentHashMap<>();
    private final String id;
    private final int durableEvery;
    volatile long failAtOffset = -1;
    volatile Consumer<Record> onWrite = record -> {};

    TestingSink(String id, int durableEvery) {
        this.id = id;
        this.durableEvery = durableEvery;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SinkWriter open(SinkContext context, Optional<String> state) {
        List<String> target = durable.computeIfAbsent(context.split().id(), key -> new ArrayList<>());
        // As the Sink contract asks: whatever lies beyond the checkpointed state is discarded.
        int keep = state.map(text -> Integer.parseInt(text.substring(2))).orElse(0);
        synchronized (target) {
            target.subList(keep, target.size()).clear();
        }
        return new SinkWriter() {
            private final List<Record> pending = new ArrayList<>();
            private WriteReceipt receipt = WriteReceipt.nothingDurable("");

            @Override
            public void write(List<Record> records) {
                for (Record record : records) {
                    if (record.offset() == failAtOffset) {
                        throw new FerryException(StandardErrorCode.IO_ERROR, "injected failure at " + record.from());
                    }
                    onWrite.accept(record);
                    pending.add(record);
                    if (pending.size() >= durableEvery) {
                        publish();
                    }
                }
            }

            @Override
            public WriteReceipt flush(boolean force) {
                if (force) {
                    publish();
                }
                return receipt;
            }

            private void publish() {
                if (pending.isEmpty()) {
                    return;
                }
                synchronized (target) {
                    for (Record record : pending) {
                        target.add(new String(record.value(), UTF_8));
                    }
                }
                Record last = pending.get(pending.size() - 1);
                receipt = WriteReceipt.durableThrough(last.offset(), last.position(), "n=" + target.size());
                pending.clear();
            }

            @Override
            public void close() {
                pending.clear();
            }
        };
    }
}
