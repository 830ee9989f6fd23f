package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.recovery.RetainedCheckpoints;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.Campaign;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * {@code ./personalize run} killed with SIGKILL mid-stream and started again with the same
 * configuration resumes from its latest retained checkpoint: afterwards every customer's order
 * count in Redis is the number of orders in the data, and every customer has exactly one coupon on
 * the offer-triggers topic (read committed). The engine runs in a process of its own, as a user
 * runs it, against this JVM's Kafka broker and a Redis server; it reads from the consumer group's
 * committed offsets, so a restart without the checkpoint would forget every order before the crash
 * (the failure this test was written for: 746 of 2,357 CDNOW customers with wrong counts).
 */
class RunResumesAfterKillITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final int CUSTOMERS = 60;
    private static final java.util.List<String> CUSTOMER_IDS =
            java.util.stream.IntStream.range(0, CUSTOMERS)
                    .mapToObj(RunResumesAfterKillITCase::customer)
                    .toList();

    @TempDir Path work;

    @Test
    void aKilledRunStartedAgainLosesNoOrderAndIssuesNoCouponTwice() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path checkpoints = work.resolve("checkpoints");
        Map<String, String> settings =
                new HashMap<>(
                        TestJobs.engineSettings(
                                SERVICES,
                                run,
                                checkpoints,
                                Map.of(
                                        EngineOptions.CHECKPOINT_INTERVAL.key(), "500ms",
                                        EngineOptions.KAFKA_STARTING_OFFSETS.key(), "committed",
                                        EngineOptions.OFFERS_CONTROL_SHARE.key(), "0",
                                        EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100",
                                        EngineOptions.JOB_NAME.key(), "resume-" + run)));
        EngineConfig config = TestJobs.engineConfig(SERVICES, run, checkpoints, settings);
        Path configFile = work.resolve("engine.properties");
        Properties properties = new Properties();
        properties.putAll(settings);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            properties.store(out, "RunResumesAfterKillITCase");
        }
        Path jobCheckpoints =
                checkpoints.resolve(
                        RetainedCheckpoints.jobIdFor(config.get(EngineOptions.JOB_NAME))
                                .toHexString());
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        Instant start = Instant.now().minus(Duration.ofDays(20));
        Map<String, Integer> expectedOrders = new TreeMap<>();

        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "rr-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            Campaign campaign =
                    TestOffers.campaign("milestone-" + run, TriggerType.POINTS_MILESTONE).build();
            TestJobs.publishCampaign(producer, config, campaign);

            // First run: three orders of 60 per customer (the 100-point milestone is passed with
            // the second), all in Redis, their coupons on the topic and two more checkpoints
            // completed, so the group's committed offsets are past them. Then another order each,
            // and kill -9 while the job is reading them.
            send(producer, orders, 0, 3, start, expectedOrders);
            Process first = startRun(configFile, work.resolve("first.log"));
            try {
                TestJobs.awaitTrue(
                        "the first orders in Redis",
                        TIMEOUT,
                        () ->
                                TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS)
                                        .equals(expectedOrders));
                TestJobs.awaitTrue(
                        "the first run's coupons on the topic",
                        TIMEOUT,
                        () ->
                                TopicReader.offersPerCustomer(
                                                        SERVICES.kafka().bootstrapServers(),
                                                        config.get(
                                                                EngineOptions
                                                                        .KAFKA_TOPIC_OFFER_TRIGGERS))
                                                .size()
                                        == CUSTOMERS);
                long covered = TestJobs.latestCompletedCheckpoint(jobCheckpoints) + 2;
                TestJobs.awaitTrue(
                        "two more checkpoints",
                        TIMEOUT,
                        () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= covered);
                send(producer, orders, 3, 1, start, expectedOrders);
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
                first.waitFor(30, TimeUnit.SECONDS);
            }
            long retained = TestJobs.latestCompletedCheckpoint(jobCheckpoints);

            // While it is down, one more order per customer arrives.
            send(producer, orders, 4, 1, start, expectedOrders);
            Process second = startRun(configFile, work.resolve("second.log"));
            try {
                long until = System.nanoTime() + TIMEOUT.toNanos();
                while (!TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS).equals(expectedOrders)
                        && System.nanoTime() < until) {
                    Thread.sleep(200);
                }
                assertThat(TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS))
                        .as("orders per customer in Redis after the restart")
                        .isEqualTo(expectedOrders);
                String log = Files.readString(work.resolve("second.log"));
                assertThat(log).contains("Resuming from checkpoint");
                assertThat(restoredCheckpoint(log))
                        .as("the checkpoint restored is the newest one the killed run completed")
                        .isEqualTo(retained);
                // Offers reach the topic when a checkpoint covering them completes.
                TestJobs.awaitTrue(
                        "one coupon per customer on the topic",
                        TIMEOUT,
                        () ->
                                TopicReader.offersPerCustomer(
                                                        SERVICES.kafka().bootstrapServers(),
                                                        config.get(
                                                                EngineOptions
                                                                        .KAFKA_TOPIC_OFFER_TRIGGERS))
                                                .size()
                                        == CUSTOMERS);
                Thread.sleep(3_000); // a few more checkpoints: any duplicate would show by now
                assertThat(
                                TopicReader.offersPerCustomer(
                                                SERVICES.kafka().bootstrapServers(),
                                                config.get(
                                                        EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS))
                                        .values())
                        .containsOnly(1)
                        .hasSize(CUSTOMERS);
                assertThat(TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS))
                        .isEqualTo(expectedOrders);
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String customer(int i) {
        return "resume-" + i;
    }

    /** {@code count} orders per customer, numbered from {@code first}, an hour apart. */
    private static void send(
            Producer<String, byte[]> producer,
            String topic,
            int first,
            int count,
            Instant start,
            Map<String, Integer> expected) {
        for (int n = first; n < first + count; n++) {
            for (int i = 0; i < CUSTOMERS; i++) {
                String c = customer(i);
                var order =
                        TestEvents.order(c, OrderStatus.PLACED, start.plus(Duration.ofHours(n)), 60)
                                .build();
                producer.send(new ProducerRecord<>(topic, c, AvroEventSerializer.encode(order)));
                expected.merge(c, 1, Integer::sum);
            }
        }
        producer.flush();
    }

    private static long restoredCheckpoint(String log) {
        var m = java.util.regex.Pattern.compile("Resuming from checkpoint (\\d+)").matcher(log);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** {@code personalize run --config FILE} in a JVM of its own, as the launcher starts it. */
    private static Process startRun(Path configFile, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-Dorg.apache.avro.specific.use_custom_coders=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PersonalizeCli.class.getName());
        command.add("run");
        command.add("--config");
        command.add(configFile.toString());
        command.add("--dashboard-port");
        command.add(Integer.toString(freePort()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
