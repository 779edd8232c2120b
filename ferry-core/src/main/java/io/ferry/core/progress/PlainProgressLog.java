package io.ferry.core.progress;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** One plain line every few seconds, for logs and CI where a redrawn bar would be noise. */
public final class PlainProgressLog implements ProgressRenderer {
    private final PrintStream out;
    private final Duration interval;

    public PlainProgressLog(PrintStream out, Duration interval) {
        this.out = requireNonNull(out, "out is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void render(ProgressSnapshot snapshot, boolean last) {
        StringBuilder line =
                new StringBuilder("progress ").append(snapshot.job()).append(':');
        snapshot.fraction().ifPresent(fraction -> line.append(String.format(Locale.ROOT, " %.1f%%", fraction * 100)));
        line.append(' ').append(Formats.amount(snapshot.done(), snapshot.unit()));
        snapshot.total().ifPresent(total -> line.append(" of ").append(Formats.amount(total, snapshot.unit())));
        line.append(", ").append(Formats.count(snapshot.records())).append(" records");
        snapshot.unitsPerSecond()
                .ifPresent(rate -> line.append(", ")
                        .append(Formats.amount(rate, snapshot.unit()))
                        .append("/s"));
        snapshot.secondsRemaining()
                .ifPresent(seconds -> line.append(", ")
                        .append(Formats.duration(Duration.ofSeconds(seconds)))
                        .append(" left"));
        line.append(", splits ").append(snapshot.splitsDone()).append('/').append(snapshot.splitsTotal());
        if (last) {
            line.append(", finished in ").append(Formats.duration(snapshot.elapsed()));
        }
        out.println(line);
        out.flush();
    }
}
