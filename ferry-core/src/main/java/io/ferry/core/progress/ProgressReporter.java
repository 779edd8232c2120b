package io.ferry.core.progress;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders a tracker's snapshots on a daemon thread until closed, then renders once more, last. */
public final class ProgressReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final ProgressTracker tracker;
    private final ProgressRenderer renderer;
    private final ScheduledExecutorService timer;

    public ProgressReporter(ProgressTracker tracker, ProgressRenderer renderer) {
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.renderer = requireNonNull(renderer, "renderer is null");
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ferry-progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = renderer.interval().toMillis();
        // render catches what a renderer throws, so the schedule never ends early and its future holds nothing
        ScheduledFuture<?> unused =
                timer.scheduleAtFixedRate(() -> render(false), millis, millis, TimeUnit.MILLISECONDS);
    }

    private void render(boolean last) {
        try {
            renderer.render(tracker.snapshot(), last);
        } catch (RuntimeException e) {
            log.debug("Progress rendering failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        render(true);
    }
}
