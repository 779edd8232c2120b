package io.ferry.testing.edfi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One version of a stored item. A POST that matches an existing natural key replaces the version but keeps its
 * {@code id} (32 hex digits), its {@code sequence} (creation order; collections are returned in this order) and its
 * {@code dependents} counter (referencing resource path -> how many stored items reference this one, changed only
 * while the store holds the lock on this item's natural key). {@code body} is the item as GET returns it, with
 * {@code id}, {@code _etag} and {@code _lastModifiedDate}, and is never mutated; {@code json} is it serialized;
 * {@code outgoing} are the references this version holds, each counted in its target's dependents.
 */
final class StoredItem {
    private final String id;
    private final long sequence;
    private final String key;
    private final ObjectNode body;
    private final byte[] json;
    private final String etag;
    private final List<Link> outgoing;
    private final ConcurrentHashMap<String, Integer> dependents;

    StoredItem(
            String id,
            long sequence,
            String key,
            ObjectNode body,
            byte[] json,
            String etag,
            List<Link> outgoing,
            ConcurrentHashMap<String, Integer> dependents) {
        this.id = requireNonNull(id, "id is null");
        this.sequence = sequence;
        this.key = requireNonNull(key, "key is null");
        this.body = requireNonNull(body, "body is null");
        this.json = requireNonNull(json, "json is null");
        this.etag = requireNonNull(etag, "etag is null");
        this.outgoing = List.copyOf(outgoing);
        this.dependents = requireNonNull(dependents, "dependents is null");
    }

    String id() {
        return id;
    }

    long sequence() {
        return sequence;
    }

    String key() {
        return key;
    }

    ObjectNode body() {
        return body;
    }

    /** The serialized body; callers must not modify the array. */
    byte[] json() {
        return json;
    }

    String etag() {
        return etag;
    }

    List<Link> outgoing() {
        return outgoing;
    }

    ConcurrentHashMap<String, Integer> dependents() {
        return dependents;
    }

    /** A reference from a stored item to the item with natural key {@code key} in {@code target}. */
    record Link(ResourceStore target, String key) {
        Link {
            requireNonNull(target, "target is null");
            requireNonNull(key, "key is null");
        }
    }
}
