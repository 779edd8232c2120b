package io.ferry.files;

import com.github.luben.zstd.ZstdOutputStream;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/** Writing compressed test files and reading sources to the end, for this module's tests. */
final class TestFiles {
    private TestFiles() {}

    static Path gzip(Path file, byte[] content) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Path zstd(Path file, byte[] content) {
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static List<Record> readAll(Source<LinePosition> source, Split split, Optional<LinePosition> after) {
        List<Record> records = new ArrayList<>();
        try (SourceReader<LinePosition> reader = source.open(split, after)) {
            ReadBatch batch;
            do {
                batch = reader.read(Duration.ZERO);
                records.addAll(batch.records());
            } while (!batch.end());
        }
        return records;
    }

    static List<Record> readAll(Source<LinePosition> source) {
        List<Record> records = new ArrayList<>();
        for (Split split : source.plan()) {
            records.addAll(readAll(source, split, Optional.empty()));
        }
        return records;
    }

    /** The message of {@code error}, never null. */
    static String message(Throwable error) {
        return String.valueOf(error.getMessage());
    }

    static List<byte[]> values(List<Record> records) {
        return records.stream()
                .map(record -> record.value() == null ? new byte[0] : record.value())
                .toList();
    }
}
