package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ./ferry launcher at the repository root, run as a user runs it. */
class LauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private record Run(int exitCode, String output) {}

    private static Run launch(Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(ROOT.resolve("ferry").toString());
        builder.command().addAll(java.util.List.of(args));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void findsAJdkOfAtLeast21AndRunsFerry() throws Exception {
        Run run = launch(Map.of("JAVA_HOME", "/nonexistent"), "--version");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("ferry "), run.output());
    }

    @Test
    void saysClearlyWhenNoJdk21OrNewerExists() throws Exception {
        Path oldJdk = Files.createTempDirectory("old-jdk");
        try {
            Files.createDirectories(oldJdk.resolve("bin"));
            Path java = Files.writeString(oldJdk.resolve("bin/java"), "#!/bin/sh\nexit 0\n");
            java.toFile().setExecutable(true);
            Files.writeString(oldJdk.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
            Run run = launch(Map.of("JAVA_HOME", oldJdk.toString(), "FERRY_JDK_DIRS", oldJdk.toString()), "--version");
            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.output().contains("ferry needs a JDK 21 or newer"), run.output());
            assertTrue(run.output().contains("JAVA_HOME"), run.output());
        } finally {
            deleteTree(oldJdk);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
