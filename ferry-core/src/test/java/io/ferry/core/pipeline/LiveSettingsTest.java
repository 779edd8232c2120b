package io.ferry.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.job.StopSignal;
import org.junit.jupiter.api.Test;

class LiveSettingsTest {
    @Test
    void withoutALimitNothingWaits() {
        LiveSettings live = LiveSettings.unlimited();
        assertEquals(0, live.reserve(1_000_000, 1L << 30));
    }

    @Test
    void batchesAreSpacedToTheLimitAndARetuneAppliesAtOnceWithoutTheOldDebt() {
        LiveSettings live = new LiveSettings(1000, 0);
        long first = live.reserve(500, 0);
        long second = live.reserve(500, 0);
        assertTrue(first > 400_000_000L && first <= 500_000_000L, "first wait " + first);
        assertTrue(second > 900_000_000L && second <= 1_000_000_000L, "second wait " + second);

        live.retune(100_000, 0);
        long after = live.reserve(500, 0);
        assertTrue(after <= 5_000_000L, "a raised limit still waits " + after + " ns");
        assertEquals(100_000, live.recordsPerSecond());
    }

    @Test
    void aMoverSlowerThanTheLimitIsNotSlowedFurther() throws Exception {
        LiveSettings live = new LiveSettings(10_000, 0);
        live.reserve(1000, 0);
        Thread.sleep(1500); // moving the next batch took longer than its 100 ms share
        assertEquals(0, live.reserve(1000, 0));
    }

    @Test
    void theByteLimitCountsToo() {
        LiveSettings live = new LiveSettings(0, 1000);
        long wait = live.reserve(1, 2000);
        assertTrue(wait > 1_900_000_000L && wait <= 2_000_000_000L, "wait " + wait);
    }

    @Test
    void aPauseEndsTheWaitAtOnce() throws Exception {
        LiveSettings live = new LiveSettings(1, 0);
        StopSignal stop = new StopSignal();
        stop.requestPause();
        long started = System.nanoTime();
        live.pace(60, 0, stop);
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "pacing ignored the pause");
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LiveSettings(-1, 0));
        assertThrows(
                IllegalArgumentException.class, () -> LiveSettings.unlimited().retune(0, -1));
    }

    @Test
    void objectSizeAndConcurrencyStartAsTheJobsOwnAndChangeWhenRetuned() {
        LiveSettings live = new LiveSettings(100, 0);
        assertEquals(0, live.objectSizeBytes());
        assertEquals(0, live.concurrency());
        live.retuneObjectSize(1 << 20);
        live.retuneConcurrency(4);
        assertEquals(1 << 20, live.objectSizeBytes());
        assertEquals(4, live.concurrency());
        assertEquals(100, live.recordsPerSecond(), "the rate limit is untouched");
        assertThrows(IllegalArgumentException.class, () -> live.retuneObjectSize(-1));
        assertThrows(IllegalArgumentException.class, () -> live.retuneConcurrency(-1));
        assertEquals(4, live.concurrency(), "a refused change changes nothing");
    }
}
