package io.ferry.files;

import io.ferry.spi.sink.Sink;
import io.ferry.spi.source.Split;
import io.ferry.testing.SinkContractTest;
import io.ferry.testing.ValueKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkContractTest extends SinkContractTest {
    private final Path directory;

    JsonlSinkContractTest(@TempDir Path directory) {
        this.directory = directory;
    }

    @Override
    protected Sink createSink() {
        return new JsonlSink(directory.resolve("out"), false);
    }

    @Override
    protected List<byte[]> readDurableValues(Split split) {
        Path file = directory.resolve("out").resolve(split.stream() + ".jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        return TestFiles.values(TestFiles.readAll(new JsonlSource(file)));
    }

    @Override
    protected Set<ValueKind> supportedValues() {
        return EnumSet.complementOf(EnumSet.of(ValueKind.LINE_FEED));
    }
}
