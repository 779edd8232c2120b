package io.ferry.s3;

import io.ferry.archive.ArchiveOptions;
import io.ferry.archive.ArchiveSink;
import io.ferry.archive.format.Compression;
import io.ferry.spi.record.Record;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.source.Split;
import io.ferry.testing.SinkContractTest;
import io.ferry.testing.TestingS3;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The sink contract for the archive written to S3, with 5 MiB parts so large objects go multipart. */
class ArchiveSinkOverS3ContractIT extends SinkContractTest {
    private static TestingS3 s3;

    private S3ObjectStore store;

    @BeforeAll
    static void startS3() {
        s3 = TestingS3.start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @BeforeEach
    void openStore() {
        store = S3ObjectStore.open(
                new S3Location(TestingStores.newBucket(s3), "contract"),
                TestingStores.settings(s3).withPartSizeBytes(5L << 20));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Override
    protected Sink createSink() {
        // Default object size, so objects end only on a forced flush: the archive commits an object
        // that reaches the size limit during write(), before any flush, which the close-without-flush
        // tests would see. Gzip level 1 keeps objects larger than one 5 MiB part.
        return new ArchiveSink(
                store,
                "archive",
                new ArchiveOptions(Compression.GZIP, 1, ArchiveOptions.DEFAULT_OBJECT_SIZE_BYTES, Long.MAX_VALUE));
    }

    @Override
    protected List<byte[]> readDurableValues(Split split) {
        return TestingStores.readArchive(store, "archive", split).stream()
                .map(Record::value)
                .toList();
    }
}
