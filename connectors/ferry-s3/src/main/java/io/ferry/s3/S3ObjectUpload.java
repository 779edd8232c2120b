package io.ferry.s3;

import static java.util.Objects.requireNonNull;

import io.ferry.archive.store.ObjectUpload;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One object being written: bytes fill a part buffer; each full part is uploaded in the background
 * once fewer than {@code partsInFlight} parts are in flight (the writer waits otherwise), so the
 * upload holds at most {@code partsInFlight + 1} part buffers whatever the object's size. An object
 * that fits in one part is sent with a single PUT on commit. Used by one thread; only the part
 * uploads run elsewhere.
 */
final class S3ObjectUpload implements ObjectUpload {
    private static final Logger log = LoggerFactory.getLogger(S3ObjectUpload.class);
    private static final int FIRST_BUFFER_BYTES = 64 * 1024;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private enum State {
        OPEN,
        COMMITTED,
        ABORTED
    }

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final String url;
    private final int partSize;
    private final int partsInFlight;
    private final Executor executor;
    private final Semaphore inFlight;
    private final Queue<byte[]> freeBuffers = new ConcurrentLinkedQueue<>();
    private final Queue<CompletedPart> completedParts = new ConcurrentLinkedQueue<>();
    private final AtomicReference<@Nullable FerryException> partFailure = new AtomicReference<>();
    private final PartStream stream = new PartStream();
    private final @Nullable ConditionalWrites conditional; // null: a commit replaces any object under the key

    private State state = State.OPEN;
    private @Nullable String uploadId;
    private byte[] buffer = new byte[0];
    private int count;
    private int nextPartNumber = 1;
    private long allocatedBytes;
    private long peakAllocatedBytes;

