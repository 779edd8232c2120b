package io.ferry.cli;

import io.ferry.cli.serve.ServeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Starts ferry serve in this JVM for a test, on a free port, with a known token. */
final class ServeTesting implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789abcdef";

    private final ServeCommand.Running running;
    private final ByteArrayOutputStream log;
    final ServeClient client;

    private ServeTesting(ServeCommand.Running running, ByteArrayOutputStream log) {
        this.running = running;
        this.log = log;
        this.client = new ServeClient(running.url(), TOKEN);
    }

    /** Starts a server with {@code args} (serve's options) plus --port 0; {@code environment} adds variables. */
    static ServeTesting start(Map<String, String> environment, String... args) {
        ServeCommand command = new ServeCommand();
        List<String> all = new ArrayList<>(List.of("--port", "0"));
        all.addAll(List.of(args));
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        Map<String, String> env = new HashMap<>(environment);
        env.put("FERRY_API_TOKEN", TOKEN);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(log, true, StandardCharsets.UTF_8);
        return new ServeTesting(command.start(env, err, err), log);
    }

    static ServeTesting start(String... args) {
        return start(Map.of(), args);
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running.close();
    }
}
