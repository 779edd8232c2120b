package io.ferry.archive;

import io.ferry.archive.format.ObjectName;
import io.ferry.archive.format.ObjectNames;
import io.ferry.archive.store.ObjectStore;
import io.ferry.archive.store.StoredObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The archive keys under a prefix, grouped by stream partition and first offset. Ignores other keys. */
final class ArchiveListing {
    /** A stream partition; ordered by stream name, then partition number. */
    record PartitionId(String stream, int partition) implements Comparable<PartitionId> {
        private static final Comparator<PartitionId> ORDER =
                Comparator.comparing(PartitionId::stream).thenComparingInt(PartitionId::partition);

        @Override
        public int compareTo(PartitionId other) {
            return ORDER.compare(this, other);
        }

        String splitId() {
            return stream + "/" + partition;
        }
    }

    /** The data objects (normally one) and the manifest stored for one first offset. */
    static final class Slot {
        final long firstOffset;
        final List<StoredObject> objects = new ArrayList<>();
        final List<ObjectName> objectNames = new ArrayList<>();

        @Nullable
        StoredObject manifest;

        Slot(long firstOffset) {
            this.firstOffset = firstOffset;
        }
    }

    private ArchiveListing() {}

    static Map<PartitionId, NavigableMap<Long, Slot>> partitions(ObjectStore store, String prefix) {
        return group(prefix, store.list(ObjectNames.archiveRoot(prefix)));
    }

    static NavigableMap<Long, Slot> partition(ObjectStore store, String prefix, String stream, int partition) {
        List<StoredObject> objects = store.list(ObjectNames.partitionPrefix(prefix, stream, partition));
        NavigableMap<Long, Slot> slots = group(prefix, objects).get(new PartitionId(stream, partition));
        return slots == null ? new TreeMap<>() : slots;
    }

    private static Map<PartitionId, NavigableMap<Long, Slot>> group(String prefix, List<StoredObject> objects) {
        Map<PartitionId, NavigableMap<Long, Slot>> partitions = new TreeMap<>();
        for (StoredObject object : objects) {
            ObjectName name = ObjectNames.parse(prefix, object.key()).orElse(null);
            if (name == null) {
                continue;
            }
            Slot slot = partitions
                    .computeIfAbsent(new PartitionId(name.stream(), name.partition()), id -> new TreeMap<>())
                    .computeIfAbsent(name.firstOffset(), Slot::new);
            switch (name.kind()) {
                case OBJECT -> {
                    slot.objects.add(object);
                    slot.objectNames.add(name);
                }
                case MANIFEST -> slot.manifest = object;
            }
        }
        return partitions;
    }
}
