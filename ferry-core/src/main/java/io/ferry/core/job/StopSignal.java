package io.ferry.core.job;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running job to pause: every split finishes the batch in hand, makes what it wrote durable,
 * saves its checkpoint and stops. Set from a signal handler or another thread.
 */
public final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);

    public void requestPause() {
        requested.countDown();
    }

    public boolean pauseRequested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code millis} for a pause request; true when one came. */
    public boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }
}
