package io.ferry.archive;

import io.ferry.archive.format.EnvelopeReader;
import io.ferry.archive.format.Manifest;
import io.ferry.archive.format.ObjectName;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.record.Record;
import io.ferry.spi.source.ReadBatch;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads one stream partition of an archive, object by object. Checks as it goes that each object
 * has its manifest, that manifests chain, that offsets increase strictly and that each object holds
 * what its manifest says. Progress is in stored bytes.
 */
final class ArchiveSourceReader implements SourceReader<ArchivePosition> {
    static final int MAX_BATCH_RECORDS = 1000;
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    private final ObjectStore store;
    private final String prefix;
    private final Split split;
    private final List<ArchiveListing.Slot> slots;
    private int nextSlot;
    private long finishedBytes;
    private long lastOffset = -1;
    private long skipThrough = -1; // records at or below this offset were read before a resume
    private boolean ended;

    private @Nullable EnvelopeReader reader;
    private @Nullable OpenObject current;
    private @Nullable Manifest previousManifest;

    private record OpenObject(StoredObject object, ObjectName name, Manifest manifest) {}

    ArchiveSourceReader(
            ObjectStore store,
            String prefix,
            Split split,
            NavigableMap<Long, ArchiveListing.Slot> slots,
            Optional<ArchivePosition> resumeAfter) {
        this.store = store;
        this.prefix = prefix;
        this.split = split;
        this.slots = new ArrayList<>(slots.values());
        resumeAfter.ifPresent(position -> resume(slots, position));
    }

    private void resume(NavigableMap<Long, ArchiveListing.Slot> bySlot, ArchivePosition position) {
        lastOffset = position.offset();
        for (int i = 0; i < slots.size(); i++) {
            ArchiveListing.Slot slot = slots.get(i);
            if (slot.objects.size() == 1 && slot.objects.get(0).key().equals(position.objectKey())) {
                skipTo(i);
                resumeInObject(position);
                return;
            }
        }
        // The object was rewritten under another name (another compression): find the offset instead.
        Map.Entry<Long, ArchiveListing.Slot> floor = bySlot.floorEntry(position.offset());
        skipTo(floor == null ? 0 : slots.indexOf(floor.getValue()));
        skipThrough = position.offset();
    }

    private void skipTo(int slot) {
        for (int i = 0; i < slot; i++) {
            for (StoredObject object : slots.get(i).objects) {
                finishedBytes += object.size();
            }
        }
        nextSlot = slot;
    }

    private void resumeInObject(ArchivePosition position) {
        EnvelopeReader opened = openNextObject();
        if (opened == null) {
            throw cannotResume(position, "it is no longer in the archive");
        }
        for (long i = 1; i < position.recordsInObject(); i++) {
            if (!opened.skip()) {
                throw cannotResume(position, "it now holds only " + opened.records() + " records");
            }
        }
        Optional<Record> last = opened.next((from, n) -> new ArchivePosition(position.objectKey(), n, from.offset()));
        if (last.isEmpty() || last.get().offset() != position.offset()) {
            throw cannotResume(
                    position,
                    last.map(r -> "its record " + position.recordsInObject() + " now has offset " + r.offset())
                            .orElse("it now holds only " + opened.records() + " records"));
        }
    }

    private FerryException cannotResume(ArchivePosition position, String problem) {
        return new FerryException(
                StandardErrorCode.CANNOT_RESUME,
                "cannot resume split '" + split.id() + "' after record " + position.recordsInObject() + " (offset "
                        + position.offset() + ") of archive object '" + position.objectKey() + "': " + problem
                        + "; the archive changed since the checkpoint: start the import afresh");
    }

    @Override
    public ReadBatch read(Duration maxWait) {
        if (ended) {
            throw new IllegalStateException("split '" + split.id() + "' was already read to its end");
        }
        List<Record> batch = new ArrayList<>();
        long bytes = 0;
        while (batch.size() < MAX_BATCH_RECORDS && bytes < MAX_BATCH_BYTES) {
            EnvelopeReader envelopes = reader;
            OpenObject object = current;
            if (envelopes == null || object == null) {
                if (openNextObject() == null) {
                    ended = true;
                    return new ReadBatch(batch, true);
                }
                continue;
            }
            String key = object.object().key();
            Optional<Record> next = envelopes.next((from, n) -> new ArchivePosition(key, n, from.offset()));
            if (next.isEmpty()) {
                finishObject(object, envelopes);
                continue;
            }
            Record record = next.get();
            checkRecord(object, record);
            if (record.offset() > skipThrough) {
                batch.add(record);
                bytes += record.sizeInBytes();
            }
        }
        return new ReadBatch(batch, false);
    }

