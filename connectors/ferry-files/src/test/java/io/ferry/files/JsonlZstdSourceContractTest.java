package io.ferry.files;

import io.ferry.spi.source.Source;
import io.ferry.testing.SourceContractTest;
import io.ferry.testing.TestData;
import io.ferry.testing.ValueKind;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/** Also covers a last line without a line feed. */
class JsonlZstdSourceContractTest extends SourceContractTest<LinePosition> {
    private final Path directory;

    private int files;

    JsonlZstdSourceContractTest(@TempDir Path directory) {
        this.directory = directory;
    }

    @Override
    protected Source<LinePosition> createSource(List<byte[]> values) {
        Path file = directory.resolve("events-" + files++ + ".ndjson.zst");
        return new JsonlSource(TestFiles.zstd(file, TestData.lines(values, false)));
    }

    @Override
    protected Set<ValueKind> supportedValues() {
        return EnumSet.complementOf(EnumSet.of(ValueKind.LINE_FEED));
    }
}
