package io.ferry.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** What the end-to-end benchmark runners report about the machine, and the file chores they share. */
final class Host {
    private Host() {}

    /** "N CPUs (model), X GiB RAM, JDK vendor version": the machine line of a report. */
    static String machine() {
        String cpu = "unknown CPU";
        String memory = "unknown memory";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo"), UTF_8).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo"), UTF_8).stream()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .findFirst()
                    .map(l -> String.format(
                            Locale.ROOT, "%.1f GiB RAM", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .orElse(memory);
        } catch (IOException | UncheckedIOException e) {
            // not Linux: leave them unknown
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), " + memory + ", JDK "
                + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version");
    }

    /** The three load averages of /proc/loadavg and its run-queue fields, or "unknown". */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String mebibytes(OptionalLong kib) {
        return kib.isPresent() ? String.format(Locale.ROOT, "%.0f", kib.getAsLong() / 1024.0) : "n/a";
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
