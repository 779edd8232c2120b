package io.ferry.core.progress;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Progress of a whole job at one instant. {@code done} and {@code total} are in the splits' size
 * unit (bytes for files); {@code total} is known only when every split's size is known in one unit.
 */
public record ProgressSnapshot(
        String job,
        long done,
        OptionalLong total,
        String unit,
        long records,
        long bytes,
        long recordsThisRun,
        Duration elapsed,
        OptionalDouble unitsPerSecond,
        OptionalDouble bytesPerSecond,
        OptionalLong secondsRemaining,
        int splitsDone,
        int splitsTotal,
        List<String> failedSplits) {
    public ProgressSnapshot {
        failedSplits = List.copyOf(failedSplits);
    }

    /** Fraction done in [0, 1], when the total is known. */
    public OptionalDouble fraction() {
        if (total.isEmpty()) {
            return OptionalDouble.empty();
        }
        long all = total.getAsLong();
        return OptionalDouble.of(all == 0 ? 1.0 : Math.min(1.0, (double) done / all));
    }
}
