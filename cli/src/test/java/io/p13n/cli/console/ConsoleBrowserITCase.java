package io.p13n.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.CliRuns;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.OrderStatus;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import redis.clients.jedis.RedisClient;

/**
 * The console in a real browser (headless Chromium driven by Selenium) against the embedded stack:
 * a real Kafka broker, a real Redis and the real job on a MiniCluster. A campaign created in the
 * form takes effect in the job (its offers reach customers), an invalid one is refused with {@code
 * campaign create}'s reasons, a customer's page shows what {@code show customer} prints, and a
 * campaign's statistics are the ones {@code campaign stats} prints. Screenshots of each page go to
 * {@code target/console-screenshots/}.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's {@code chromium}
 * and {@code chromium-driver}, installed by {@code .ci/run}); without them the test is skipped and
 * says so.
 */
class ConsoleBrowserITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static WebDriver browser;

    @TempDir static Path work;

    @BeforeAll
    static void startBrowser() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test NOT RUN: needs "
                        + CHROMIUM
                        + " and "
                        + CHROMEDRIVER
                        + " (apt-get install -y chromium chromium-driver; .ci/run installs them)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1100",
                "--user-data-dir=" + Files.createDirectories(work.resolve("chromium")));
        // The OS's driver, named explicitly: Selenium Manager would try to download one.
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldRunCampaignsAndShowCustomersAsTheCliDoes(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        work.resolve("checkpoints"),
                        Map.of(
                                EngineOptions.CHECKPOINT_INTERVAL.key(), "500ms",
                                EngineOptions.OFFERS_CONTROL_SHARE.key(), "0.3",
                                EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100"));
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        String redisPort = Integer.toString(SERVICES.redis().port());
        String prefix = config.get(EngineOptions.REDIS_KEY_PREFIX);
        JobClient job = TestJobs.startEngine(config, "console-" + run);
        try (Console console =
                        Console.start(
                                config.with(
                                        Map.of(
                                                EngineOptions.CONSOLE_PORT.key(),
                                                "0",
                                                EngineOptions.CONSOLE_FLINK_REST.key(),
                                                cluster.getRestAddress().get().toString())));
                Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "cb-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            String campaign = "milestone-" + run;

            // An invalid campaign: refused on the page with exactly campaign create's reasons.
            open(console, "index.html");
            fill("id", "bad-" + run);
            new Select(browser.findElement(By.name("trigger"))).selectByValue("WIN_BACK");
            fill("percentOff", "150");
            fill("validity", "0d");
            browser.findElement(By.id("create-submit")).click();
            List<String> shown =
                    await(
                            "the refusal",
                            () -> {
                                List<String> items =
                                        browser
                                                .findElements(By.cssSelector("#create-result li"))
                                                .stream()
                                                .map(WebElement::getText)
                                                .toList();
                                return items.isEmpty() ? null : items;
                            });
            String[] cli =
                    CliRuns.execute(
                            "campaign",
                            "create",
                            "--bootstrap-servers",
                            SERVICES.kafka().bootstrapServers(),
                            "--campaigns-topic=" + config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS),
                            "--id",
                            "bad-" + run,
                            "--trigger",
                            "WIN_BACK",
                            "--percent-off",
                            "150",
                            "--validity",
                            "0d");
            assertThat(cli[0]).isEqualTo("1");
            assertThat(shown)
                    .containsExactlyElementsOf(
                            cli[2].lines()
                                    .filter(l -> l.startsWith("  - "))
                                    .map(l -> l.substring(4))
                                    .toList());
            screenshot("campaign-refused");

            // A valid one, created in the form.
            browser.findElement(By.id("create"))
                    .findElements(By.tagName("input"))
                    .forEach(WebElement::clear);
            fill("id", campaign);
            fill("name", "Points milestone thank-you");
            new Select(browser.findElement(By.name("trigger"))).selectByValue("POINTS_MILESTONE");
            fill("percentOff", "10");
            fill("validity", "7d");
            browser.findElement(By.id("create-submit")).click();
            await(
                    "the campaign in the list",
                    () ->
                            browser
                                            .findElements(
                                                    By.cssSelector(
                                                            "tr[data-campaign='"
                                                                    + campaign
                                                                    + "'] .status"))
                                            .stream()
                                            .anyMatch(e -> e.getText().equals("ACTIVE"))
                                    ? true
                                    : null);
            assertThat(browser.findElement(By.cssSelector("#create-result .ok")).getText())
                    .startsWith("Created campaign '" + campaign + "' (version 1, ACTIVE)");

            // It takes effect in the job: customers passing a points milestone get its offer.
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                customers.add("buyer-" + i);
            }
            Instant at = Instant.now().minus(Duration.ofMinutes(10));
            for (Instant when : List.of(at, at.plusSeconds(60))) {
                for (String c : customers) {
                    var order = TestEvents.order(c, OrderStatus.PLACED, when, 150).build();
                    producer.send(
                            new ProducerRecord<>(
                                    config.get(EngineOptions.KAFKA_TOPIC_ORDERS),
                                    c,
                                    AvroEventSerializer.encode(order)));
                }
            }
            producer.flush();
            String withOffer =
                    await(
                            "an offer of the campaign in Redis",
                            () ->
                                    customers.stream()
                                            .filter(c -> redis.exists(keys.activeOffers(c)))
                                            .findFirst()
                                            .orElse(null));
            assertThat(redis.get(keys.activeOffers(withOffer))).contains(campaign);
            screenshot("campaigns");

            // Customer 360: the facts `show customer` prints. The recent decisions are written
            // at least once, within a sink batch; the offers only on a checkpoint, so later.
            open(console, "customer.html?id=" + withOffer);
            await(
                    "the customer's offers",
                    () ->
                            browser.findElements(By.cssSelector("#offers tr[data-offer]")).isEmpty()
                                    ? null
                                    : true);
            assertThat(redis.lrange(keys.recentDecisions(withOffer), 0, -1))
                    .anyMatch(e -> e.contains("\"outcome\":\"SENT\""));
            String[] show =
                    CliRuns.execute(
                            "show",
                            "customer",
                            withOffer,
                            "--redis-port",
                            redisPort,
                            "--key-prefix",
                            prefix);
            assertThat(show[0]).as(show[2]).isEqualTo("0");
            List<WebElement> facts = browser.findElements(By.cssSelector("td[data-field]"));
            assertThat(facts).hasSizeGreaterThan(30);
            for (WebElement fact : facts) {
                String field = fact.getAttribute("data-field");
                String line = String.format("  %-22s %s", field, fact.getText()).stripTrailing();
                assertThat(show[1].lines().map(String::stripTrailing)).as(field).contains(line);
            }
            for (WebElement offer :
                    browser.findElements(By.cssSelector("#offers tr[data-offer]"))) {
                assertThat(show[1]).contains(offer.getAttribute("data-offer"));
            }
            // The recent decisions: the SENT one with the offer's coupon code, and every row a
            // line of `show customer`; the same for the segment history.
            String code =
                    browser.findElement(By.cssSelector("#offers tr[data-offer]"))
                            .getAttribute("data-offer");
            List<WebElement> decisions =
                    browser.findElements(By.cssSelector("#decisions tr[data-outcome]"));
            assertThat(decisions)
                    .anySatisfy(
                            row -> {
                                assertThat(row.getAttribute("data-outcome")).isEqualTo("SENT");
                                assertThat(row.getText()).contains(campaign, code);
                            });
            List<WebElement> segmentChanges =
                    browser.findElements(
                            By.cssSelector("#segment-history tr[data-segment-change]"));
            assertThat(segmentChanges).as("the first orders moved the customer").isNotEmpty();
            for (WebElement row : concat(decisions, segmentChanges)) {
                List<String> cells =
                        row.findElements(By.tagName("td")).stream()
                                .map(WebElement::getText)
                                .filter(c -> !c.isEmpty())
                                .toList();
                assertThat(show[1].lines())
                        .as(String.join(" | ", cells))
                        .anyMatch(l -> cells.stream().allMatch(l::contains));
            }
            screenshot("customer");

            // The campaign's statistics: what `campaign stats` prints, once the counts settle.
            await(
                    "every milestone decided",
                    () -> {
                        var arms =
                                io.p13n.cli.campaign.CampaignCommand.arms(
                                        redis.hgetAll(keys.campaignStats(campaign)));
                        long decided = arms.stream().mapToLong(a -> a.sent() + a.heldOut()).sum();
                        return decided == customers.size() ? true : null;
                    });
            open(console, "campaign.html?id=" + campaign);
            String report = browser.findElement(By.id("report")).getText();
            String[] stats =
                    CliRuns.execute(
                            "campaign",
                            "stats",
                            campaign,
                            "--redis-port",
                            redisPort,
                            "--key-prefix",
                            prefix);
            assertThat(stats[0]).as(stats[2]).isEqualTo("0");
            assertThat(report).isEqualTo(stats[1].stripTrailing());
            List<WebElement> arms = browser.findElements(By.cssSelector("#arms tr[data-arm]"));
            assertThat(arms).isNotEmpty();
            for (WebElement arm : arms) {
                String name = arm.getAttribute("data-arm");
                String conversion =
                        arm.findElement(By.cssSelector("td[data-col='conversion']")).getText();
                assertThat(stats[1].lines())
                        .as("arm %s conversion %s", name, conversion)
                        .anyMatch(
                                l ->
                                        l.startsWith("  " + name + " ")
                                                && l.contains("conversion " + conversion));
            }
            screenshot("campaign");

            // Live: the running job and its checkpoints, from Flink's REST API.
            open(console, "live.html");
            await(
                    "the job on the Live page",
                    () ->
                            browser.findElement(By.id("tile-job")).getText().contains("RUNNING")
                                    ? true
                                    : null);
            assertThat(browser.findElement(By.id("dashboard-link")).getAttribute("href"))
                    .startsWith(cluster.getRestAddress().get().toString());
            screenshot("live");
        } finally {
            TestJobs.cancel(job);
        }
    }

    private static void open(Console console, String page) {
        browser.get(console.url() + page);
        new WebDriverWait(browser, TIMEOUT)
                .until(
                        d ->
                                "true"
                                        .equals(
                                                d.findElement(By.tagName("body"))
                                                        .getAttribute("data-ready")));
    }

    private static void fill(String name, String value) {
        WebElement input = browser.findElement(By.name(name));
        input.clear();
        input.sendKeys(value);
    }

    /**
     * Waits until {@code probe} returns non-null (polling the page or the stack) and returns it.
     */
    private static <T> T await(String what, java.util.function.Supplier<T> probe) {
        return new WebDriverWait(browser, TIMEOUT)
                .withMessage(what)
                .pollingEvery(Duration.ofMillis(250))
                .until(d -> probe.get());
    }

    private static void screenshot(String name) throws Exception {
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(
                file.toPath(),
                SCREENSHOTS.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<WebElement> concat(List<WebElement> a, List<WebElement> b) {
        List<WebElement> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
