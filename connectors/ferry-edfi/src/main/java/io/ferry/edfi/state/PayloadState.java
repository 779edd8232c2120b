package io.ferry.edfi.state;

import io.ferry.edfi.EdFiErrorCode;
import io.ferry.spi.error.FerryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The send state of one resource: for each payload hash, the time and status of its last answer.
 * Kept in {@code {state_dir}/{resource}.hashlog}, one line {@code <md5> <epoch-second> <status>} per
 * answer (a status of {@code -} forgets the payload). Every change is appended with one write to the
 * operating system as it happens, so a killed process loses nothing that was answered; a torn last
 * line is ignored. {@link #close()} compacts the file to one line per payload. Thread-safe.
 */
public final class PayloadState implements AutoCloseable {
    public static final String SUFFIX = ".hashlog";

    private final @Nullable Path file;
    private final Map<PayloadHash, SentRecord> records;
    private @Nullable FileChannel log;
    private long appended;

    private PayloadState(@Nullable Path file, Map<PayloadHash, SentRecord> records) {
        this.file = file;
        this.records = records;
    }

    /** State that remembers nothing between runs: when the YAML file has no state_dir. */
    public static PayloadState untracked() {
        return new PayloadState(null, new HashMap<>());
    }

    public static PayloadState open(Path stateDir, String resource) {
        Path file = stateDir.resolve(resource + SUFFIX);
        Map<PayloadHash, SentRecord> records = new HashMap<>();
        try {
            Files.createDirectories(stateDir);
            if (Files.exists(file)) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        apply(records, line);
                    }
                }
            }
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.STATE_ERROR,
                    "cannot read the send state " + file + ": " + e.getMessage() + "; check state_dir",
                    e);
        }
        return new PayloadState(file, records);
    }

    private static void apply(Map<PayloadHash, SentRecord> records, String line) {
        String[] parts = line.strip().split(" ", -1);
        if (parts.length != 3) {
            return;
        }
        try {
            PayloadHash hash = PayloadHash.parse(parts[0]);
            if (parts[2].equals("-")) {
                records.remove(hash);
            } else {
                records.put(hash, new SentRecord(Long.parseLong(parts[1]), Integer.parseInt(parts[2])));
            }
        } catch (IllegalArgumentException e) {
            // A line torn by a crash mid-write: the answer it was recording is treated as never received.
        }
    }

    public boolean isTracked() {
        return file != null;
    }

    public synchronized Optional<SentRecord> find(PayloadHash hash) {
        return Optional.ofNullable(records.get(hash));
    }

    public synchronized int size() {
        return records.size();
    }

    /** Records the answer to a payload, durably against a crash of this process before returning. */
    public synchronized void record(PayloadHash hash, SentRecord record) {
        records.put(hash, record);
        append(hash.hex() + " " + record.epochSecond() + " " + record.status() + "\n");
    }

    /** Forgets a payload (it was deleted from the API). */
    public synchronized void forget(PayloadHash hash) {
        if (records.remove(hash) != null) {
            append(hash.hex() + " 0 -\n");
        }
    }

    /** Forgets every payload (the resource was truncated). */
    public synchronized void clear() {
        records.clear();
        if (file != null) {
            closeLog();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new FerryException(EdFiErrorCode.STATE_ERROR, "cannot delete the send state " + file, e);
            }
        }
    }

    private void append(String line) {
        if (file == null) {
            return;
        }
        try {
            if (log == null) {
                log = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                log.write(bytes);
            }
            appended++;
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.STATE_ERROR, "cannot write the send state " + file + ": " + e.getMessage(), e);
        }
    }

    private void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                // Every line was already written to the operating system; closing adds nothing to lose.
            }
            log = null;
        }
    }

    /** Compacts the file to one line per payload (atomically) and closes it. */
    @Override
    public synchronized void close() {
        closeLog();
        if (file == null || appended == 0) {
            return;
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
                for (Map.Entry<PayloadHash, SentRecord> entry : records.entrySet()) {
                    writer.write(entry.getKey().hex() + " " + entry.getValue().epochSecond() + " "
                            + entry.getValue().status() + "\n");
                }
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FerryException(
                    EdFiErrorCode.STATE_ERROR, "cannot compact the send state " + file + ": " + e.getMessage(), e);
        }
    }
}
