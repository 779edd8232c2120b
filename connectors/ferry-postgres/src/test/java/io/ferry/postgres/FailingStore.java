package io.ferry.postgres;

import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.ObjectUpload;
import io.ferry.archive.store.StoredObject;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/** A store whose uploads fail like a full disk once {@code limit} bytes were written to one object. */
final class FailingStore implements ObjectStore {
    private final ObjectStore delegate;
    private final long limit;

    FailingStore(ObjectStore delegate, long limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public InputStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public ObjectUpload create(String key) {
        ObjectUpload upload = delegate.create(key);
        OutputStream limited = new FilterOutputStream(upload.stream()) {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (written + length > limit) {
                    throw new IOException("No space left on device");
                }
                written += length;
                out.write(bytes, offset, length);
            }
        };
        return new ObjectUpload() {
            @Override
            public OutputStream stream() {
                return limited;
            }

            @Override
            public void commit() {
                upload.commit();
            }

            @Override
            public void abort() {
                upload.abort();
            }

            @Override
            public void close() {
                upload.close();
            }
        };
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public void abortIncompleteUploads(String prefix) {
        delegate.abortIncompleteUploads(prefix);
    }
}
