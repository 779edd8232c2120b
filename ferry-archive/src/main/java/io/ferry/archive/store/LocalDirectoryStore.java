package io.ferry.archive.store;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An object store over a local directory: a key is a relative path. Uploads go to a hidden temp
 * file ({@code .<name>.<random>.tmp}) next to their target and are renamed into place atomically on
 * commit, after the file and then its directory are forced to disk.
 */
public final class LocalDirectoryStore implements ObjectStore {
    private static final String TEMP_SUFFIX = ".tmp";
    private static final int WRITE_BUFFER_BYTES = 64 * 1024;

    private final Path root;

    public LocalDirectoryStore(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return "dir:" + root;
    }

    @Override
    public List<StoredObject> list(String prefix) {
        requireNonNull(prefix, "prefix is null");
        List<StoredObject> objects = new ArrayList<>();
        for (Path file : filesUnder(prefix)) {
            if (isTempFile(file)) {
                continue;
            }
            String key = keyOf(file);
            if (key.startsWith(prefix)) {
                try {
                    objects.add(new StoredObject(key, Files.size(file)));
                } catch (NoSuchFileException e) {
                    // deleted while listing: not part of the listing
                } catch (IOException e) {
                    throw ioError("read the size of", file, e);
                }
            }
        }
        objects.sort(Comparator.comparing(StoredObject::key));
        return objects;
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        Path file = resolve(key);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Optional.of(new StoredObject(key, Files.size(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ioError("read the size of", file, e);
        }
    }

    @Override
    public InputStream open(String key) {
        Path file = resolve(key);
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new FerryException(
                    StandardErrorCode.NOT_FOUND,
                    "object '" + key + "' does not exist in " + describe()
                            + "; check the prefix, or run 'ferry verify' to check the archive",
                    e);
        } catch (IOException e) {
            throw ioError("open", file, e);
        }
    }

    @Override
    public ObjectUpload create(String key) {
        return upload(key, true);
    }

    @Override
    public ObjectUpload createNew(String key) {
        return upload(key, false);
    }

    private ObjectUpload upload(String key, boolean replace) {
        Path target = resolve(key);
        Path directory = requireNonNull(target.getParent(), "a key always has a parent directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw ioError("create the directory", directory, e);
        }
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Path temp = directory.resolve("." + target.getFileName() + "." + random + TEMP_SUFFIX);
        try {
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            return new FileUpload(channel, temp, target, replace);
        } catch (IOException e) {
            throw ioError("create the temporary file", temp, e);
        }
    }

    @Override
    public void delete(String key) {
        Path file = resolve(key);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw ioError("delete", file, e);
        }
    }

