package io.ferry.archive;

import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.testing.SinkContractTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The archive sink over a local directory passes the sink contract, with small objects to roll often. */
class ArchiveSinkContractTest extends SinkContractTest {
    private final LocalDirectoryStore store;

    ArchiveSinkContractTest(@TempDir Path directory) {
        this.store = new LocalDirectoryStore(directory);
    }

    @Override
    protected Sink createSink() {
        return new ArchiveSink(store, "exports", ArchiveOptions.defaults().withObjectRecords(137));
    }

    @Override
    protected boolean publishesOnlyOnFlush() {
        return false; // objects are published as they complete; a rewrite from a checkpoint replaces them
    }

    @Override
    protected List<byte[]> readDurableValues(Split split) {
        return readValues(new ArchiveSource(store, "exports"), split);
    }

    static List<byte[]> readValues(ArchiveSource source, Split split) {
        List<byte[]> values = new ArrayList<>();
        if (source.plan().stream()
                .noneMatch(planned -> planned.id().equals(split.stream() + "/" + split.partition()))) {
            return values;
        }
        Split archived = new Split(split.stream() + "/" + split.partition(), split.stream(), split.partition());
        try (SourceReader<ArchivePosition> reader = source.open(archived, Optional.empty())) {
            while (true) {
                ReadBatch batch = reader.read(Duration.ofSeconds(1));
                for (Record record : batch.records()) {
                    values.add(record.value());
                }
                if (batch.end()) {
                    return values;
                }
            }
        }
    }
}
