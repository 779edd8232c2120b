package io.ferry.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ferry.archive.format.CountingOutputStream;
import io.ferry.archive.format.EnvelopeWriter;
import io.ferry.archive.format.Manifest;
import io.ferry.archive.format.ObjectNames;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.ObjectUpload;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Record;
import io.ferry.spi.record.SourceCoordinates;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import io.ferry.spi.sink.WriteReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one split as archive objects. Records stream through the compressor straight into the
 * upload, so memory stays bounded whatever the object size. State is {@code {"lastOffset":N}}: the
 * last offset of the last committed object, which the next object's manifest chains to.
 */
final class ArchiveSinkWriter implements SinkWriter {
    private static final Logger log = LoggerFactory.getLogger(ArchiveSinkWriter.class);
    private static final JsonFactory STATE_JSON = new JsonFactory();

    private final ObjectStore store;
    private final String prefix;
    private final ArchiveOptions options;
    private final LongSupplier liveObjectSize; // 0: options.objectSizeBytes()
    private final String job;
    private final String stream;
    private final int partition;

    private long committedLastOffset; // -1 before the first object of the archive
    private @Nullable Position committedPosition; // of the last record of the last object this writer committed
    private long writtenLastOffset;
    private @Nullable OpenObject current;

    ArchiveSinkWriter(
            ObjectStore store,
            String prefix,
            ArchiveOptions options,
            LongSupplier liveObjectSize,
            SinkContext context,
            Optional<String> state) {
        this.store = store;
        this.prefix = prefix;
        this.options = options;
        this.liveObjectSize = liveObjectSize;
        this.job = context.jobName();
        this.stream = context.split().stream();
        this.partition = context.split().partition();
        this.committedLastOffset = state.map(ArchiveSinkWriter::parseState).orElse(-1L);
        this.writtenLastOffset = committedLastOffset;
        claim(state.isPresent() || context.resuming());
        store.abortIncompleteUploads(ObjectNames.partitionPrefix(prefix, stream, partition));
    }

    /**
     * Makes this split's objects under the prefix this job's alone before anything is written. What
     * lies past the checkpoint (everything, when there is none) is read first: an object another job
     * finished there makes the export fail, untouched, since two jobs' objects in one stream partition
     * overlap or break the manifest chain that {@code ferry verify} and import rely on. Then this job's
     * own objects past the checkpoint are deleted: a run that died after publishing them, or a
     * {@code --restart}, would otherwise leave objects the new run's differ from in their boundaries
     * (a time limit, a pause that finished an object early). An object without a manifest was never
     * finished and goes too. Objects under this job's name are its own only if it {@code ranHere}
     * (has a checkpoint, or has run before from this state store): the same command run from another
     * machine or state directory derives the same name, and must not delete what that job wrote.
     */
    private void claim(boolean ranHere) {
        List<ArchiveListing.Slot> beyond = new ArrayList<>();
        for (ArchiveListing.Slot slot : ArchiveListing.partition(store, prefix, stream, partition)
                .tailMap(committedLastOffset, false)
                .values()) {
            StoredObject manifestObject = slot.manifest;
            if (manifestObject != null) {
                Manifest manifest;
                try (InputStream in = store.open(manifestObject.key())) {
                    manifest = Manifest.fromJson(in.readAllBytes(), manifestObject.key());
                } catch (IOException e) {
                    throw ioError(manifestObject.key(), e);
                }
                if (manifest.job().equals(job) && !ranHere) {
                    throw new FerryException(
                            StandardErrorCode.TARGET_EXISTS,
                            store.describe() + "/" + manifestObject.key() + " holds offsets "
                                    + manifest.firstOffset() + ".." + manifest.lastOffset() + " of " + stream + "/"
                                    + partition + " written by a job named '" + job + "', but this state directory"
                                    + " has never run that job: it ran from another machine or state directory."
                                    + " Continue it there (the same --state-dir), export under another prefix, or"
                                    + " delete its objects under " + store.describe() + "/"
                                    + ObjectNames.partitionPrefix(prefix, stream, partition));
                }
                if (!manifest.job().equals(job)) {
                    throw new FerryException(
                            StandardErrorCode.TARGET_EXISTS,
                            store.describe() + "/" + manifestObject.key() + " holds offsets "
                                    + manifest.firstOffset() + ".." + manifest.lastOffset() + " of " + stream + "/"
                                    + partition + " written by job '" + manifest.job() + "', and job '" + job
                                    + "' would write the same stream partition there (one job per stream partition"
                                    + " and prefix keeps the archive verifiable). Export under another prefix,"
                                    + " continue that job (--name " + manifest.job() + "), or delete its objects"
                                    + " under " + store.describe() + "/"
                                    + ObjectNames.partitionPrefix(prefix, stream, partition));
                }
            }
            beyond.add(slot);
        }
        for (ArchiveListing.Slot slot : beyond) {
            for (StoredObject object : slot.objects) {
                store.delete(object.key());
            }
            StoredObject manifest = slot.manifest;
            if (manifest != null) {
                store.delete(manifest.key());
            }
            log.info(
                    "Discarded {}/{} from offset {}: written by this job after its last checkpoint",
                    stream,
                    partition,
                    slot.firstOffset);
        }
    }

