package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * Redis unreachable for 30 s mid-stream (its process frozen with SIGSTOP: connections open, nothing
 * answers, as in a network partition), then back: the engine's writes fail, the job restarts from
 * its checkpoints until Redis answers again, and afterwards every customer's order count in Redis
 * is right and every customer has exactly one coupon on the offer-triggers topic (read committed).
 */
class RedisOutageITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int CUSTOMERS = 30;
    private static final java.util.List<String> CUSTOMER_IDS =
            java.util.stream.IntStream.range(0, CUSTOMERS)
                    .mapToObj(RedisOutageITCase::customer)
                    .toList();

    @TempDir Path checkpoints;

    @Test
    void aThirtySecondRedisOutageLosesNothingAndIssuesNoCouponTwice() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(
                                EngineOptions.CHECKPOINT_INTERVAL.key(), "500ms",
                                EngineOptions.OFFERS_CONTROL_SHARE.key(), "0",
                                EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100"));
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        Instant start = Instant.now().minus(Duration.ofDays(5));
        Map<String, Integer> expected = new TreeMap<>();
        ProcessHandle redisProcess = redisServerProcess();

        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "ro-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("milestone-" + run, TriggerType.POINTS_MILESTONE).build());
            JobClient job = TestJobs.startEngine(config, "redis-outage-" + run);
            try {
                send(producer, orders, 0, start, expected); // 60 points each: below the milestone
                TestJobs.awaitTrue(
                        "the first orders in Redis",
                        TIMEOUT,
                        () -> TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS).equals(expected));

                signal(redisProcess, "STOP");
                try {
                    // The milestone is passed during the outage: its coupons and the new counts
                    // must reach Redis and the topic once, after it.
                    send(producer, orders, 1, start, expected);
                    send(producer, orders, 2, start, expected);
                    Thread.sleep(OUTAGE.toMillis());
                } finally {
                    signal(redisProcess, "CONT");
                }

                long until = System.nanoTime() + TIMEOUT.toNanos();
                while (!TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS).equals(expected)
                        && System.nanoTime() < until) {
                    Thread.sleep(200);
                }
                assertThat(TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS))
                        .as("orders per customer in Redis after the outage")
                        .isEqualTo(expected);
                TestJobs.awaitTrue(
                        "a coupon for every customer on the topic",
                        TIMEOUT,
                        () ->
                                TopicReader.offersPerCustomer(
                                                        SERVICES.kafka().bootstrapServers(),
                                                        config.get(
                                                                EngineOptions
                                                                        .KAFKA_TOPIC_OFFER_TRIGGERS))
                                                .size()
                                        == CUSTOMERS);
                Thread.sleep(3_000); // more checkpoints: a duplicate would show by now
                assertThat(
                                TopicReader.offersPerCustomer(
                                                SERVICES.kafka().bootstrapServers(),
                                                config.get(
                                                        EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS))
                                        .values())
                        .as("coupons per customer")
                        .hasSize(CUSTOMERS)
                        .containsOnly(1);
                for (int c = 0; c < CUSTOMERS; c++) {
                    assertThat(redis.exists(keys.activeOffers(customer(c))))
                            .as("active offer of %s in Redis", customer(c))
                            .isTrue();
                }
            } finally {
                TestJobs.cancel(job);
            }
        }
    }

    private static String customer(int c) {
        return "outage-" + c;
    }

    /** One order of 60 per customer, {@code n} hours after {@code start}. */
    private static void send(
            Producer<String, byte[]> producer,
            String topic,
            int n,
            Instant start,
            Map<String, Integer> expected) {
        for (int c = 0; c < CUSTOMERS; c++) {
            var order =
                    TestEvents.order(
                                    customer(c),
                                    OrderStatus.PLACED,
                                    start.plus(Duration.ofHours(n)),
                                    60)
                            .build();
            producer.send(
                    new ProducerRecord<>(topic, customer(c), AvroEventSerializer.encode(order)));
            expected.merge(customer(c), 1, Integer::sum);
        }
        producer.flush();
    }

    /**
     * This JVM's redis-server child: the test class's own (the embedded server takes its port from
     * a configuration file, so the newest such child is it).
     */
    private static ProcessHandle redisServerProcess() {
        return ProcessHandle.current()
                .descendants()
                // Debian's /usr/bin/redis-server is a link to redis-check-rdb (one binary that
                // acts by the name it is started as): the process reports the link's target.
                .filter(
                        p -> {
                            String command = p.info().command().orElse("");
                            return command.contains("redis-server")
                                    || command.contains("redis-check-rdb");
                        })
                .max(
                        java.util.Comparator.comparing(
                                p -> p.info().startInstant().orElse(Instant.EPOCH)))
                .orElseThrow(() -> new AssertionError("no redis-server child process"));
    }

    private static void signal(ProcessHandle process, String signal) throws Exception {
        Process kill =
                new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                        .inheritIO()
                        .start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, process.pid()).isZero();
    }
}
