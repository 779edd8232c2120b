package io.ferry.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The end-to-end export benchmark: {@code ferry export} of a JSONL file of 1 KiB lines (1 GiB by
 * default) with zstd level 1, against {@code zstd -1 -T1} of the same file, in alternating rounds,
 * plus the start-up time of {@code ferry --help}. Prints a markdown report and appends it to a
 * results file. Run from the repository root after building ferry-cli and this module:
 *
 * <pre>{@code
 * java -cp ferry-benchmarks/target/benchmarks.jar io.ferry.benchmarks.ExportBenchmark [--rounds 5] [--size-mib 1024]
 *     [--help-runs 10] [--work-dir /tmp/ferry-bench] [--results FILE] [--repo .]
 * }</pre>
 *
 * <p>Exits 1 when a ferry export fails (the report says which), 2 on a bad option.
 */
public final class ExportBenchmark {
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern USER_TIME = Pattern.compile("User time \\(seconds\\): ([0-9.]+)");
    private static final Pattern SYSTEM_TIME = Pattern.compile("System time \\(seconds\\): ([0-9.]+)");
    private static final Path GNU_TIME = Path.of("/usr/bin/time");
    private static final long SEED = 20251122;

    private final Options options;
    private final Path javaBinary;
    private final Path builtJar; // ferry-cli/target/ferry.jar
    private final Path ferryJar; // the copy every run uses
    private final boolean timeAvailable;
    private final StringBuilder report = new StringBuilder();

    private ExportBenchmark(Options options) {
        this.options = options;
        this.javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        this.builtJar = options.repo().resolve("ferry-cli/target/ferry.jar");
        this.ferryJar = options.workDir().resolve("ferry.jar");
        this.timeAvailable = Files.isExecutable(GNU_TIME);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        boolean exportsSucceeded = new ExportBenchmark(options).run();
        System.exit(exportsSucceeded ? 0 : 1);
    }

    /**
     * One timed child process: wall seconds, exit code and, under GNU time, CPU seconds (user plus
     * system, NaN otherwise) and peak RSS.
     */
    record Run(double seconds, int exitCode, double cpuSeconds, OptionalLong peakRssKiB, Path stderr) {}

