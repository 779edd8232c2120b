package io.ferry.core.state;

/** Where one split of a job stands. */
public enum SplitState {
    PENDING,
    RUNNING,
    PAUSED,
    DONE,
    FAILED
}
