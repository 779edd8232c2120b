package io.ferry.archive;

import static java.util.Objects.requireNonNull;

import io.ferry.archive.format.ObjectNames;
import io.ferry.archive.store.ObjectStore;
import io.ferry.spi.sink.Sink;
import io.ferry.spi.sink.SinkContext;
import io.ferry.spi.sink.SinkWriter;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Writes each split to the archive layout under {@code prefix} in {@code store}: compressed JSON
 * envelope objects, each followed by its manifest. Object boundaries depend only on the records, so
 * re-running from a checkpoint rewrites the same objects under the same names.
 */
public final class ArchiveSink implements Sink {
    private final ObjectStore store;
    private final String prefix;
    private final ArchiveOptions options;
    private final LongSupplier liveObjectSize;

    public ArchiveSink(ObjectStore store, String prefix, ArchiveOptions options) {
        this(store, prefix, options, () -> 0);
    }

    private ArchiveSink(ObjectStore store, String prefix, ArchiveOptions options, LongSupplier liveObjectSize) {
        this.store = requireNonNull(store, "store is null");
        this.prefix = ObjectNames.normalizePrefix(prefix);
        this.options = requireNonNull(options, "options is null");
        this.liveObjectSize = requireNonNull(liveObjectSize, "liveObjectSize is null");
    }

    /**
     * This sink with an object size that may change while it writes: each roll-over check asks
     * {@code objectSizeBytes}, and a positive answer replaces {@link ArchiveOptions#objectSizeBytes()}
     * (0 keeps it). Object boundaries then depend on when the size changed; a resumed run discards
     * what was published past its checkpoint, so nothing overlaps.
     */
    public ArchiveSink withLiveObjectSize(LongSupplier objectSizeBytes) {
        return new ArchiveSink(store, prefix, options, objectSizeBytes);
    }

    /** {@code archive:<store>} followed by {@code /<prefix>} when there is a prefix. */
    @Override
    public String id() {
        return "archive:" + store.describe() + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public SinkWriter open(SinkContext context, Optional<String> state) {
        requireNonNull(context, "context is null");
        requireNonNull(state, "state is null");
        return new ArchiveSinkWriter(store, prefix, options, liveObjectSize, context, state);
    }
}