    private static long parseState(String state) {
        try (JsonParser parser = STATE_JSON.createParser(state)) {
            if (parser.nextToken() == JsonToken.START_OBJECT
                    && parser.nextToken() == JsonToken.FIELD_NAME
                    && parser.currentName().equals("lastOffset")
                    && parser.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                long lastOffset = parser.getLongValue();
                if (lastOffset >= -1 && parser.nextToken() == JsonToken.END_OBJECT) {
                    return lastOffset;
                }
            }
        } catch (IOException e) {
            // reported below
        }
        throw new FerryException(
                StandardErrorCode.CANNOT_RESUME,
                "the archive sink's checkpoint state must look like {\"lastOffset\":N}, got '" + state
                        + "'; the checkpoint was not written by this sink: start the job afresh");
    }

    private String state() {
        return "{\"lastOffset\":" + committedLastOffset + "}";
    }

    @Override
    public void write(List<Record> records) {
        for (Record record : records) {
            SourceCoordinates from = record.from();
            if (from.partition() != partition || !from.stream().equals(stream)) {
                throw new FerryException(
                        StandardErrorCode.INTERNAL_ERROR,
                        "record " + from + " reached the archive writer of split " + stream + "/" + partition
                                + "; each split's records must come from that stream partition");
            }
            if (from.offset() <= writtenLastOffset) {
                throw new FerryException(
                        StandardErrorCode.BAD_RECORD,
                        "record " + from + " does not come after offset " + writtenLastOffset
                                + "; offsets must increase strictly within a stream partition");
            }
            OpenObject object = current;
            if (object == null) {
                object = open(from.offset());
                current = object;
            }
            try {
                object.envelopes.write(record);
            } catch (IOException e) {
                abortCurrent();
                throw ioError(object.key, e);
            }
            object.lastOffset = from.offset();
            object.lastPosition = record.position();
            writtenLastOffset = from.offset();
            if (object.envelopes.bytes() >= objectSizeBytes()
                    || object.envelopes.records() >= options.objectRecords()
                    || tooOld(object)) {
                finishCurrent();
            }
        }
    }

    private long objectSizeBytes() {
        long live = liveObjectSize.getAsLong();
        return live > 0 ? live : options.objectSizeBytes();
    }

    @Override
    public WriteReceipt flush(boolean force) {
        OpenObject object = current;
        if (object != null && (force || tooOld(object))) {
            finishCurrent();
        }
        Position position = committedPosition;
        return position == null
                ? WriteReceipt.nothingDurable(state())
                : WriteReceipt.durableThrough(committedLastOffset, position, state());
    }

