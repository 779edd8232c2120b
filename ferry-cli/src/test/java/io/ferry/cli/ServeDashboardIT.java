package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.testing.GeneratedFile;
import io.ferry.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeDashboardIT {
    /** Where the screenshots go: kept with the build's output as artifacts. */
    private static final Path SCREENSHOTS = Path.of("target", "dashboard");

    @TempDir
    Path dir;

    @Test
    void onAPhoneSizedScreenTheDashboardStartsAJobShowsItsBarMovingPausesResumesAndSeesItFinish() throws Exception {
        Optional<Path[]> installation = ServeBrowser.installation();
        assumeTrue(installation.isPresent(), "chromium and chromium-driver are not installed (.ci/run installs them)");
        GeneratedFile input = TestData.writeJsonlRecords(dir.resolve("orders.jsonl"), 24_000, 5);
        Path bucket = dir.resolve("bucket");
        try (ServeTesting server =
                        ServeTesting.start("--state-dir", dir.resolve("state").toString(), "--tasks", dir.toString());
                ServeBrowser browser =
                        ServeBrowser.start(installation.get(), 390, 844, dir.resolve("chromedriver.log"))) {
            browser.open(server.client.base() + "/");
            browser.await(
                    "the token form",
                    Duration.ofSeconds(10),
                    "return !document.getElementById('login').classList.contains('hidden');",
                    JsonNode::asBoolean);
            browser.type("#token", ServeTesting.TOKEN);
            browser.click("#login button");
            browser.await(
                    "the job list",
                    Duration.ofSeconds(10),
                    "return !document.getElementById('app').classList.contains('hidden');",
                    JsonNode::asBoolean);

            browser.click("#new-job summary");
            browser.type(
                    "#request",
                    "{\"kind\": \"export\", \"from\": \"" + input.path() + "\", \"to\": \"" + bucket
                            + "\", \"limits\": {\"records_per_second\": 3000}}");
            browser.click("#create");
            String id = browser.await(
                            "a job card",
                            Duration.ofSeconds(10),
                            "const card = document.querySelector('.job'); return card ? card.dataset.job : null;",
                            value -> !value.isNull())
                    .asText();
            String percent = "return Number(document.querySelector('[data-job=\"" + id + "\"]').dataset.percent);";
            String state = "return document.querySelector('[data-job=\"" + id + "\"]').dataset.state;";
            double first = browser.await(
                            "the bar moving", Duration.ofSeconds(20), percent, value -> value.asDouble() > 0)
                    .asDouble();
            double later = browser.await(
                            "the bar moving further",
                            Duration.ofSeconds(20),
                            percent,
                            value -> value.asDouble() > first)
                    .asDouble();
            assertTrue(later < 100, "finished before it could be paused");
            String width = browser.script(
                            "return document.querySelector('[data-job=\"" + id + "\"] .bar-fill').style.width;")
                    .asText();
            assertTrue(width.endsWith("%") && Double.parseDouble(width.replace("%", "")) > 0, width);
            browser.screenshot(SCREENSHOTS.resolve("running.png"));

            browser.click("[data-job=\"" + id + "\"] .pause");
            browser.await(
                    "the job paused",
                    Duration.ofSeconds(5),
                    state,
                    value -> value.asText().equals("paused"));
            assertEquals(
                    "paused", server.client.json("/jobs/" + id).get("state").asText());
            double atPause = browser.script(percent).asDouble();
            Thread.sleep(1500);
            assertEquals(atPause, browser.script(percent).asDouble(), "the bar moved while paused");
            browser.screenshot(SCREENSHOTS.resolve("paused.png"));

            browser.click("[data-job=\"" + id + "\"] .resume");
            browser.await(
                    "the bar moving after resume",
                    Duration.ofSeconds(20),
                    percent,
                    value -> value.asDouble() > atPause);
            browser.await(
                    "the job finished",
                    Duration.ofSeconds(60),
                    state,
                    value -> value.asText().equals("succeeded"));
            assertEquals(100.0, browser.script(percent).asDouble());
            assertEquals(
                    input.records(),
                    server.client
                            .json("/jobs/" + id)
                            .get("progress")
                            .get("records")
                            .asLong());
            assertTrue(
                    browser.script("return document.documentElement.scrollWidth <= window.innerWidth;")
                            .asBoolean(),
                    "the page scrolls sideways on a phone-sized screen");
            browser.screenshot(SCREENSHOTS.resolve("finished.png"));

            browser.open(server.client.base() + "/");
            browser.await(
                    "the list again without asking for the token",
                    Duration.ofSeconds(10),
                    "return document.querySelectorAll('.job').length;",
                    value -> value.asInt() == 1);
        }
        assertTrue(Files.size(SCREENSHOTS.resolve("finished.png")) > 1000);
    }
}