    S3ObjectUpload(
            S3Client client,
            String bucket,
            String key,
            String url,
            S3Settings settings,
            Executor executor,
            @Nullable ConditionalWrites conditional) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.url = url;
        this.partSize = Math.toIntExact(settings.partSizeBytes());
        this.partsInFlight = settings.partsInFlight();
        this.executor = executor;
        this.inFlight = new Semaphore(partsInFlight);
        this.conditional = conditional;
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public void commit() {
        if (state != State.OPEN) {
            throw new IllegalStateException("upload of '" + url + "' is already committed or aborted");
        }
        try {
            String id = uploadId;
            if (id == null) {
                putWholeObject();
            } else {
                throwPartFailure();
                submitPart();
                awaitParts();
                throwPartFailure();
                List<CompletedPart> parts = completedParts.stream()
                        .sorted(Comparator.comparing(CompletedPart::partNumber))
                        .toList();
                completeUpload(id, parts);
            }
        } catch (SdkException e) {
            abort();
            throw S3ObjectStore.failure("complete the upload of", url, e);
        } catch (IOException e) {
            abort();
            throw new FerryException(
                    StandardErrorCode.IO_ERROR,
                    "could not complete the upload of " + url + ": " + e.getMessage()
                            + "; re-run (the job resumes from its last checkpoint)",
                    e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        state = State.COMMITTED;
        releaseBuffers();
    }

    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        awaitPartsUninterruptibly();
        String id = uploadId;
        if (id != null) {
            try {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
            } catch (SdkException e) {
                // harmless until the next run's abortIncompleteUploads (or a lifecycle rule) removes it
                log.warn(
                        "Could not abort the multipart upload {} of {}; the next run of the job removes it: {}",
                        id,
                        url,
                        e.getMessage());
            }
        }
        releaseBuffers();
    }

    @Override
    public void close() {
        abort();
    }

    /** The most bytes of part buffers this upload has held at once. */
    long peakBufferedBytes() {
        return peakAllocatedBytes;
    }

    private void putWholeObject() throws IOException {
        byte[] bytes = buffer;
        int length = count;
        boolean createOnly = createOnly();
        try {
            client.putObject(
                    b -> {
                        b.bucket(bucket).key(key).contentLength((long) length);
                        if (createOnly) {
                            b.ifNoneMatch("*");
                        }
                    },
                    RequestBody.fromContentProvider(
                            () -> new ByteArrayInputStream(bytes, 0, length), length, CONTENT_TYPE));
        } catch (S3Exception e) {
            if (createOnly && ConditionalWrites.isConflict(e)) {
                if (storedBytesEqual(bytes, length)) {
                    return; // this very PUT: it landed, its answer was lost, and the SDK sent it again
                }
                throw ObjectUpload.keyTaken(url, e);
            }
            if (createOnly && requireNonNull(conditional).unsupported(e, url)) {
                putWholeObject();
                return;
            }
            throw e;
        }
    }

    private void completeUpload(String id, List<CompletedPart> parts) {
        boolean createOnly = createOnly();
        try {
            client.completeMultipartUpload(b -> {
                b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts));
                if (createOnly) {
                    b.ifNoneMatch("*");
                }
            });
        } catch (S3Exception e) {
            boolean conflict = createOnly && ConditionalWrites.isConflict(e);
            if (conflict || S3ObjectStore.errorCode(e).equals("NoSuchUpload")) {
                // this very upload, completed by a request whose answer was lost and then sent again?
                String expected = ConditionalWrites.multipartETag(parts);
                if (!expected.isEmpty() && expected.equals(storedETag())) {
                    return;
                }
                if (conflict) {
                    throw ObjectUpload.keyTaken(url, e);
                }
            }
            if (createOnly && requireNonNull(conditional).unsupported(e, url)) {
                completeUpload(id, parts);
                return;
            }
            throw e;
        }
    }

    private boolean createOnly() {
        ConditionalWrites conditions = conditional;
        return conditions != null && conditions.supported();
    }

    /** Whether the object now under the key holds exactly {@code bytes[0, length)}. */
    private boolean storedBytesEqual(byte[] bytes, int length) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in =
                client.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] chunk = new byte[64 * 1024];
            int compared = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (compared + n > length || !Arrays.equals(chunk, 0, n, bytes, compared, compared + n)) {
                    return false;
                }
                compared += n;
            }
            return compared == length;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** The ETag of the object now under the key (see {@link ConditionalWrites#unquoted}); empty if none. */
    private String storedETag() {
        try {
            return ConditionalWrites.unquoted(
                    client.headObject(b -> b.bucket(bucket).key(key)).eTag());
        } catch (NoSuchKeyException e) {
            return "";
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return "";
            }
            throw e;
        }
    }

    /** Hands the buffer to a background upload as the next part, waiting for a free slot first. */
    private void submitPart() throws IOException {
        throwIfPartFailed();
        String id = uploadId;
        if (id == null) {
            try {
                id = client.createMultipartUpload(b -> b.bucket(bucket)
                                .key(key)
                                .contentType(CONTENT_TYPE)
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32))
                        .uploadId();
            } catch (SdkException e) {
                throw new IOException(
                        S3ObjectStore.failure("start a multipart upload of", url, e)
                                .getMessage(),
                        e);
            }
            uploadId = id;
        }
        if (nextPartNumber > S3Settings.MAX_PARTS) {
            throw new IOException(url + " needs more than " + S3Settings.MAX_PARTS + " parts of " + partSize
                    + " bytes, the S3 limit; raise --s3-part-size (example: --s3-part-size 64MiB)");
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to upload a part of " + url);
        }
        String uploadId = id;
        byte[] part = buffer;
        int length = count;
        int number = nextPartNumber++;
        buffer = takeBuffer();
        count = 0;
        try {
            executor.execute(() -> uploadPart(uploadId, number, part, length));
        } catch (RejectedExecutionException e) {
            freeBuffers.add(part);
            inFlight.release();
            throw new IOException("could not upload a part of " + url + ": the store is closed", e);
        }
    }

    private void uploadPart(String id, int number, byte[] part, int length) {
        try {
            UploadPartResponse response = client.uploadPart(
                    b -> b.bucket(bucket)
                            .key(key)
                            .uploadId(id)
                            .partNumber(number)
                            .contentLength((long) length)
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                    RequestBody.fromContentProvider(
                            () -> new ByteArrayInputStream(part, 0, length), length, CONTENT_TYPE));
            completedParts.add(CompletedPart.builder()
                    .partNumber(number)
                    .eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32())
                    .build());
        } catch (SdkException e) {
            FerryException failure = S3ObjectStore.failure("upload part " + number + " of", url, e);
            partFailure.compareAndSet(null, failure);
        } catch (RuntimeException e) { // such as the client closed under the upload
            partFailure.compareAndSet(
                    null,
                    new FerryException(
                            StandardErrorCode.IO_ERROR,
                            "could not upload part " + number + " of " + url + ": " + e
                                    + "; re-run (the job resumes from its last checkpoint)",
                            e));
        } finally {
            freeBuffers.add(part);
            inFlight.release();
        }
    }

    private void throwPartFailure() {
        FerryException failure = partFailure.get();
        if (failure != null) {
            throw failure;
        }
    }

    private void throwIfPartFailed() throws IOException {
        FerryException failure = partFailure.get();
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    /** A full-size buffer: a free one, or a new one (at most {@code partsInFlight + 1} ever exist). */
    private byte[] takeBuffer() {
        byte[] free = freeBuffers.poll();
        return free != null ? free : allocate(partSize);
    }

    private byte[] allocate(int size) {
        allocatedBytes += size;
        peakAllocatedBytes = Math.max(peakAllocatedBytes, allocatedBytes);
        return new byte[size];
    }

    /** Grows the first buffer toward the part size, so a small object does not cost a whole part. */
    private void ensureCapacity(int needed) {
        if (buffer.length >= needed) {
            return;
        }
        int capacity =
                (int) Math.min(partSize, Math.max((long) needed, Math.max(FIRST_BUFFER_BYTES, 2L * buffer.length)));
        byte[] grown = allocate(capacity);
        System.arraycopy(buffer, 0, grown, 0, count);
        allocatedBytes -= buffer.length;
        buffer = grown;
    }

    private void awaitParts() throws IOException {
        try {
            inFlight.acquire(partsInFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the parts of " + url);
        }
        inFlight.release(partsInFlight);
    }

    private void awaitPartsUninterruptibly() {
        inFlight.acquireUninterruptibly(partsInFlight);
        inFlight.release(partsInFlight);
    }

    private void releaseBuffers() {
        buffer = new byte[0];
        count = 0;
        freeBuffers.clear();
        allocatedBytes = 0;
    }

    /** Writes into the part buffer; closing it does not commit. */
    private final class PartStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            ensureWritable();
            if (count == partSize) {
                submitPart();
            }
            ensureCapacity(count + 1);
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            ensureWritable();
            int position = offset;
            int remaining = length;
            while (remaining > 0) {
                if (count == partSize) {
                    submitPart();
                }
                int n = Math.min(remaining, partSize - count);
                ensureCapacity(count + n);
                System.arraycopy(bytes, position, buffer, count, n);
                count += n;
                position += n;
                remaining -= n;
            }
        }

        private void ensureWritable() throws IOException {
            if (state != State.OPEN) {
                throw new IOException("upload of '" + url + "' is already committed or aborted");
            }
            throwIfPartFailed();
        }
    }
}
