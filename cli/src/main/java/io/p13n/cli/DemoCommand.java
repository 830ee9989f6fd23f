package io.p13n.cli;

import io.p13n.cli.console.Console;
import io.p13n.cli.local.EmbeddedKafka;
import io.p13n.cli.local.EmbeddedRedis;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.cli.traffic.EventTopics;
import io.p13n.cli.traffic.StorefrontSimulator;
import io.p13n.cli.traffic.TrafficProducer;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.StateBackendKind;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.offers.Campaigns;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.Audience;
import io.p13n.model.Budget;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.MessageChannel;
import io.p13n.model.Reward;
import io.p13n.model.RewardType;
import io.p13n.model.TriggerType;
import io.p13n.serde.AvroEventSerializer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The whole engine on this machine: an in-JVM Kafka broker, a Redis server, the job on a local
 * Flink with its dashboard, and a synthetic storefront sending traffic. Ctrl-C stops all of it.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the engine on an embedded local stack: in-JVM Kafka (KRaft), a Redis server, Flink with its dashboard,",
            "and a synthetic storefront. Prints where to look and a live progress line. Ctrl-C stops everything."
        })
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Option(
            names = "--dashboard-port",
            defaultValue = "8081",
            description = "Flink web dashboard port (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(
            names = "--metrics-port",
            defaultValue = "9249",
            description = "Prometheus metrics endpoint port (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--redis-port",
            defaultValue = "6379",
            description = "Redis port; a free one is picked if taken (default: ${DEFAULT-VALUE}).")
    int redisPort;

    @Option(
            names = "--rate",
            defaultValue = "300",
            description = "Storefront events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--customers",
            defaultValue = "5000",
            description = "Distinct customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--products",
            defaultValue = "2000",
            description = "Catalogue size (default: ${DEFAULT-VALUE}).")
    int products;

    @Option(
            names = "--categories",
            defaultValue = "40",
            description = "Categories (default: ${DEFAULT-VALUE}).")
    int categories;

    @Option(
            names = "--bad-record-rate",
            defaultValue = "0.002",
            description =
                    "Share of garbage/invalid records, to show the dead-letter path (default: ${DEFAULT-VALUE}).")
    double badRecordRate;

    @Option(
            names = "--state-backend",
            defaultValue = "rocksdb",
            description = "rocksdb or hashmap (default: ${DEFAULT-VALUE}).")
    StateBackendKind stateBackend;

    @Option(
            names = "--work-dir",
            defaultValue = ".personalize",
            description = "Checkpoints and logs (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Traffic seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--console-port",
            defaultValue = "8070",
            description =
                    "Marketing console port, on 127.0.0.1; a free one is picked if taken (default: ${DEFAULT-VALUE}).")
    int consolePort;

    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Where the marketing console answers, printed in the banner. */
    private String consoleUrl;

    @Override
    public Integer call() throws Exception {
        Path checkpoints = workDir.toAbsolutePath().resolve("checkpoints");
        FileUtils.deleteDirectory(
                checkpoints
                        .toFile()); // each demo starts on an empty broker: old checkpoints cannot
        // apply
        Files.createDirectories(checkpoints);

        System.out.println("Starting the embedded stack...");
        EmbeddedKafka kafka = EmbeddedKafka.start();
        EmbeddedRedis redis = EmbeddedRedis.start(isFree(redisPort) ? redisPort : freePort());
        Map<String, String> settings = new HashMap<>();
        settings.put(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        settings.put(EngineOptions.KAFKA_STARTING_OFFSETS.key(), "earliest");
        settings.put(EngineOptions.REDIS_HOST.key(), redis.host());
        settings.put(EngineOptions.REDIS_PORT.key(), Integer.toString(redis.port()));
        settings.put(EngineOptions.CHECKPOINT_DIR.key(), checkpoints.toUri().toString());
        settings.put(EngineOptions.CHECKPOINT_INTERVAL.key(), "10s");
        settings.put(EngineOptions.STATE_BACKEND.key(), stateBackend.name());
        // Demo time is wall-clock time: moments must come within minutes, not hours, to be seen.
        settings.put(EngineOptions.CART_ABANDON_AFTER.key(), "2m");
        settings.put(EngineOptions.SEARCHES_NO_PURCHASE_AFTER.key(), "3m");
        settings.put(EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "200");
        // The demo is self-contained: P13N_* variables meant for a real deployment are not applied.
        EngineConfig config = EngineConfig.fromMap(settings, Map.of());
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String deadLetters = config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS);
        String segmentChanges = config.get(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES);
        String churnSignals = config.get(EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS);
        kafka.createTopics(
                2,
                clicks,
                orders,
                deadLetters,
                segmentChanges,
                churnSignals,
                config.get(EngineOptions.KAFKA_TOPIC_CONSENTS),
                config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS));
        // Found by pattern, so `privacy erase` works in the demo from the start.
        kafka.createTopics(1, config.get(EngineOptions.KAFKA_TOPIC_ERASURES));
        // Catalog changes, keyed by product.
        String catalog = config.get(EngineOptions.KAFKA_TOPIC_CATALOG);
        String identities = config.get(EngineOptions.KAFKA_TOPIC_IDENTITIES);
        kafka.createTopics(2, catalog, identities);
        // Customer attributes (birthdays), keyed by customer.
        String customerAttributes = config.get(EngineOptions.KAFKA_TOPIC_CUSTOMER_ATTRIBUTES);
        kafka.createTopics(2, customerAttributes);
        // Reviews and ratings, keyed by customer.
        String reviews = config.get(EngineOptions.KAFKA_TOPIC_REVIEWS);
        kafka.createTopics(2, reviews);
        // One partition: campaign changes stay in order.
        kafka.createTopics(1, config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS));
        publishDemoCampaigns(
                kafka.bootstrapServers(), config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS));

        Configuration flink = PersonalizationJob.flinkConfiguration(config);
        flink.set(RestOptions.PORT, dashboardPort);
        // The same reporter the Docker stack uses, so the metrics can be scraped here too.
        flink.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        flink.setString("metrics.reporter.prom.port", Integer.toString(metricsPort));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        PersonalizationJob.defineWorkflow(env, config);
        JobClient job = env.executeAsync(config.get(EngineOptions.JOB_NAME));

        StorefrontSimulator simulator =
                new StorefrontSimulator(seed, customers, products, categories, Clock.systemUTC())
                        // a sale, its end, a stock-out or a restock every 500 events: at the
                        // demo's rate, price-drop and back-in-stock offers within a minute
                        .withCatalogChanges(DEMO_CATALOG_CHANGE_RATE)
                        // a fifth of the visits start as guests and log in on the way
                        .withGuestSessions(DEMO_GUEST_SHARE)
                        // half the customers state a birthday and signup date on their first
                        // visit, one in twenty of those dates today: birthday offers at once
                        .withCustomerAttributes(DEMO_ATTRIBUTES_SHARE, DEMO_DATES_TODAY_SHARE)
                        // three orders in ten reviewed soon after, about one review in seven
                        // low: service-recovery offers within the first minutes
                        .withReviews(DEMO_REVIEW_RATE);
        TrafficProducer traffic =
                new TrafficProducer(
                        simulator,
                        EventProducers.create(kafka.bootstrapServers(), "p13n-demo-storefront"),
                        new EventTopics(
                                clicks, orders, catalog, identities, customerAttributes, reviews),
                        rate,
                        badRecordRate);
        Thread trafficThread = new Thread(() -> traffic.run(null, 0), "storefront-traffic");
        trafficThread.setDaemon(true);
        trafficThread.start();

        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        // The marketing console on loopback, no login (the local demo), on this engine's Redis,
        // Kafka and dashboard.
        Console console =
                Console.start(
                        config.with(
                                Map.of(
                                        EngineOptions.CONSOLE_PORT.key(),
                                        Integer.toString(isFree(consolePort) ? consolePort : 0),
                                        EngineOptions.CONSOLE_FLINK_REST.key(),
                                        "http://localhost:" + dashboardPort)));
        consoleUrl = console.url();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    console.close();
                                    shutdown(traffic, trafficThread, job, kafka, redis);
                                },
                                "demo-shutdown"));
        printBanner(
                kafka,
                redis,
                keys,
                String.join(", ", clicks, orders, deadLetters, segmentChanges, churnSignals));

        try (RedisClient reader = RedisClient.create(redis.host(), redis.port())) {
            long started = System.nanoTime();
            while (!stopped.await(2, TimeUnit.SECONDS)) {
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                System.out.printf(
                        "\r[%4ds] job %-8s | events sent %,9d (clicks %,d, orders %,d, bad %,d) | in Redis: profiles %,7d, recommendation lists %,7d, customers with offers %,5d | dead letters %,5d   ",
                        seconds,
                        job.getJobStatus().get(5, TimeUnit.SECONDS),
                        traffic.recordsSent(),
                        traffic.clicksSent(),
                        traffic.ordersSent(),
                        traffic.badRecordsSent(),
                        countKeys(reader, keys.profilePattern()),
                        countKeys(reader, keys.recommendationsPattern()),
                        countKeys(reader, keys.activeOffersPattern()),
                        kafka.recordCount(deadLetters));
                System.out.flush();
            }
        } catch (Exception e) {
            if (stopped.getCount() > 0) {
                throw e; // a real failure, not the shutdown closing things under us
            }
        }
        return 0;
    }

    private void printBanner(
            EmbeddedKafka kafka, EmbeddedRedis redis, RedisKeys keys, String topics) {
        System.out.println();
        System.out.println("The personalization engine is running.");
        System.out.println("  Marketing console " + consoleUrl);
        System.out.println("  Flink dashboard   http://localhost:" + dashboardPort);
        System.out.println(
                "  Prometheus        http://localhost:"
                        + metricsPort
                        + "/metrics   (e.g. grep flink_taskmanager_job_task_operator_p13n)");
        System.out.println(
                "  Kafka             " + kafka.bootstrapServers() + "   topics: " + topics);
        System.out.println(
                "  Redis             "
                        + redis.host()
                        + ":"
                        + redis.port()
                        + "   ("
                        + redis.executable()
                        + ")");
        System.out.println("  Logs              " + workDir.resolve("personalize.log"));
        System.out.println();
        System.out.println("Look at the results (in another terminal):");
        System.out.println(
                "  ./personalize show profiles --redis-port "
                        + redis.port()
                        + "             # a few customer profiles");
        System.out.println(
                "  ./personalize show profile CUSTOMER_ID --redis-port "
                        + redis.port()
                        + "   # e.g. an id from the list above");
        System.out.println(
                "  ./personalize show recommendations CUSTOMER_ID --redis-port "
                        + redis.port()
                        + "   # their \"guess you like\" list");
        System.out.println("  ./personalize show trending --redis-port " + redis.port());
        System.out.println(
                "  ./personalize campaign list --bootstrap-servers "
                        + kafka.bootstrapServers()
                        + "   # four demo campaigns");
        System.out.println(
                "  ./personalize campaign stats cart-rescue --redis-port "
                        + redis.port()
                        + "   # after a few minutes");
        System.out.println(
                "  ./personalize show dead-letters --bootstrap-servers "
                        + kafka.bootstrapServers());
        System.out.println(
                "  redis-cli -p "
                        + redis.port()
                        + " --scan --pattern '"
                        + keys.profilePattern()
                        + "' | head");
        System.out.println(
                "  redis-cli -p "
                        + redis.port()
                        + " HGETALL '"
                        + keys.profile("CUSTOMER_ID")
                        + "'");
        System.out.println("Feed it garbage and watch the dead-letter count grow:");
        System.out.println(
                "  ./personalize generate --bootstrap-servers "
                        + kafka.bootstrapServers()
                        + " --bad-record-rate 1 --max-events 10");
        System.out.println("Ctrl-C stops everything.");
        System.out.println();
    }

    private void shutdown(
            TrafficProducer traffic,
            Thread trafficThread,
            JobClient job,
            EmbeddedKafka kafka,
            EmbeddedRedis redis) {
        stopped.countDown();
        System.out.println();
        System.out.println("Stopping: storefront, job, Kafka, Redis...");
        traffic.stop();
        try {
            trafficThread.join(5_000);
            traffic.close();
        } catch (Exception e) {
            System.err.println("storefront did not stop cleanly: " + e);
        }
        try {
            job.cancel().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("job did not cancel cleanly: " + e);
        }
        closeQuietly("Kafka", kafka);
        closeQuietly("Redis", redis);
        System.out.println("Stopped.");
    }

    private static void closeQuietly(String what, AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println(what + " did not stop cleanly: " + e);
        }
    }

    /** Counts keys matching a pattern with SCAN (never KEYS, which blocks the server). */
    /** Share of the demo's simulated records that are catalog changes. */
    static final double DEMO_CATALOG_CHANGE_RATE = 0.002;

    /** Share of the demo's shopping visits that start as a guest and log in on the way. */
    static final double DEMO_GUEST_SHARE = 0.2;

    /** Share of the demo's customers who state their attributes (birthday, zone, signup date). */
    static final double DEMO_ATTRIBUTES_SHARE = 0.5;

    /**
     * Of their birthdays and signup dates, the share that falls on today (in life one in 365): the
     * demo runs minutes, not a year.
     */
    static final double DEMO_DATES_TODAY_SHARE = 0.05;

    /**
     * Share of the demo's orders reviewed by their buyer (in life a few in a hundred): enough for
     * service-recovery offers and product ratings to show within minutes.
     */
    static final double DEMO_REVIEW_RATE = 0.3;

    /**
     * Campaigns so the demo shows offers without setup: 10% off an abandoned cart (carts count as
     * abandoned after 2 minutes here), a thank-you push at every 200 loyalty points (held in the
     * customer's quiet hours), and a message to the recent viewers of a product whose price dropped
     * or that is back in stock, and one to a shopper whose search was not followed by an order
     * within 3 minutes; 15% off on a birthday and a thank-you on a signup anniversary.
     */
    private static void publishDemoCampaigns(String bootstrapServers, String topic)
            throws Exception {
        Campaign cartRescue =
                demoCampaign("cart-rescue", "Cart rescue", TriggerType.CART_ABANDONED)
                        .setReward(
                                Reward.newBuilder()
                                        .setType(RewardType.PERCENT)
                                        .setValue(10)
                                        .setMinSpend(20)
                                        .setValidityDays(7)
                                        .build())
                        .build();
        // A push message: the simulated customers live across the world's time zones, so some are
        // always in their quiet hours (offers.quiet-hours.push), and their thank-you waits for
        // the morning (deliverAt in their recent decisions).
        Campaign pointsThanks =
                demoCampaign(
                                "points-thanks",
                                "Points milestone thank-you",
                                TriggerType.POINTS_MILESTONE)
                        .setChannel(MessageChannel.PUSH)
                        .setReward(
                                Reward.newBuilder()
                                        .setType(RewardType.AMOUNT)
                                        .setValue(5)
                                        .setMinSpend(25)
                                        .setValidityDays(14)
                                        .build())
                        .build();
        Campaign priceDrop =
                demoCampaign(
                                "price-drop",
                                "Price drop on a watched product",
                                TriggerType.PRICE_DROP)
                        .setReward(message("A product you looked at is cheaper now."))
                        .build();
        Campaign backInStock =
                demoCampaign("back-in-stock", "Back in stock", TriggerType.BACK_IN_STOCK)
                        .setReward(message("A product you looked at is back in stock."))
                        .build();
        // A search not followed by an order within 3 minutes here (searches.no-purchase-after).
        Campaign searchedNotBought =
                demoCampaign(
                                "searched-not-bought",
                                "Still looking? Help after a search",
                                TriggerType.SEARCHED_NOT_BOUGHT)
                        .setReward(message("Still looking? Here is more of what you searched for."))
                        .build();
        Campaign birthday =
                demoCampaign("birthday", "Happy birthday", TriggerType.BIRTHDAY)
                        .setReward(
                                Reward.newBuilder()
                                        .setType(RewardType.PERCENT)
                                        .setValue(15)
                                        .setMinSpend(0)
                                        .setValidityDays(7)
                                        .build())
                        .build();
        Campaign anniversary =
                demoCampaign(
                                "signup-anniversary",
                                "Thank you for another year",
                                TriggerType.SIGNUP_ANNIVERSARY)
                        .setReward(message("Thank you for another year with us."))
                        .build();
        // A rating of 1 or 2 stars (reviews.low-rating): an apology with a voucher, at once; the
        // customer then hears of no promotion for reviews.promotion-pause (14 days).
        Campaign serviceRecovery =
                demoCampaign("service-recovery", "Sorry about that", TriggerType.SERVICE_RECOVERY)
                        .setReward(
                                Reward.newBuilder()
                                        .setType(RewardType.AMOUNT)
                                        .setValue(10)
                                        .setMinSpend(0)
                                        .setValidityDays(30)
                                        .setMessage("We are sorry the product let you down.")
                                        .build())
                        .build();
        try (var producer = EventProducers.create(bootstrapServers, "p13n-demo-campaigns")) {
            for (Campaign campaign :
                    java.util.List.of(
                            cartRescue,
                            pointsThanks,
                            priceDrop,
                            backInStock,
                            searchedNotBought,
                            birthday,
                            anniversary,
                            serviceRecovery)) {
                java.util.List<String> problems = Campaigns.problems(campaign);
                if (!problems.isEmpty()) {
                    throw new IllegalStateException(
                            "demo campaign " + campaign.getId() + " is invalid: " + problems);
                }
                producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        campaign.getId(),
                                        AvroEventSerializer.encode(campaign)))
                        .get();
            }
        }
    }

    /** A message without a discount (the price already dropped), valid for some days. */
    private static Reward message(String text) {
        return Reward.newBuilder()
                .setType(RewardType.MESSAGE)
                .setMessage(text)
                .setValidityDays(3)
                .build();
    }

    private static Campaign.Builder demoCampaign(String id, String name, TriggerType trigger) {
        return Campaign.newBuilder()
                .setId(id)
                .setName(name)
                .setVersion(1)
                .setStatus(CampaignStatus.ACTIVE)
                .setPriority(0)
                .setTrigger(trigger)
                .setAudience(Audience.newBuilder().build())
                .setBudget(Budget.newBuilder().build())
                .setCooldownDays(1)
                .setCreatedBy("demo")
                .setUpdatedAt(System.currentTimeMillis());
    }

    static long countKeys(RedisClient redis, String pattern) {
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        long count = 0;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            count += page.getResult().size();
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return count;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
