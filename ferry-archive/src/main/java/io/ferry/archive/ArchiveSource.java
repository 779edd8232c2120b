package io.ferry.archive;

import static java.util.Objects.requireNonNull;

import io.ferry.archive.format.ObjectNames;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.StoredObject;
import io.ferry.spi.error.FerryException;
import io.ferry.spi.error.StandardErrorCode;
import io.ferry.spi.source.Source;
import io.ferry.spi.source.SourceReader;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.util.List;
import java.util.Optional;

/**
 * Reads an archive back: one split per stream partition found under {@code prefix} (id {@code
 * <stream>/<partition>}), each read object by object in offset order. Refuses objects without a
 * manifest and manifests that do not chain, so an unfinished or damaged archive is never imported
 * silently.
 */
public final class ArchiveSource implements Source<ArchivePosition> {
    private final ObjectStore store;
    private final String prefix;

    public ArchiveSource(ObjectStore store, String prefix) {
        this.store = requireNonNull(store, "store is null");
        this.prefix = ObjectNames.normalizePrefix(prefix);
    }

    @Override
    public String describe() {
        return "archive:" + store.describe() + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public List<Split> plan() {
        return ArchiveListing.partitions(store, prefix).keySet().stream()
                .map(id -> new Split(id.splitId(), id.stream(), id.partition()))
                .toList();
    }

    @Override
    public SourceReader<ArchivePosition> open(Split split, Optional<ArchivePosition> resumeAfter) {
        requireNonNull(split, "split is null");
        requireNonNull(resumeAfter, "resumeAfter is null");
        return new ArchiveSourceReader(
                store,
                prefix,
                split,
                ArchiveListing.partition(store, prefix, split.stream(), split.partition()),
                resumeAfter);
    }

    /** The stored (compressed) bytes of the split's objects. */
    @Override
    public Optional<SplitSize> size(Split split) {
        long total = 0;
        for (ArchiveListing.Slot slot : ArchiveListing.partition(store, prefix, split.stream(), split.partition())
                .values()) {
            for (StoredObject object : slot.objects) {
                total += object.size();
            }
        }
        return Optional.of(new SplitSize(total, SplitSize.Unit.BYTES));
    }

    @Override
    public ArchivePosition decodePosition(Split split, String encoded) {
        ArchivePosition position;
        try {
            position = ArchivePosition.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new FerryException(
                    StandardErrorCode.CANNOT_RESUME,
                    "checkpoint of split '" + split.id() + "' is not an archive position: " + e.getMessage()
                            + "; the checkpoint belongs to another source: start the job afresh",
                    e);
        }
        String partitionPrefix = ObjectNames.partitionPrefix(prefix, split.stream(), split.partition());
        if (!position.objectKey().startsWith(partitionPrefix)) {
            throw new FerryException(
                    StandardErrorCode.CANNOT_RESUME,
                    "checkpoint of split '" + split.id() + "' points at object '" + position.objectKey()
                            + "', which is not under '" + partitionPrefix
                            + "'; the archive prefix changed since the checkpoint: use the original prefix, or start afresh");
        }
        return position;
    }
}
