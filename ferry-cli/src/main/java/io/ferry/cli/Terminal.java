package io.ferry.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** What ferry can tell about the terminal it runs in. */
final class Terminal {
    private Terminal() {}

    /** True when standard error is likely an interactive terminal, where a redrawn bar belongs. */
    @SuppressWarnings("SystemConsoleNull") // null on Java 21 when redirected; Java 22+ is asked isTerminal below
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected; isTerminal tells the truth there.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
