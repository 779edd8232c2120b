package io.ferry.archive;

import io.ferry.archive.VerifyReport.Kind;
import io.ferry.archive.VerifyReport.PartitionSummary;
import io.ferry.archive.VerifyReport.Problem;
import io.ferry.archive.format.EnvelopeReader;
import io.ferry.archive.format.Manifest;
import io.ferry.archive.format.ObjectName;
import io.ferry.archive.format.ObjectNames;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.position.Position;
import io.ferry.spi.record.Record;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks a whole archive without trusting anything but its own bytes: every object against its
 * manifest (checksum, size, record count, offsets), and each stream partition's manifest chain for
 * gaps and overlaps. Reads every object once; reports all problems instead of stopping at the first.
 */
public final class ArchiveVerifier {
    private static final Position NO_POSITION = () -> "verify";

    public VerifyReport verify(ObjectStore store, String prefix) {
        String normalized = ObjectNames.normalizePrefix(prefix);
        List<PartitionSummary> summaries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<ArchiveListing.PartitionId, NavigableMap<Long, ArchiveListing.Slot>> partition :
                ArchiveListing.partitions(store, normalized).entrySet()) {
            summaries.add(verifyPartition(store, normalized, partition.getKey(), partition.getValue(), problems));
        }
        return new VerifyReport(summaries, problems);
    }

    /** The offsets one object covers, from its manifest when it has a usable one, else from its records. */
    private record Extent(String key, long first, long last, long previousLast, boolean chained) {}

    private PartitionSummary verifyPartition(
            ObjectStore store,
            String prefix,
            ArchiveListing.PartitionId id,
            NavigableMap<Long, ArchiveListing.Slot> slots,
            List<Problem> problems) {
        long objects = 0;
        long records = 0;
        long firstOffset = -1;
        long lastOffset = -1;
        @Nullable Extent previous = null;
        for (ArchiveListing.Slot slot : slots.values()) {
            String manifestKey = ObjectNames.manifestKey(prefix, id.stream(), id.partition(), slot.firstOffset);
            Manifest manifest = slot.manifest == null ? null : readManifest(store, slot, manifestKey, id, problems);
            if (slot.objects.isEmpty()) {
                problems.add(new Problem(
                        Kind.MISSING_OBJECT,
                        manifestKey,
                        "the manifest's object is gone; re-export offsets "
                                + (manifest == null
                                        ? "from " + slot.firstOffset
                                        : manifest.firstOffset() + ".." + manifest.lastOffset())));
            }
            if (slot.objects.size() > 1) {
                problems.add(new Problem(
                        Kind.DUPLICATE_OBJECT,
                        slot.objects.get(0).key(),
                        slot.objects.size() + " objects start at offset " + slot.firstOffset
                                + "; keep the one the manifest's compression names and delete the others"));
            }
            Extent extent = null;
            for (int i = 0; i < slot.objects.size(); i++) {
                StoredObject object = slot.objects.get(i);
                ObjectName name = slot.objectNames.get(i);
                if (slot.manifest == null) {
                    problems.add(new Problem(
                            Kind.MISSING_MANIFEST,
                            object.key(),
                            "no manifest: the export that wrote it did not finish; resume that export"));
                }
                ObjectCheck check = checkObject(store, object, name, manifest, problems);
                objects++;
                records += check.records;
                if (check.records > 0) {
                    firstOffset = firstOffset < 0 ? check.firstOffset : Math.min(firstOffset, check.firstOffset);
                    lastOffset = Math.max(lastOffset, check.lastOffset);
                }
                if (extent == null && manifest == null && check.records > 0) {
                    extent = new Extent(object.key(), check.firstOffset, check.lastOffset, -1, false);
                }
            }
            if (manifest != null) {
                String key = slot.objects.isEmpty()
                        ? manifestKey
                        : slot.objects.get(0).key();
                extent = new Extent(
                        key, manifest.firstOffset(), manifest.lastOffset(), manifest.previousLastOffset(), true);
            }
            if (extent != null) {
                checkChain(previous, extent, problems);
                if (previous == null || extent.last() > previous.last()) {
                    previous = extent;
                }
            }
        }
        return new PartitionSummary(id.stream(), id.partition(), objects, records, firstOffset, lastOffset);
    }

    private static void checkChain(@Nullable Extent previous, Extent current, List<Problem> problems) {
        if (previous == null) {
            if (current.chained() && current.previousLast() != -1) {
                problems.add(new Problem(
                        Kind.GAP,
                        current.key(),
                        "the first object follows an object ending at offset " + current.previousLast()
                                + " that is missing; re-export offsets up to " + current.previousLast()));
            }
            return;
        }
        if (current.first() <= previous.last()) {
            problems.add(new Problem(
                    Kind.OVERLAP,
                    current.key(),
                    "offsets " + current.first() + ".." + current.last() + " overlap " + previous.key() + " (.."
                            + previous.last() + "); two exports with different object sizes wrote here: "
                            + "delete the objects of one and re-export"));
        } else if (current.chained() && current.previousLast() > previous.last()) {
            problems.add(new Problem(
                    Kind.GAP,
                    current.key(),
                    "follows an object ending at offset " + current.previousLast() + ", but the one before it, "
                            + previous.key() + ", ends at " + previous.last()
                            + "; an object is missing: re-export offsets "
                            + (previous.last() + 1) + ".." + current.previousLast()));
        } else if (current.chained() && current.previousLast() != previous.last()) {
            problems.add(new Problem(
                    Kind.CHAIN_MISMATCH,
                    current.key(),
                    "follows an object ending at offset " + current.previousLast() + ", but the one before it, "
                            + previous.key() + ", ends at " + previous.last()
                            + "; objects from different exports are mixed here"));
        }
    }

    private static @Nullable Manifest readManifest(
            ObjectStore store,
            ArchiveListing.Slot slot,
            String key,
            ArchiveListing.PartitionId id,
            List<Problem> problems) {
        Manifest manifest;
        try (InputStream in = store.open(key)) {
            manifest = Manifest.fromJson(in.readAllBytes(), key);
        } catch (IOException | FerryException e) {
            problems.add(new Problem(Kind.BAD_MANIFEST, key, String.valueOf(e.getMessage())));
            return null;
        }
        if (!manifest.stream().equals(id.stream())
                || manifest.partition() != id.partition()
                || manifest.firstOffset() != slot.firstOffset) {
            problems.add(new Problem(
                    Kind.BAD_MANIFEST,
                    key,
                    "describes " + manifest.stream() + "/" + manifest.partition() + " from offset "
                            + manifest.firstOffset() + ", not the object its name says"));
            return null;
        }
        return manifest;
    }

    private static final class ObjectCheck {
        long records;
        long firstOffset = -1;
        long lastOffset = -1;
    }

    private static ObjectCheck checkObject(
            ObjectStore store,
            StoredObject object,
            ObjectName name,
            @Nullable Manifest manifest,
            List<Problem> problems) {
        ObjectCheck check = new ObjectCheck();
        String key = object.key();
        MessageDigest sha256 = sha256();
        boolean badOffsetReported = false;
        boolean readable = true;
        try (InputStream stored = new DigestInputStream(store.open(key), sha256)) {
            try (EnvelopeReader envelopes = new EnvelopeReader(new Unclosed(stored), name.compression(), key)) {
                for (Optional<Record> next = envelopes.next((from, n) -> NO_POSITION);
                        next.isPresent();
                        next = envelopes.next((from, n) -> NO_POSITION)) {
                    long offset = next.get().offset();
                    String problem = offsetProblem(next.get(), name, manifest, check.lastOffset);
                    if (problem != null && !badOffsetReported) {
                        problems.add(
                                new Problem(Kind.BAD_OFFSET, key, "record " + (check.records + 1) + ": " + problem));
                        badOffsetReported = true;
                    }
                    if (check.records == 0) {
                        check.firstOffset = offset;
                    }
                    check.lastOffset = offset;
                    check.records++;
                }
            } catch (FerryException e) {
                readable = false;
                problems.add(new Problem(Kind.CORRUPT_OBJECT, key, String.valueOf(e.getMessage())));
            }
            stored.transferTo(OutputStream.nullOutputStream()); // the whole stored object goes into the digest
        } catch (IOException | FerryException e) {
            problems.add(new Problem(Kind.CORRUPT_OBJECT, key, "cannot be read: " + e.getMessage()));
            return check;
        }
        if (manifest == null) {
            return check;
        }
        if (manifest.compression() != name.compression()) {
            problems.add(new Problem(
                    Kind.BAD_MANIFEST,
                    key,
                    "the manifest says compression " + manifest.compression() + ", the name says "
                            + name.compression()));
        }
        String actualSha = Manifest.hex(sha256.digest());
        if (!actualSha.equals(manifest.sha256())) {
            problems.add(new Problem(
                    Kind.CHECKSUM_MISMATCH,
                    key,
                    "sha256 is " + actualSha + ", the manifest says " + manifest.sha256()
                            + "; the object was changed or damaged: restore it or re-export its offsets"));
        }
        if (object.size() != manifest.bytes()) {
            problems.add(new Problem(
                    Kind.SIZE_MISMATCH,
                    key,
                    "holds " + object.size() + " bytes, the manifest says " + manifest.bytes()
                            + "; the object was truncated or changed: restore it or re-export its offsets"));
        }
        if (readable && (check.records != manifest.records() || check.lastOffset != manifest.lastOffset())) {
            problems.add(new Problem(
                    Kind.COUNT_MISMATCH,
                    key,
                    "holds " + check.records + " records ending at offset " + check.lastOffset + ", the manifest says "
                            + manifest.records() + " ending at " + manifest.lastOffset()));
        }
        return check;
    }

    private static @Nullable String offsetProblem(
            Record record, ObjectName name, @Nullable Manifest manifest, long previousOffset) {
        long offset = record.offset();
        if (!record.from().stream().equals(name.stream()) || record.from().partition() != name.partition()) {
            return "holds record " + record.from() + " of another stream partition";
        }
        if (previousOffset < 0 && offset != name.firstOffset()) {
            return "the first offset is " + offset + ", the name says " + name.firstOffset();
        }
        if (offset <= previousOffset) {
            return "offset " + offset + " does not come after " + previousOffset;
        }
        if (manifest != null && (offset < manifest.firstOffset() || offset > manifest.lastOffset())) {
            return "offset " + offset + " is outside the manifest's range " + manifest.firstOffset() + ".."
                    + manifest.lastOffset();
        }
        return null;
    }

    /** Keeps the stored stream open for the digest after the envelope reader is done with it. */
    private static final class Unclosed extends FilterInputStream {
        Unclosed(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
