package io.ferry.core.report;

import static java.util.Objects.requireNonNull;

import io.ferry.core.state.SplitState;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One split in a run report: its outcome, records and bytes read in this run and in all runs, and
 * the position each destination reached (encoded).
 */
public record SplitReport(
        String split,
        SplitState state,
        long recordsThisRun,
        long bytesThisRun,
        long recordsTotal,
        long bytesTotal,
        Map<String, String> positions,
        @Nullable String errorKind,
        @Nullable String errorCode,
        @Nullable String error) {
    public SplitReport {
        requireNonNull(split, "split is null");
        requireNonNull(state, "state is null");
        positions = Map.copyOf(positions);
    }
}