    @Override
    public void close() {
        abortCurrent();
    }

    private boolean tooOld(OpenObject object) {
        return !options.objectAge().isZero()
                && System.nanoTime() - object.openedNanos >= options.objectAge().toNanos();
    }

    private OpenObject open(long firstOffset) {
        String key = ObjectNames.objectKey(prefix, stream, partition, firstOffset, options.compression());
        ObjectUpload upload = store.createNew(key);
        try {
            CountingOutputStream stored = new CountingOutputStream(upload.stream());
            DigestOutputStream digest = new DigestOutputStream(stored, sha256());
            OutputStream compressor =
                    options.compression().compress(digest, options.level(), options.compressionThreads());
            return new OpenObject(key, firstOffset, upload, stored, digest, compressor, new EnvelopeWriter(compressor));
        } catch (IOException e) {
            upload.abort();
            throw ioError(key, e);
        } catch (RuntimeException e) {
            upload.abort();
            throw e;
        }
    }

    /** Commits the current object, then its manifest; the object counts as durable after both. */
    private void finishCurrent() {
        OpenObject object = current;
        if (object == null) {
            return;
        }
        Position lastPosition = object.lastPosition;
        if (lastPosition == null) {
            abortCurrent();
            return;
        }
        try {
            object.envelopes.close();
            object.compressor.close();
        } catch (IOException e) {
            abortCurrent();
            throw ioError(object.key, e);
        }
        current = null;
        object.upload.commit();
        Manifest manifest = new Manifest(
                Manifest.FORMAT_VERSION,
                stream,
                partition,
                object.firstOffset,
                object.lastOffset,
                committedLastOffset,
                object.envelopes.records(),
                object.stored.count(),
                object.envelopes.bytes(),
                Manifest.hex(object.digest.getMessageDigest().digest()),
                options.compression(),
                Instant.now(),
                job);
        String manifestKey = ObjectNames.manifestKey(prefix, stream, partition, object.firstOffset);
        try (ObjectUpload upload = store.createNew(manifestKey)) {
            upload.stream().write(manifest.toJson());
            upload.commit();
        } catch (IOException e) {
            throw ioError(manifestKey, e);
        }
        log.debug("Committed {} ({} records, {} bytes)", object.key, manifest.records(), manifest.bytes());
        committedLastOffset = object.lastOffset;
        committedPosition = lastPosition;
    }

    private void abortCurrent() {
        OpenObject object = current;
        current = null;
        if (object == null) {
            return;
        }
        writtenLastOffset = committedLastOffset;
        try {
            object.compressor.close(); // frees the compressor's native memory; the bytes are discarded
        } catch (IOException | RuntimeException e) {
            log.debug("Ignoring a failure to close the compressor of aborted {}", object.key, e);
        } finally {
            object.upload.abort();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static FerryException ioError(String key, IOException e) {
        return new FerryException(
                StandardErrorCode.IO_ERROR,
                "could not write archive object '" + key + "': " + e
                        + "; check that the store is writable and has space, then re-run (the job resumes)",
                e);
    }

    private static final class OpenObject {
        final String key;
        final long firstOffset;
        final ObjectUpload upload;
        final CountingOutputStream stored;
        final DigestOutputStream digest;
        final OutputStream compressor;
        final EnvelopeWriter envelopes;
        final long openedNanos = System.nanoTime();
        long lastOffset;

        @Nullable
        Position lastPosition;

        OpenObject(
                String key,
                long firstOffset,
                ObjectUpload upload,
                CountingOutputStream stored,
                DigestOutputStream digest,
                OutputStream compressor,
                EnvelopeWriter envelopes) {
            this.key = key;
            this.firstOffset = firstOffset;
            this.upload = upload;
            this.stored = stored;
            this.digest = digest;
            this.compressor = compressor;
            this.envelopes = envelopes;
            this.lastOffset = firstOffset;
        }
    }
}