    private boolean run() throws IOException, InterruptedException {
        if (!Files.isRegularFile(builtJar)) {
            throw new IllegalStateException(
                    builtJar + " does not exist; build it first: ./mvnw -B -q -DskipTests -pl ferry-cli -am install");
        }
        Path work = options.workDir();
        Files.createDirectories(work.resolve("logs"));
        String started =
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        line("## Export benchmark, " + started);
        line("");
        line("Machine: " + Host.machine() + " (" + javaBinary + "), " + version(List.of("zstd", "--version"))
                + "; load average at start " + Host.loadAverage() + ".");
        FileTime jarBuilt = Files.getLastModifiedTime(builtJar);
        Files.copy(builtJar, ferryJar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        line("ferry.jar: " + builtJar + " (" + Files.size(builtJar) + " bytes, built " + jarBuilt + "), copied to "
                + ferryJar + " at the start, so that a rebuild during the run cannot mix builds.");
        line("");
        boolean exportsSucceeded = true;
        if (options.rounds() > 0) {
            exportsSucceeded = exportRounds(work);
        }
        if (options.helpRuns() > 0) {
            startUp(work);
        }
        if (!Files.getLastModifiedTime(builtJar).equals(jarBuilt)) {
            line("Note: " + builtJar + " was rebuilt during the run (now " + Files.getLastModifiedTime(builtJar)
                    + "); every run used the copy taken at the start.");
        }
        line("Load average at end " + Host.loadAverage() + ".");
        line("");
        Path results = options.results();
        Files.writeString(
                results, report, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        System.out.println("Appended to " + results.toAbsolutePath());
        return exportsSucceeded;
    }

    private boolean exportRounds(Path work) throws IOException, InterruptedException {
        long lines = options.sizeMiB() * (1L << 20) / EventLines.LINE_BYTES;
        Path data = work.resolve("events-" + options.sizeMiB() + "MiB.jsonl");
        long size = lines * EventLines.LINE_BYTES;
        String how;
        if (isRightSized(data, size)) {
            how = "reused";
        } else {
            long start = System.nanoTime();
            EventLines.writeFile(data, lines, SEED);
            how = String.format(Locale.ROOT, "generated in %.1f s", Host.seconds(start));
        }
        long start = System.nanoTime();
        readThrough(data); // both contenders then read from the page cache
        line(String.format(
                Locale.ROOT,
                "Data: %s, %,d bytes (%d MiB), %,d lines of %d bytes (%s; read once into the page cache in %.1f s).",
                data,
                size,
                options.sizeMiB(),
                lines,
                EventLines.LINE_BYTES,
                how,
                Host.seconds(start)));
        line("");
        Path zstdOut = work.resolve("baseline.jsonl.zst");
        Path roundDir = work.resolve("round");
        List<String> zstd = List.of("zstd", "-1", "-T1", "-q", "-f", data.toString(), "-o", zstdOut.toString());
        List<String> ferry = List.of(
                javaBinary.toString(),
                "-Xmx" + options.xmx(),
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                ferryJar.toString(),
                "export",
                data.toString(),
                roundDir.resolve("bucket").toString(),
                "--compression",
                "zstd",
                "--compression-level",
                "1",
                "--progress",
                "none",
                "--state-dir",
                roundDir.resolve("state").toString(),
                "--restart");
        line("Baseline: `" + String.join(" ", zstd) + "`");
        line("");
        line("ferry: `" + String.join(" ", ferry) + "` (bucket and state directory deleted before each round)");
        line("");
        line("Wall time per round, measured around the child process"
                + (timeAvailable ? " (run under `/usr/bin/time -v` for CPU time, user plus system, and peak RSS)" : "")
                + "; MB = 10^6 bytes of input. The CPU ratio, zstd CPU / ferry CPU, is the throughput ratio"
                + " ferry would reach if both got a whole core, and is less disturbed by other load.");
        line("");
        line("| round | zstd (s) | ferry (s) | zstd MB/s | ferry MB/s | ferry/zstd throughput | zstd CPU (s)"
                + " | ferry CPU (s) | CPU ratio | ferry exit | ferry peak RSS (MiB) | zstd output (bytes)"
                + " | ferry bucket (bytes) |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<Run> baselines = new ArrayList<>();
        List<Run> ferries = new ArrayList<>();
        boolean allSucceeded = true;
        for (int round = 1; round <= options.rounds(); round++) {
            Files.deleteIfExists(zstdOut);
            Run baseline = timed(zstd, work.resolve("logs/round-" + round + "-zstd"));
            long zstdBytes = Files.exists(zstdOut) ? Files.size(zstdOut) : -1;
            Files.deleteIfExists(zstdOut);
            Host.deleteTree(roundDir);
            Run export = timed(ferry, work.resolve("logs/round-" + round + "-ferry"));
            long bucketBytes = treeSize(roundDir.resolve("bucket"));
            Host.deleteTree(roundDir);
            baselines.add(baseline);
            ferries.add(export);
            if (baseline.exitCode() != 0) {
                throw new IllegalStateException(
                        "zstd failed with exit code " + baseline.exitCode() + ": " + tail(baseline.stderr()));
            }
            if (export.exitCode() != 0) {
                allSucceeded = false;
            }
            line(String.format(
                    Locale.ROOT,
                    "| %d | %.2f | %.2f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %s | %,d | %,d |",
                    round,
                    baseline.seconds(),
                    export.seconds(),
                    size / 1e6 / baseline.seconds(),
                    size / 1e6 / export.seconds(),
                    baseline.seconds() / export.seconds(),
                    baseline.cpuSeconds(),
                    export.cpuSeconds(),
                    baseline.cpuSeconds() / export.cpuSeconds(),
                    export.exitCode(),
                    Host.mebibytes(export.peakRssKiB()),
                    zstdBytes,
                    bucketBytes));
            if (export.exitCode() != 0) {
                line("");
                line("ferry failed in round " + round + ": `" + tail(export.stderr()) + "`");
                line("");
            }
        }
        double zstdMedian = median(baselines, Run::seconds);
        double ferryMedian = median(ferries, Run::seconds);
        double pairedRatio = median(
                IntStream.range(0, baselines.size())
                        .mapToObj(
                                i -> baselines.get(i).seconds() / ferries.get(i).seconds())
                        .toList(),
                Double::doubleValue);
        double zstdCpu = median(baselines, Run::cpuSeconds);
        double ferryCpu = median(ferries, Run::cpuSeconds);
        line(String.format(
                Locale.ROOT,
                "| **median** | **%.2f** | **%.2f** | **%.0f** | **%.0f** | **%.2f** | **%.2f** | **%.2f** | **%.2f** | |"
                        + " %s | | |",
                zstdMedian,
                ferryMedian,
                size / 1e6 / zstdMedian,
                size / 1e6 / ferryMedian,
                pairedRatio,
                zstdCpu,
                ferryCpu,
                zstdCpu / ferryCpu,
                Host.mebibytes(maxRss(ferries))));
        line("");
        line(String.format(
                Locale.ROOT,
                "Median throughput: zstd %.0f MB/s, ferry %.0f MB/s; ferry/zstd %.2f (ratio of medians), %.2f (median"
                        + " of per-round ratios); target at least 0.50: %s. ferry exports that exited 0 with -Xmx%s:"
                        + " %d of %d.%s",
                size / 1e6 / zstdMedian,
                size / 1e6 / ferryMedian,
                zstdMedian / ferryMedian,
                pairedRatio,
                zstdMedian / ferryMedian >= 0.5 ? "met" : "NOT met",
                options.xmx(),
                ferries.stream().filter(r -> r.exitCode() == 0).count(),
                ferries.size(),
                timeAvailable
                        ? String.format(
                                Locale.ROOT,
                                " Median CPU time: zstd %.2f s, ferry %.2f s, ratio %.2f. Peak RSS: the largest of"
                                        + " the rounds in the median row.",
                                zstdCpu,
                                ferryCpu,
                                zstdCpu / ferryCpu)
                        : ""));
        line("");
        return allSucceeded;
    }

    private void startUp(Path work) throws IOException, InterruptedException {
        List<String> jar = List.of(
                javaBinary.toString(), "--enable-native-access=ALL-UNNAMED", "-jar", ferryJar.toString(), "--help");
        line("Start-up, `--help` (JVM start included), " + options.helpRuns()
                + " timed runs after one untimed warm-up run each:");
        line("");
        line("| command | median (ms) | min (ms) | max (ms) |");
        line("|---|---|---|---|");
        line(startUpRow("`" + String.join(" ", jar) + "`", jar, work));
        Optional<Path> launcher = launcherCopy(work);
        if (launcher.isPresent()) {
            line(startUpRow(
                    "`" + options.repo().resolve("ferry") + " --help` (as " + launcher.get() + ", see below)",
                    List.of(launcher.get().toString(), "--help"),
                    work));
        }
        line("");
        if (launcher.isPresent()) {
            line("The launcher is measured as a copy with its build step disabled: `./ferry` rebuilds ferry"
                    + " whenever any .java or pom.xml under the repository is newer than ferry.jar, which a benchmark"
                    + " must not trigger. The copy keeps everything else, including the staleness `find` over the"
                    + " whole tree (without `-quit`, as when nothing changed) and the CDS archive; it runs the jar"
                    + " copy above and keeps its CDS archive at " + work.resolve("ferry.jsa")
                    + " instead of ferry-cli/target.");
            line("");
        }
    }

    private String startUpRow(String label, List<String> command, Path work) throws IOException, InterruptedException {
        Path log = work.resolve("logs/help");
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i <= options.helpRuns(); i++) {
            Run run = timed(command, log, false);
            if (run.exitCode() != 0) {
                return "| " + label + " | failed with exit code " + run.exitCode() + ": " + tail(run.stderr())
                        + " | | |";
            }
            if (i > 0) {
                millis.add(run.seconds() * 1000);
            }
        }
        return String.format(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.0f |",
                label,
                median(millis, Double::doubleValue),
                millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    /**
     * A copy of the {@code ferry} launcher that never builds: rooted at the repository, its staleness
     * check walking the whole tree but ignored, its CDS archive under the work directory.
     */
    private Optional<Path> launcherCopy(Path work) throws IOException {
        Path original = options.repo().resolve("ferry");
        String script = Files.readString(original, UTF_8);
        String root = "root=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"";
        Map<String, String> edits = Map.of(
                root,
                "root=" + shellQuote(options.repo().toAbsolutePath().normalize().toString()),
                "if needs_build; then",
                "if needs_build && false; then",
                "-newer \"$jar\" -print -quit",
                "-newer \"$jar\" -print",
                "jar=\"$root/ferry-cli/target/ferry.jar\"",
                "jar=" + shellQuote(ferryJar.toString()),
                "-XX:SharedArchiveFile=\"$root/ferry-cli/target/ferry.jsa\"",
                "-XX:SharedArchiveFile=" + shellQuote(work.resolve("ferry.jsa").toString()));
        for (Map.Entry<String, String> edit : edits.entrySet()) {
            if (!script.contains(edit.getKey())) {
                line("(The launcher was not measured: " + original + " no longer contains `" + edit.getKey()
                        + "`; update ExportBenchmark.launcherCopy.)");
                return Optional.empty();
            }
            script = script.replace(edit.getKey(), edit.getValue());
        }
        Path copy = work.resolve("ferry-launcher");
        Files.writeString(copy, script, UTF_8);
        if (!copy.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + copy + " executable");
        }
        return Optional.of(copy);
    }

    private Run timed(List<String> command, Path logPrefix) throws IOException, InterruptedException {
        return timed(command, logPrefix, timeAvailable);
    }

    private Run timed(List<String> command, Path logPrefix, boolean underTime)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (underTime) {
            full.addAll(List.of(GNU_TIME.toString(), "-v"));
        }
        full.addAll(command);
        Path stdout = logPrefix.resolveSibling(logPrefix.getFileName() + ".out");
        Path stderr = logPrefix.resolveSibling(logPrefix.getFileName() + ".err");
        ProcessBuilder builder =
                new ProcessBuilder(full).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("FERRY_JAVA_OPTS");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.HOURS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 2 hours");
        }
        double seconds = Host.seconds(start);
        OptionalLong rss = OptionalLong.empty();
        double cpu = Double.NaN;
        if (underTime) {
            String report = Files.readString(stderr, UTF_8);
            Matcher matcher = MAX_RSS.matcher(report);
            if (matcher.find()) {
                rss = OptionalLong.of(Long.parseLong(matcher.group(1)));
            }
            Matcher user = USER_TIME.matcher(report);
            Matcher system = SYSTEM_TIME.matcher(report);
            if (user.find() && system.find()) {
                cpu = Double.parseDouble(user.group(1)) + Double.parseDouble(system.group(1));
            }
        }
        return new Run(seconds, process.exitValue(), cpu, rss, stderr);
    }

    /** True when {@code data} is a file of {@code size} bytes that this generator wrote. */
    static boolean isRightSized(Path data, long size) throws IOException {
        if (!Files.isRegularFile(data) || Files.size(data) != size) {
            return false;
        }
        byte[] expected = new EventLines(SEED).next();
        byte[] actual = new byte[expected.length];
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(actual);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // reads the first line
            }
        }
        return Arrays.equals(expected, actual);
    }

    private static void readThrough(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.clear();
            }
        }
    }

    static <T> double median(List<T> values, ToDoubleFunction<T> value) {
        double[] sorted = values.stream().mapToDouble(value).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static OptionalLong maxRss(List<Run> runs) {
        return runs.stream()
                .map(Run::peakRssKiB)
                .filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong)
                .max();
    }

    private static String version(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8).trim();
            process.waitFor();
            return output.replace("*", "").trim();
        } catch (IOException e) {
            return command.get(0) + " not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return command.get(0) + " version unknown";
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, UTF_8);
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static long treeSize(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        }
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    /** The command-line options; all optional. */
    record Options(Path workDir, int rounds, long sizeMiB, int helpRuns, String xmx, Path repo, Path results) {
        static final String USAGE = "usage: ExportBenchmark [--work-dir DIR (default /tmp/ferry-bench)] [--rounds N"
                + " (default 5)] [--size-mib N (default 1024)] [--help-runs N (default 10)] [--xmx SIZE (default"
                + " 128m)] [--repo DIR (default .)] [--results FILE (default WORK_DIR/results.md)]";

        static Options parse(String... args) {
            Path workDir = Path.of("/tmp/ferry-bench");
            int rounds = 5;
            long sizeMiB = 1024;
            int helpRuns = 10;
            String xmx = "128m";
            Path repo = Path.of("").toAbsolutePath();
            @Nullable Path results = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || option.equals("-h")) {
                    throw new IllegalArgumentException(USAGE);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value; " + USAGE);
                }
                String value = args[++i];
                switch (option) {
                    case "--work-dir" -> workDir = Path.of(value);
                    case "--rounds" -> rounds = count(option, value);
                    case "--size-mib" -> sizeMiB = count(option, value);
                    case "--help-runs" -> helpRuns = count(option, value);
                    case "--xmx" -> xmx = value;
                    case "--repo" -> repo = Path.of(value).toAbsolutePath().normalize();
                    case "--results" -> results = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
                }
            }
            return new Options(
                    workDir,
                    rounds,
                    sizeMiB,
                    helpRuns,
                    xmx,
                    repo,
                    results == null ? workDir.resolve("results.md") : results);
        }

        private static int count(String option, String value) {
            try {
                int count = Integer.parseInt(value);
                if (count >= 0) {
                    return count;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    option + " must be a whole number of at least 0, got '" + value + "' (example: " + option + " 5)");
        }
    }
}
