package io.ferry.core.job;

import io.ferry.spi.position.Position;

/** The position after the record at {@code offset}. */
record TestingPosition(long offset) implements Position {
    @Override
    public String encode() {
        return Long.toString(offset);
    }
}
