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
    // Explicit rather than compact, so @Nullable survives into the class file (see Record).
    public WriteReceipt(long lastOffset, @Nullable Position lastPosition, String state) {
        if (lastPosition == null && lastOffset != -1) {
            throw new IllegalArgumentException("an offset without a position: " + lastOffset);
        }
        this.lastOffset = lastOffset;
        this.lastPosition = lastPosition;
        this.state = requireNonNull(state, "state is null");
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
