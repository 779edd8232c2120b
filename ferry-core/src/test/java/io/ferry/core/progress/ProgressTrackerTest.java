package io.ferry.core.progress;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.state.SplitState;
import io.ferry.spi.source.Split;
import io.ferry.spi.source.SplitSize;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {
    private final AtomicLong nanos = new AtomicLong();
    private final ProgressTracker tracker = new ProgressTracker("job", nanos::get);

    @Test
    void rateAndTimeRemainingFollowTheRecentSpeed() {
        ProgressTracker.SplitTracker a = tracker.register(
                new Split("a", "a", 0),
                Optional.of(new SplitSize(1000, SplitSize.Unit.BYTES)),
                0,
                0,
                0,
                SplitState.RUNNING);
        tracker.register(
                new Split("b", "b", 0),
                Optional.of(new SplitSize(1000, SplitSize.Unit.BYTES)),
                500,
                50,
                500,
                SplitState.RUNNING);
        tracker.snapshot();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        a.advance(200, 20, 200);
        ProgressSnapshot snapshot = tracker.snapshot();
        assertEquals(700, snapshot.done());
        assertEquals(2000, snapshot.total().getAsLong());
        assertEquals(100.0, snapshot.unitsPerSecond().getAsDouble(), 0.001);
        assertEquals(13, snapshot.secondsRemaining().getAsLong());
        assertEquals(70, snapshot.records());
        assertEquals(20, snapshot.recordsThisRun(), "records of earlier runs are not this run's");
        assertEquals(0.35, snapshot.fraction().getAsDouble(), 0.0001);
    }

    @Test
    void anUnknownSizeMeansNoTotalAndNoTimeRemaining() {
        tracker.register(new Split("a", "a", 0), Optional.empty(), 0, 0, 0, SplitState.RUNNING);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        ProgressSnapshot snapshot = tracker.snapshot();
        assertTrue(snapshot.total().isEmpty());
        assertTrue(snapshot.secondsRemaining().isEmpty());
    }

    @Test
    void theTerminalBarShowsPercentAmountsRateAndTimeRemaining() {
        ProgressTracker.SplitTracker split = tracker.register(
                new Split("a", "a", 0),
                Optional.of(new SplitSize(100L * 1024 * 1024, SplitSize.Unit.BYTES)),
                0,
                0,
                0,
                SplitState.RUNNING);
        tracker.snapshot();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        split.advance(25L * 1024 * 1024, 1234, 25L * 1024 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TerminalProgressBar(new PrintStream(out, true, UTF_8)).render(tracker.snapshot(), false);
        String line = out.toString(UTF_8);
        assertTrue(line.startsWith("\r["), line);
        assertTrue(line.contains(" 25.0%"), line);
        assertTrue(line.contains("25.0 MiB / 100.0 MiB"), line);
        assertTrue(line.contains("1,234 records"), line);
        assertTrue(line.contains("25.0 MiB/s"), line);
        assertTrue(line.contains("ETA 0:03"), line);
    }
}
