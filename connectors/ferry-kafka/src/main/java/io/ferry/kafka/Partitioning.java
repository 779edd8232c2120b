package io.ferry.kafka;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;
import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.util.Map;
import java.util.TreeMap;

/** Which partition of the target topic a record goes to. */
public sealed interface Partitioning {
    /** The record's own partition: partition {@code p} of the source goes to partition {@code p}. */
    Partitioning SAME = new Same();

    /** By the hash of the key, as Kafka's default partitioner does (by origin when the key is null). */
    Partitioning KEY = new ByKey();

    /** Source partition {@code p} goes to target partition {@code targets.get(p)}. */
    static Partitioning map(Map<Integer, Integer> targets) {
        return new Mapped(targets);
    }

    /** See {@link #SAME}. */
    record Same() implements Partitioning {}

    /** See {@link #KEY}. */
    record ByKey() implements Partitioning {}

    /** See {@link #map}. */
    record Mapped(Map<Integer, Integer> targets) implements Partitioning {
        public Mapped {
            targets = Map.copyOf(new TreeMap<>(requireNonNull(targets, "targets is null")));
            if (targets.isEmpty()) {
                throw new FerryException(BAD_OPTION, "--partition-map is empty (example: --partition-map 0=3,1=4)");
            }
            for (Map.Entry<Integer, Integer> entry : targets.entrySet()) {
                if (entry.getKey() < 0 || entry.getValue() < 0) {
                    throw new FerryException(
                            BAD_OPTION,
                            "--partition-map " + entry.getKey() + "=" + entry.getValue()
                                    + ": partitions count from 0 (example: --partition-map 0=3,1=4)");
                }
            }
        }
    }
}
