package io.ferry.archive;

import io.ferry.archive.store.LocalDirectoryStore;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputProbeTest {
    @Test
    void probe(@TempDir Path root) {
        LocalDirectoryStore store = new LocalDirectoryStore(root);
        Split split = new Split("orders/0", "orders", 0);
        List<Record> batch = TestingRecords.records("orders", 0, 0, 1000, 1, 1000);
        long start = System.nanoTime();
        long bytes = 0;
        try (SinkWriter writer = new ArchiveSink(store, "", ArchiveOptions.defaults()).open(new SinkContext("j", split, false), Optional.empty())) {
            for (int round = 0; round < 300; round++) {
                long base = round * 1000L;
                List<Record> shifted = batch.stream().map(r -> new Record(r.key(), r.value(), r.headers(), r.timestamp(),
                        new io.ferry.spi.record.SourceCoordinates("orders", 0, base + r.offset()), r.position())).toList();
                writer.write(shifted);
                for (Record r : shifted) bytes += r.sizeInBytes();
                writer.flush(false);
            }
            writer.flush(true);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("write: %.1f MB in %.2fs = %.1f MB/s%n", bytes / 1e6, secs, bytes / 1e6 / secs);
        start = System.nanoTime();
        ArchiveSource source = new ArchiveSource(store, "");
        long n = 0;
        try (SourceReader<ArchivePosition> reader = source.open(source.plan().get(0), Optional.empty())) {
            ReadBatch b;
            do { b = reader.read(Duration.ZERO); n += b.records().size(); } while (!b.end());
        }
        secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("read: %d records in %.2fs = %.1f MB/s%n", n, secs, bytes / 1e6 / secs);
        start = System.nanoTime();
        System.out.println(new ArchiveVerifier().verify(store, ""));
        System.out.printf("verify %.2fs%n", (System.nanoTime() - start) / 1e9);
    }
}
