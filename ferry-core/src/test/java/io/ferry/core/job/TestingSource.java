package io.ferry.core.job;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An in-memory source: {@code splits} streams of {@code records} records each, value "stream:offset". */
final class TestingSource implements Source<TestingPosition> {
    private final int splits;
    private final int records;
    private final int batchSize;
    final List<Long> acknowledged = new ArrayList<>();

    TestingSource(int splits, int records, int batchSize) {
        this.splits = splits;
        this.records = records;
        this.batchSize = batchSize;
    }

    static String value(String stream, long offset) {
        return stream + ":" + offset;
    }

    @Override
    public String describe() {
        return "testing";
    }

    @Override
    public List<Split> plan() {
        List<Split> plan = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            plan.add(new Split("s" + i + "/0", "s" + i, 0));
        }
        return plan;
    }

    @Override
    public SourceReader<TestingPosition> open(Split split, Optional<TestingPosition> resumeAfter) {
        long start = resumeAfter.map(position -> position.offset() + 1).orElse(0L);
        return new SourceReader<>() {
            private long next = start;

            @Override
            public ReadBatch read(Duration maxWait) {
                List<Record> batch = new ArrayList<>();
                while (batch.size() < batchSize && next < records) {
                    batch.add(Record.ofValue(
                            value(split.stream(), next).getBytes(UTF_8),
                            new SourceCoordinates(split.stream(), 0, next),
                            new TestingPosition(next)));
                    next++;
                }
                return new ReadBatch(batch, next >= records);
            }

            @Override
            public void acknowledge(TestingPosition upTo) {
                synchronized (acknowledged) {
                    acknowledged.add(upTo.offset());
                }
            }

            @Override
            public long progress() {
                return next;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Optional<SplitSize> size(Split split) {
        return Optional.of(new SplitSize(records, SplitSize.Unit.RECORDS));
    }

    @Override
    public TestingPosition decodePosition(Split split, String encoded) {
        return new TestingPosition(Long.parseLong(encoded));
    }
}
