package io.ferry.testing.edfi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.testing.edfi.StoredItem.Link;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The items of one resource. Thread-safe without a resource-wide lock: writes to one natural key are serialized by
 * the key's entry in {@link #byKey}, and reference counts of an item change only under that same entry's lock, so
 * a DELETE never removes an item that a concurrent POST has just linked to.
 */
final class ResourceStore {
    private final ResourceSchema schema;
    private final ConcurrentHashMap<String, StoredItem> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, StoredItem> byId = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, StoredItem> bySequence = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();
    private final ConcurrentHashMap<Integer, LongAdder> postsByStatus = new ConcurrentHashMap<>();

    ResourceStore(ResourceSchema schema) {
        this.schema = requireNonNull(schema, "schema is null");
    }

    ResourceSchema schema() {
        return schema;
    }

    int size() {
        return byKey.size();
    }

    long posts() {
        return posts.get();
    }

    long posts(int status) {
        LongAdder count = postsByStatus.get(status);
        return count == null ? 0 : count.sum();
    }

    void countPost(int status) {
        posts.incrementAndGet();
        postsByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    Optional<StoredItem> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    boolean contains(String key) {
        return byKey.containsKey(key);
    }

    /** Items in creation order; a weakly consistent view. */
    Collection<StoredItem> inOrder() {
        return bySequence.values();
    }

    /**
     * Counts a reference from an item of {@code dependent} to the item with natural key {@code key}.
     *
     * @return false, counting nothing, when no item has that key
     */
    boolean link(String key, String dependent) {
        boolean[] present = {false};
        byKey.computeIfPresent(key, (k, item) -> {
            item.dependents().merge(dependent, 1, Integer::sum);
            present[0] = true;
            return item;
        });
        return present[0];
    }

    /** Undoes one {@link #link}. */
    void unlink(String key, String dependent) {
        byKey.computeIfPresent(key, (k, item) -> {
            item.dependents().computeIfPresent(dependent, (d, count) -> count <= 1 ? null : count - 1);
            return item;
        });
    }

    /**
     * Creates or replaces the item with natural key {@code key}.
     *
     * @param build makes the stored version from (id, sequence) of the item; called under the key's lock
     */
    Upsert upsert(String key, BiFunction<String, Long, Version> build, String newId) {
        @Nullable StoredItem[] previous = {null};
        StoredItem stored = byKey.compute(key, (k, old) -> {
            previous[0] = old;
            String id = old == null ? newId : old.id();
            long position = old == null ? sequence.incrementAndGet() : old.sequence();
            Version version = build.apply(id, position);
            StoredItem item = new StoredItem(
                    id,
                    position,
                    key,
                    version.body(),
                    version.json(),
                    version.etag(),
                    version.outgoing(),
                    old == null ? new ConcurrentHashMap<>() : old.dependents());
            byId.put(id, item);
            bySequence.put(position, item);
            return item;
        });
        StoredItem old = previous[0];
        return new Upsert(requireNonNull(stored), old == null ? List.of() : old.outgoing(), old == null);
    }

    /**
     * Replaces the item {@code id} keeping its natural key (PUT).
     *
     * @return the replaced version, or empty when no item has that id (nothing changes)
     */
    Optional<StoredItem> replace(String id, BiFunction<String, Long, Version> build) {
        StoredItem current = byId.get(id);
        if (current == null) {
            return Optional.empty();
        }
        @Nullable StoredItem[] previous = {null};
        byKey.computeIfPresent(current.key(), (k, old) -> {
            if (!old.id().equals(id)) {
                return old;
            }
            previous[0] = old;
            Version version = build.apply(id, old.sequence());
            StoredItem item = new StoredItem(
                    id,
                    old.sequence(),
                    k,
                    version.body(),
                    version.json(),
                    version.etag(),
                    version.outgoing(),
                    old.dependents());
            byId.put(id, item);
            bySequence.put(old.sequence(), item);
            return item;
        });
        return Optional.ofNullable(previous[0]);
    }

    /** Forgets every item (test setup only: references into this store from other stores are not released). */
    void clear() {
        byKey.clear();
        byId.clear();
        bySequence.clear();
    }

    /** Deletes the item {@code id} unless another stored item references it. */
    Deletion delete(String id) {
        StoredItem current = byId.get(id);
        if (current == null) {
            return new Deletion.NotFound();
        }
        @Nullable Deletion[] result = {null};
        byKey.computeIfPresent(current.key(), (k, item) -> {
            if (!item.id().equals(id)) {
                return item;
            }
            if (!item.dependents().isEmpty()) {
                result[0] = new Deletion.Referenced(Map.copyOf(item.dependents()));
                return item;
            }
            byId.remove(id);
            bySequence.remove(item.sequence());
            result[0] = new Deletion.Deleted(item);
            return null;
        });
        Deletion deletion = result[0];
        return deletion == null ? new Deletion.NotFound() : deletion;
    }

    /** What a write stores: the body as GET returns it, serialized, and the references it holds. */
    static final class Version {
        private final ObjectNode body;
        private final byte[] json;
        private final String etag;
        private final List<Link> outgoing;

        Version(ObjectNode body, byte[] json, String etag, List<Link> outgoing) {
            this.body = requireNonNull(body, "body is null");
            this.json = requireNonNull(json, "json is null");
            this.etag = requireNonNull(etag, "etag is null");
            this.outgoing = List.copyOf(outgoing);
        }

        ObjectNode body() {
            return body;
        }

        byte[] json() {
            return json;
        }

        String etag() {
            return etag;
        }

        List<Link> outgoing() {
            return outgoing;
        }
    }

    /**
     * @param item the stored version
     * @param replacedLinks the references of the version this one replaced, to be released
     * @param created true when no item had the natural key before
     */
    record Upsert(StoredItem item, List<Link> replacedLinks, boolean created) {
        Upsert {
            requireNonNull(item, "item is null");
            replacedLinks = List.copyOf(replacedLinks);
        }
    }

    sealed interface Deletion {
        record NotFound() implements Deletion {}

        /**
         * Another stored item references the item.
         *
         * @param dependents referencing resource path -> count
         */
        record Referenced(Map<String, Integer> dependents) implements Deletion {
            public Referenced {
                dependents = Map.copyOf(dependents);
            }
        }

        record Deleted(StoredItem item) implements Deletion {
            public Deleted {
                requireNonNull(item, "item is null");
            }
        }
    }
}
