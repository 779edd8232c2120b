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

class JsonlGzipSourceContractTest extends SourceContractTest<LinePosition> {
    private final Path directory;

    private int files;

    JsonlGzipSourceContractTest(@TempDir Path directory) {
        this.directory = directory;
    }

    @Override
    protected Source<LinePosition> createSource(List<byte[]> values) {
        Path file = directory.resolve("events-" + files++ + ".jsonl.gz");
        return new JsonlSource(TestFiles.gzip(file, TestData.lines(values, true)));
    }

    @Override
    protected Set<ValueKind> supportedValues() {
        return EnumSet.complementOf(EnumSet.of(ValueKind.LINE_FEED));
    }
}
