package io.ferry.edfi.data;

import static java.util.Objects.requireNonNull;

import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.api.ApiResource;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The data files of one resource, in the order they are read. */
public record ResourceFiles(ApiResource resource, List<Path> files) {
    public ResourceFiles {
        requireNonNull(resource, "resource is null");
        files = List.copyOf(requireNonNull(files, "files is null"));
    }

    /** The payloads in the files: lines holding anything but blanks (a last line without newline counts). */
    public long payloadLines() {
        long total = 0;
        for (Path file : files) {
            total += payloadLines(file);
        }
        return total;
    }

    private static long payloadLines(Path file) {
        long lines = 0;
        boolean content = false;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        if (content) {
                            lines++;
                        }
                        content = false;
                    } else if (b != ' ' && b != '\r' && b != '\t') {
                        content = true;
                    }
                }
            }
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.BAD_DATA, "cannot read data file " + file + ": " + e.getMessage(), e);
        }
        return content ? lines + 1 : lines;
    }
}
