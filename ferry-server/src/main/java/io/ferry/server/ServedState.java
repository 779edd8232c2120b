package io.ferry.server;

import java.util.Locale;

/** Where a served job stands, as the API reports it. */
public enum ServedState {
    /** A run is in progress (or was when the server stopped: it resumes at the next start). */
    RUNNING,
    /** Stopped at a checkpoint on request; resume continues from there. */
    PAUSED,
    SUCCEEDED,
    /** Stopped by an error; resume retries from the last checkpoint. */
    FAILED,
    /** Stopped for good on request. */
    CANCELLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return switch (this) {
            case SUCCEEDED, CANCELLED -> true;
            case RUNNING, PAUSED, FAILED -> false;
        };
    }

    /** The state named {@code label} (case-insensitive). */
    public static ServedState parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
