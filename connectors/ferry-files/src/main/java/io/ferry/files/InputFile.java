package io.ferry.files;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.source.Split;
import java.nio.file.Path;

/** One JSONL file of a source: where it is, the split it is read as, and how it is compressed. */
record InputFile(Path path, Split split, Compression compression) {
    InputFile {
        requireNonNull(path, "path is null");
        requireNonNull(split, "split is null");
        requireNonNull(compression, "compression is null");
    }
}
