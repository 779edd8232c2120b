package io.ferry.spi.sink;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.position.Position;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a sink has made durable: the last durable record's offset and position (none yet when
 * nothing is durable) and the sink's own state to hand back on resume (for example the length of an
 * output file to truncate to).
 */
public record WriteReceipt(long lastOffset, @Nullable Position lastPosition, String state) {
    public WriteReceipt {
        requireNonNull(state, "state is null");
        if (lastPosition == null && lastOffset != -1) {
            throw new IllegalArgumentException("an offset without a position: " + lastOffset);
        }
    }

    /** Nothing written by this writer is durable yet. */
    public static WriteReceipt nothingDurable(String state) {
        return new WriteReceipt(-1, null, state);
    }

    public static WriteReceipt durableThrough(long offset, Position position, String state) {
        return new WriteReceipt(offset, requireNonNull(position, "position is null"), state);
    }

    public Optional<Position> durablePosition() {
        return Optional.ofNullable(lastPosition);
    }
}
