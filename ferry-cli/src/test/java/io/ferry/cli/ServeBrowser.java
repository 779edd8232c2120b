package io.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Headless Chromium driven over the W3C WebDriver protocol: starts chromedriver, opens one session
 * and offers the few commands the dashboard test needs. Closing ends the session and the driver.
 */
final class ServeBrowser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final List<Path> DRIVERS =
            List.of(Path.of("/usr/bin/chromedriver"), Path.of("/usr/lib/chromium/chromedriver"));
    private static final List<Path> BROWSERS =
            List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/lib/chromium/chromium"));

    private final HttpClient http = HttpClient.newHttpClient();
    private final Process driver;
    private final String base;
    private final String session;

    private ServeBrowser(Process driver, String base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    /** The chromedriver and Chromium binaries, when installed. */
    static Optional<Path[]> installation() {
        Optional<Path> driver = DRIVERS.stream().filter(Files::isExecutable).findFirst();
        Optional<Path> browser = BROWSERS.stream().filter(Files::isExecutable).findFirst();
        return driver.isPresent() && browser.isPresent()
                ? Optional.of(new Path[] {driver.get(), browser.get()})
                : Optional.empty();
    }

    /** Starts chromedriver and a headless browser with a window of {@code width} x {@code height}. */
    static ServeBrowser start(Path[] installation, int width, int height, Path log) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process driver = new ProcessBuilder(installation[0].toString(), "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpResponse<String> status = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (JSON.readTree(status.body()).path("value").path("ready").asBoolean()) {
                    break;
                }
            } catch (IOException notYet) {
                // chromedriver is still starting
            }
            if (System.nanoTime() > deadline || !driver.isAlive()) {
                driver.destroyForcibly();
                throw new AssertionError("chromedriver did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        ObjectNode capabilities = JSON.createObjectNode();
        ObjectNode always = capabilities.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", installation[1].toString());
        ArrayNode args = chrome.putArray("args");
        for (String arg : List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=" + width + "," + height)) {
            args.add(arg);
        }
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(base + "/session"))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(capabilities.toString()))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(created.body()).path("value");
        if (!value.has("sessionId")) {
            driver.destroyForcibly();
            throw new AssertionError("no browser session: " + created.body());
        }
        return new ServeBrowser(driver, base, value.get("sessionId").asText());
    }

    private JsonNode command(String method, String path, JsonNode body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/session/" + session + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json");
            request.method(
                    method,
                    method.equals("GET") || method.equals("DELETE")
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body.toString()));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(response.body()).path("value");
            if (response.statusCode() != 200) {
                throw new AssertionError("WebDriver " + method + " " + path + " failed: " + response.body());
            }
            return value;
        } catch (IOException e) {
            throw new AssertionError("WebDriver " + method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    void open(String url) {
        command("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    String find(String css) {
        JsonNode element = command(
                "POST",
                "/element",
                JSON.createObjectNode().put("using", "css selector").put("value", css));
        JsonNode reference = element.get(ELEMENT);
        if (reference == null) {
            throw new AssertionError("no element " + css + ": " + element);
        }
        return reference.asText();
    }

    void click(String css) {
        command("POST", "/element/" + find(css) + "/click", JSON.createObjectNode());
    }

    void type(String css, String text) {
        String element = find(css);
        command("POST", "/element/" + element + "/clear", JSON.createObjectNode());
        command(
                "POST",
                "/element/" + element + "/value",
                JSON.createObjectNode().put("text", text));
    }

    /** Runs {@code script} (a function body) in the page with {@code args}; returns its result. */
    JsonNode script(String script, Object... args) {
        ObjectNode body = JSON.createObjectNode();
        body.put("script", script);
        ArrayNode list = body.putArray("args");
        for (Object arg : args) {
            list.addPOJO(arg);
        }
        return command("POST", "/execute/sync", body);
    }

    /** Evaluates {@code script} until {@code condition} holds on its result; returns that result. */
    JsonNode await(String what, Duration timeout, String script, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode value = script(script);
        while (!condition.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not show " + what + "; last: " + value);
            }
            Thread.sleep(100);
            value = script(script);
        }
        return value;
    }

    void screenshot(Path file) throws IOException {
        JsonNode png = command("GET", "/screenshot", JSON.createObjectNode());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(png.asText()));
    }

    @Override
    public void close() {
        try {
            command("DELETE", "", JSON.createObjectNode());
        } catch (AssertionError e) {
            // the session is gone already; the driver is stopped below either way
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                driver.destroyForcibly();
            }
        }
    }
}
