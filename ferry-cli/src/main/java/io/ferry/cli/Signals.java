package io.ferry.cli;

import io.ferry.core.job.StopSignal;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a clean pause: the first asks the job to stop at a
 * checkpoint; a second Ctrl-C while pausing ends the process at once (the last checkpoint still
 * holds, so the next run resumes from it).
 */
@SuppressWarnings("SunApi") // there is no supported way to handle SIGTERM without shutting down
final class Signals {
    private Signals() {}

    static void pauseOn(StopSignal stop, PrintStream err) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (received.incrementAndGet() == 1) {
                        err.println();
                        err.println("Pausing at the next checkpoint (press Ctrl-C again to stop at once)...");
                        stop.requestPause();
                    } else {
                        Runtime.getRuntime().halt(ExitCode.PAUSED);
                    }
                });
            } catch (IllegalArgumentException e) {
                // This platform does not let us handle that signal; the default action stays.
            }
        }
    }
}
