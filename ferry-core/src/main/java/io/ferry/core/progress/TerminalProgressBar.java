package io.ferry.core.progress;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** A one-line bar redrawn in place on a terminal: percent, amounts, records, rate, time remaining. */
public final class TerminalProgressBar implements ProgressRenderer {
    private static final int WIDTH = 28;

    private final PrintStream out;
    private int lastLength;

    public TerminalProgressBar(PrintStream out) {
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public Duration interval() {
        return Duration.ofMillis(200);
    }

    @Override
    public void render(ProgressSnapshot snapshot, boolean last) {
        StringBuilder line = new StringBuilder();
        if (snapshot.fraction().isPresent()) {
            double fraction = snapshot.fraction().getAsDouble();
            int filled = (int) Math.round(fraction * WIDTH);
            line.append('[')
                    .append("#".repeat(filled))
                    .append("-".repeat(WIDTH - filled))
                    .append("] ")
                    .append(String.format(Locale.ROOT, "%5.1f%%", fraction * 100))
                    .append("  ")
                    .append(Formats.amount(snapshot.done(), snapshot.unit()))
                    .append(" / ")
                    .append(Formats.amount(snapshot.total().getAsLong(), snapshot.unit()));
        } else {
            line.append(Formats.amount(snapshot.done(), snapshot.unit()));
        }
        line.append("  ").append(Formats.count(snapshot.records())).append(" records");
        snapshot.unitsPerSecond()
                .ifPresent(rate -> line.append("  ")
                        .append(Formats.amount(rate, snapshot.unit()))
                        .append("/s"));
        if (last) {
            line.append("  in ").append(Formats.duration(snapshot.elapsed()));
        } else {
            snapshot.secondsRemaining()
                    .ifPresent(seconds -> line.append("  ETA ").append(Formats.duration(Duration.ofSeconds(seconds))));
        }
        int length = line.length();
        if (length < lastLength) {
            line.append(" ".repeat(lastLength - length));
        }
        lastLength = length;
        out.print("\r" + line + (last ? System.lineSeparator() : ""));
        out.flush();
    }
}
