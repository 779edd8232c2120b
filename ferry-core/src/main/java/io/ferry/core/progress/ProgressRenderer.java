package io.ferry.core.progress;

/**
 * Shows progress somewhere: a terminal bar, log lines, JSON events. Called from one reporter thread;
 * must be fast and never throw.
 */
public interface ProgressRenderer {
    /** Shows {@code snapshot}; {@code last} is the final call of the run. */
    void render(ProgressSnapshot snapshot, boolean last);

    /** The interval between renders this renderer wants. */
    java.time.Duration interval();

    ProgressRenderer NONE = new ProgressRenderer() {
        @Override
        public void render(ProgressSnapshot snapshot, boolean last) {}

        @Override
        public java.time.Duration interval() {
            return java.time.Duration.ofSeconds(1);
        }
    };
}
