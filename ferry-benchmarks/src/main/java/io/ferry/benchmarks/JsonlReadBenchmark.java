package io.ferry.benchmarks;

import io.ferry.files.JsonlSource;
import io.ferry.files.LinePosition;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a whole uncompressed JSONL file of 1 KiB lines through {@link JsonlSource} as the export
 * engine does (plan, open the split, read batches to the end). The file is written once per trial
 * and read from the page cache. The score is milliseconds per file of {@code fileMiB} MiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class JsonlReadBenchmark {
    /** The file's size in MiB; {@code 1024} lines per MiB. */
    @Param("256")
    public int fileMiB;

    private Path directory = Path.of("unset");
    private Path file = Path.of("unset");
    private long records;

    @Setup
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("ferry-jsonl-bench");
        file = directory.resolve("events.jsonl");
        EventLines.writeFile(file, lines(), 7);
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }

    /** Reads the file to its end; returns the value bytes read. */
    @Benchmark
    public long readWholeFile() {
        long bytes = 0;
        long count = 0;
        try (JsonlSource source = new JsonlSource(file)) {
            Split split = source.plan().get(0);
            try (SourceReader<LinePosition> reader = source.open(split, Optional.empty())) {
                ReadBatch batch;
                do {
                    batch = reader.read(Duration.ofSeconds(1));
                    List<Record> batchRecords = batch.records();
                    for (Record record : batchRecords) {
                        byte[] value = record.value();
                        bytes += value == null ? 0 : value.length;
                    }
                    count += batchRecords.size();
                } while (!batch.end());
            }
        }
        records = count;
        return bytes;
    }

    long lines() {
        return fileMiB * (1L << 20) / EventLines.LINE_BYTES;
    }

    /** Records the last {@link #readWholeFile()} read. */
    long records() {
        return records;
    }
}
