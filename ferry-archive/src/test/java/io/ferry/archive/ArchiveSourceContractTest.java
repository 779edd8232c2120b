package io.ferry.archive;

import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.Split;
import io.ferry.testing.SourceContractTest;
import io.ferry.testing.TestRecords;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The archive source over a local directory passes the source contract, across several objects. */
class ArchiveSourceContractTest extends SourceContractTest<ArchivePosition> {
    private final Path directory;
    private int archives;

    ArchiveSourceContractTest(@TempDir Path directory) {
        this.directory = directory;
    }

    @Override
    protected boolean hasEmptySplits() {
        return false;
    }

    @Override
    protected Source<ArchivePosition> createSource(List<byte[]> values) {
        LocalDirectoryStore store = new LocalDirectoryStore(directory.resolve("bucket-" + archives++));
        Split split = new Split("events/0", "events", 0);
        ArchiveSink sink = new ArchiveSink(store, "", ArchiveOptions.defaults().withObjectRecords(211));
        try (SinkWriter writer = sink.open(new SinkContext("contract", split, false), Optional.empty())) {
            if (!values.isEmpty()) {
                writer.write(TestRecords.records(split, 0, values));
            }
            writer.flush(true);
        }
        return new ArchiveSource(store, "");
    }
}