    @Override
    public void abortIncompleteUploads(String prefix) {
        requireNonNull(prefix, "prefix is null");
        for (Path file : filesUnder(prefix)) {
            if (isTempFile(file) && targetKeyOfTemp(file).startsWith(prefix)) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw ioError("delete the incomplete upload", file, e);
                }
            }
        }
    }

    /** Every regular file in the deepest directory that contains all keys starting with prefix. */
    private List<Path> filesUnder(String prefix) {
        int slash = prefix.lastIndexOf('/');
        Path directory = slash < 0 ? root : resolveDirectory(prefix.substring(0, slash));
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return List.of();
            }
            IOException cause = e.getCause();
            throw ioError("list", directory, cause == null ? new IOException(e) : cause);
        } catch (IOException e) {
            throw ioError("list", directory, e);
        }
    }

    private String keyOf(Path file) {
        Path relative = root.relativize(file);
        StringBuilder key = new StringBuilder();
        for (Path part : relative) {
            if (!key.isEmpty()) {
                key.append('/');
            }
            key.append(part);
        }
        return key.toString();
    }

    private static boolean isTempFile(Path file) {
        String name = String.valueOf(file.getFileName());
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    /** The key a temp file was going to be committed under: {@code .<name>.<random>.tmp -> name}. */
    private String targetKeyOfTemp(Path temp) {
        String name = String.valueOf(temp.getFileName());
        String withoutSuffix = name.substring(1, name.length() - TEMP_SUFFIX.length());
        int dot = withoutSuffix.lastIndexOf('.');
        String target = dot < 0 ? withoutSuffix : withoutSuffix.substring(0, dot);
        Path parent = requireNonNull(temp.getParent(), "a file under the root has a parent");
        return parent.equals(root) ? target : keyOf(parent) + "/" + target;
    }

    private Path resolve(String key) {
        requireNonNull(key, "key is null");
        if (key.isEmpty() || key.endsWith("/")) {
            throw new IllegalArgumentException("object key must name a file, got '" + key + "'");
        }
        return resolveDirectory(key);
    }

    private Path resolveDirectory(String relative) {
        if (relative.startsWith("/") || relative.contains("\\")) {
            throw new IllegalArgumentException(
                    "object key must be relative and use '/' separators, got '" + relative + "'");
        }
        for (String part : relative.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException(
                        "object key must not contain empty, '.' or '..' segments, got '" + relative + "'");
            }
        }
        return root.resolve(relative);
    }

    private static FerryException ioError(String action, Path path, IOException cause) {
        return new FerryException(
                StandardErrorCode.IO_ERROR,
                "could not " + action + " '" + path + "': " + cause
                        + "; check that the disk is writable and has space, then re-run (the job resumes)",
                cause);
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms (Windows) refuse to open or force a directory; the rename is still atomic
        }
    }

    private static final class FileUpload implements ObjectUpload {
        private final FileChannel channel;
        private final Path temp;
        private final Path target;
        private final boolean replace;
        private final ChannelOutputStream stream;
        private boolean finished;

        FileUpload(FileChannel channel, Path temp, Path target, boolean replace) {
            this.channel = channel;
            this.temp = temp;
            this.target = target;
            this.replace = replace;
            this.stream = new ChannelOutputStream(channel, temp);
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public void commit() {
            if (finished) {
                throw new IllegalStateException("upload of '" + target + "' is already committed or aborted");
            }
            try {
                stream.drain();
                channel.force(true);
                channel.close();
                if (replace) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    publishNew();
                }
            } catch (FileAlreadyExistsException e) {
                abort();
                throw ObjectUpload.keyTaken(target.toString(), e);
            } catch (DirectoryNotEmptyException e) {
                abort();
                throw ioError("replace (a directory is in the way)", target, e);
            } catch (IOException e) {
                abort();
                throw ioError("commit the upload", target, e);
            }
            finished = true;
            forceDirectory(requireNonNull(target.getParent(), "target has a parent"));
        }

        /**
         * Publishes the temporary file under the target name only if nothing is there: a hard link
         * fails atomically when the name exists (a rename would replace it). Where the file system has
         * no hard links, a check and a rename, which leave a short window.
         */
        private void publishNew() throws IOException {
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException exists) {
                    throw exists;
                }
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            try {
                Files.delete(temp);
            } catch (IOException e) {
                // published all the same; the leftover temporary name is never listed as an object
            }
        }

        @Override
        public void abort() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                channel.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw ioError("delete the aborted upload", temp, e);
            }
        }

        @Override
        public void close() {
            abort();
        }
    }

    /** Buffers writes to a channel; {@link #close()} only drains, committing is the upload's job. */
    private static final class ChannelOutputStream extends OutputStream {
        private final FileChannel channel;
        private final Path path;
        private final ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER_BYTES);

        ChannelOutputStream(FileChannel channel, Path path) {
            this.channel = channel;
            this.path = path;
        }

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length >= buffer.capacity()) {
                drain();
                writeFully(ByteBuffer.wrap(bytes, offset, length));
                return;
            }
            if (length > buffer.remaining()) {
                drain();
            }
            buffer.put(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            drain();
        }

        @Override
        public void close() throws IOException {
            if (channel.isOpen()) {
                drain();
            }
        }

        void drain() throws IOException {
            buffer.flip();
            writeFully(buffer);
            buffer.clear();
        }

        private void writeFully(ByteBuffer source) throws IOException {
            if (!channel.isOpen()) {
                throw new IOException("upload to '" + path + "' is already committed or aborted");
            }
            while (source.hasRemaining()) {
                channel.write(source);
            }
        }
    }
}
