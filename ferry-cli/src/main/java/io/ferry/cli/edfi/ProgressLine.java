package io.ferry.cli.edfi;

import io.ferry.edfi.send.ResourceResults;
import io.ferry.edfi.send.SendListener;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

/** A progress line per resource (records, rate, time remaining), redrawn on a terminal; silent otherwise. */
final class ProgressLine implements SendListener {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private volatile long startedNanos;
    private volatile long lastDrawNanos;

    private ProgressLine(PrintStream err) {
        this.err = err;
    }

    /** A progress line on {@code err} when it is a terminal, else a listener that prints nothing. */
    static SendListener forTerminal(PrintStream err) {
        return interactive() ? new ProgressLine(err) : SendListener.NONE;
    }

    private static boolean interactive() {
        return java.util.Optional.ofNullable(System.console())
                .map(ProgressLine::isTerminal)
                .orElse(false);
    }

    private static boolean isTerminal(Console console) {
        try {
            // Java 22+ returns a console even when redirected; isTerminal tells the truth there.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public void started(String resource, long lines) {
        startedNanos = System.nanoTime();
        lastDrawNanos = 0;
        draw(resource, 0, lines);
    }

    @Override
    public void progressed(String resource, long done, long lines) {
        long now = System.nanoTime();
        if (now - lastDrawNanos >= REDRAW_NANOS || done == lines) {
            lastDrawNanos = now;
            draw(resource, done, lines);
        }
    }

    @Override
    public void finished(ResourceResults results) {
        synchronized (err) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    private void draw(String resource, long done, long lines) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        double rate = done / seconds;
        String remaining =
                rate > 0 && lines > done ? String.format(Locale.ROOT, "%.0fs left", (lines - done) / rate) : "";
        int width = 24;
        int filled = lines == 0 ? width : (int) (width * done / lines);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        synchronized (err) {
            err.printf(
                    Locale.ROOT, "\r\033[K%-32s [%s] %d/%d  %.0f/s  %s", resource, bar, done, lines, rate, remaining);
            err.flush();
        }
    }
}
