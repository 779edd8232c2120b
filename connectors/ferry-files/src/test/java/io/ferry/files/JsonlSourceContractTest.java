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

class JsonlSourceContractTest extends SourceContractTest<LinePosition> {
    private final Path directory;

    private int files;

    JsonlSourceContractTest(@TempDir Path directory) {
        this.directory = directory;
    }

    @Override
    protected Source<LinePosition> createSource(List<byte[]> values) {
        Path file = directory.resolve("events-" + files++ + ".jsonl");
        return new JsonlSource(TestData.writeLines(file, values, true));
    }

    @Override
    protected Set<ValueKind> supportedValues() {
        return EnumSet.complementOf(EnumSet.of(ValueKind.LINE_FEED));
    }

    @Override
    protected List<String> malformedPositions() {
        return List.of("", "garbage", "b=;l=", "b=1;l=", "b=-1;l=0", "b=1;l=2", "l=1;b=2", "b=1;l=1;x=2", "b=1e3;l=1");
    }
}
