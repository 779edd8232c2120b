package io.ferry.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.ferry.core.state.SplitState;
import io.ferry.spi.error.FerryException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** How one split's run ended. */
public record SplitOutcome(
        String split,
        SplitState state,
        long recordsThisRun,
        long bytesThisRun,
        long recordsTotal,
        long bytesTotal,
        Map<String, String> positions,
        @Nullable FerryException failure) {
    public SplitOutcome {
        requireNonNull(split, "split is null");
        requireNonNull(state, "state is null");
        positions = Map.copyOf(positions);
    }

    public Optional<FerryException> findFailure() {
        return Optional.ofNullable(failure);
    }
}
