package io.ferry.core.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive OS file lock that names its owner inside the file. The operating system releases it
 * when the holding process dies, however it dies, so a crashed run never leaves a stale lock.
 */
final class FileLease implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private FileLease(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lease on {@code file} for {@code owner}, or returns the current owner's name. */
    static Result tryAcquire(Path file, String owner) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return new Result(
                    Optional.empty(),
                    Files.readString(file, StandardCharsets.UTF_8).trim());
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
        return new Result(Optional.of(new FileLease(channel, lock)), owner);
    }

    /** The lease when taken, else who holds it ("" when unknown). */
    record Result(Optional<FileLease> lease, String owner) {}

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
