package io.ferry.core.pipeline;

import io.ferry.core.job.StopSignal;
import java.util.concurrent.TimeUnit;

/**
 * The parameters of a running job that may change while it runs: a rate limit in records per
 * second and in bytes per second, shared by all the job's splits, the size at which archive
 * objects roll over, and how many splits run at once. Thread safe; a change applies to the next
 * batch any split reads (the next roll-over check for the object size, the next split started or
 * finished for the concurrency), without restarting the job. {@link #UNLIMITED} (0) means no
 * limit, and for the object size and the concurrency: what the job was started with.
 */
public final class LiveSettings {
    public static final long UNLIMITED = 0;

    private static final long CREDIT_NANOS = 1_000_000_000L;

    private long recordsPerSecond;
    private long bytesPerSecond;
    private long objectSizeBytes = UNLIMITED;
    private int concurrency = 0;
    // The instant (System.nanoTime) before which the budget already handed out is used up.
    private long nextFreeNanos = System.nanoTime();

    public LiveSettings(long recordsPerSecond, long bytesPerSecond) {
        check("records per second", recordsPerSecond);
        check("bytes per second", bytesPerSecond);
        this.recordsPerSecond = recordsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    public static LiveSettings unlimited() {
        return new LiveSettings(UNLIMITED, UNLIMITED);
    }

    public synchronized long recordsPerSecond() {
        return recordsPerSecond;
    }

    public synchronized long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** The object size to roll archive objects over at; 0 for the size the job was started with. */
    public synchronized long objectSizeBytes() {
        return objectSizeBytes;
    }

    /** Changes the object size that archive objects roll over at; 0 returns to the job's own. */
    public synchronized void retuneObjectSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException(
                    "An object size must be 0 (the job's own) or more bytes, got " + bytes + " (example: 67108864)");
        }
        this.objectSizeBytes = bytes;
    }

    /** How many splits may run at once; 0 for the job's own parallelism. */
    public synchronized int concurrency() {
        return concurrency;
    }

    /**
     * Changes how many splits may run at once; 0 returns to the job's own parallelism. More starts
     * waiting splits at once; fewer lets running splits finish and starts no new one until under it.
     */
    public synchronized void retuneConcurrency(int splits) {
        if (splits < 0) {
            throw new IllegalArgumentException(
                    "A concurrency must be 0 (the job's own) or more splits at once, got " + splits + " (example: 4)");
        }
        this.concurrency = splits;
    }

    /** Changes the limits; the new ones apply from now, without the debt of the old ones. */
    public synchronized void retune(long recordsPerSecond, long bytesPerSecond) {
        check("records per second", recordsPerSecond);
        check("bytes per second", bytesPerSecond);
        this.recordsPerSecond = recordsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.nextFreeNanos = System.nanoTime();
    }

    /**
     * Waits as long as needed for {@code records} and {@code bytes} just moved to fit the limits;
     * returns early when {@code stop} asks the job to pause.
     */
    public void pace(long records, long bytes, StopSignal stop) throws InterruptedException {
        long waitNanos = reserve(records, bytes);
        if (waitNanos > 0) {
            stop.await(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
        }
    }

    /** Books the cost of a batch and returns how long its mover must wait before going on. */
    synchronized long reserve(long records, long bytes) {
        if (recordsPerSecond == UNLIMITED && bytesPerSecond == UNLIMITED) {
            return 0;
        }
        long cost = 0;
        if (recordsPerSecond != UNLIMITED) {
            cost = Math.max(cost, (long) (records * 1e9 / recordsPerSecond));
        }
        if (bytesPerSecond != UNLIMITED) {
            cost = Math.max(cost, (long) (bytes * 1e9 / bytesPerSecond));
        }
        long now = System.nanoTime();
        // A mover slower than the limit may use up to a second of unused budget, so that the time it
        // took to move a batch counts towards the batch's share of the limit instead of adding to it.
        if (nextFreeNanos < now - CREDIT_NANOS) {
            nextFreeNanos = now - CREDIT_NANOS;
        }
        nextFreeNanos += cost;
        return Math.max(0, nextFreeNanos - now);
    }

    private static void check(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(
                    "A rate limit in " + what + " must be 0 (no limit) or more, got " + value + " (example: 5000)");
        }
    }
}