    private void checkRecord(OpenObject object, Record record) {
        String problem = null;
        if (!record.from().stream().equals(split.stream()) || record.from().partition() != split.partition()) {
            problem = "it holds record " + record.from() + " of another stream partition";
        } else if (record.offset() <= lastOffset) {
            problem = "offset " + record.offset() + " does not come after offset " + lastOffset;
        } else if (record.offset() > object.manifest().lastOffset()) {
            problem = "offset " + record.offset() + " is beyond its manifest's last offset "
                    + object.manifest().lastOffset();
        }
        if (problem != null) {
            throw badArchive(object.object().key(), problem);
        }
        lastOffset = record.offset();
    }

    private void finishObject(OpenObject object, EnvelopeReader envelopes) {
        Manifest manifest = object.manifest();
        if (envelopes.records() != manifest.records() || lastOffset != manifest.lastOffset()) {
            throw badArchive(
                    object.object().key(),
                    "it holds " + envelopes.records() + " records ending at offset " + lastOffset
                            + ", but its manifest says " + manifest.records() + " ending at offset "
                            + manifest.lastOffset());
        }
        envelopes.close();
        reader = null;
        current = null;
        finishedBytes += object.object().size();
        previousManifest = manifest;
    }

    /** Opens the next object, after checking its manifest; null when there are no more. */
    private @Nullable EnvelopeReader openNextObject() {
        if (nextSlot >= slots.size()) {
            return null;
        }
        ArchiveListing.Slot slot = slots.get(nextSlot++);
        StoredObject manifestObject = slot.manifest;
        if (slot.objects.isEmpty()) {
            throw badArchive(
                    String.valueOf(manifestObject == null ? null : manifestObject.key()),
                    "the manifest has no object: it was deleted");
        }
        StoredObject object = slot.objects.get(0);
        if (slot.objects.size() > 1) {
            throw badArchive(object.key(), "there are " + slot.objects.size() + " objects with the same first offset");
        }
        if (manifestObject == null) {
            throw badArchive(
                    object.key(), "it has no manifest, so the export that wrote it did not finish; resume that export");
        }
        Manifest manifest = readManifest(manifestObject.key());
        ObjectName name = slot.objectNames.get(0);
        if (manifest.firstOffset() != name.firstOffset()
                || manifest.partition() != name.partition()
                || !manifest.stream().equals(name.stream())
                || manifest.compression() != name.compression()) {
            throw badArchive(object.key(), "its manifest describes another object: " + manifest);
        }
        Manifest previous = previousManifest;
        if (previous != null && manifest.previousLastOffset() != previous.lastOffset()) {
            throw badArchive(
                    object.key(),
                    "its manifest follows an object ending at offset " + manifest.previousLastOffset()
                            + ", but the object before it ends at offset " + previous.lastOffset()
                            + (manifest.previousLastOffset() > previous.lastOffset()
                                    ? " (a gap: an object is missing)"
                                    : " (an overlap or a mix of exports)"));
        }
        EnvelopeReader opened = new EnvelopeReader(store.open(object.key()), name.compression(), object.key());
        reader = opened;
        current = new OpenObject(object, name, manifest);
        return opened;
    }

    private Manifest readManifest(String key) {
        try (InputStream in = store.open(key)) {
            return Manifest.fromJson(in.readAllBytes(), key);
        } catch (IOException e) {
            throw new FerryException(
                    StandardErrorCode.IO_ERROR,
                    "could not read manifest '" + key + "': " + e + "; check that the store is reachable and re-run",
                    e);
        }
    }

    private FerryException badArchive(String key, String problem) {
        return new FerryException(
                StandardErrorCode.BAD_ARCHIVE,
                "archive object '" + key + "' in '" + prefix + "' cannot be imported: " + problem
                        + "; run 'ferry verify' on the archive for a full report");
    }

    @Override
    public void acknowledge(ArchivePosition upTo) {}

    @Override
    public long progress() {
        EnvelopeReader envelopes = reader;
        return finishedBytes + (envelopes == null ? 0 : envelopes.storedBytesRead());
    }

    @Override
    public void close() {
        EnvelopeReader envelopes = reader;
        reader = null;
        current = null;
        if (envelopes != null) {
            envelopes.close();
        }
    }
}
