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
import io.p13n.model.Campaign;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
 * A job started again without state (same job name and consumer group, committed offsets) still
 * delivers its offers: its checkpoints count from 1 again, below the exactly-once offer sink's
 * markers from the first run, and a sink that numbered its batches by checkpoint alone would take
 * every new batch for one already delivered.
 */
class RestartWithoutStateITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir Path checkpoints;

    @Test
    void shouldDeliverTheOffersOfAJobStartedAgainWithoutState() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(
                                EngineOptions.CHECKPOINT_INTERVAL.key(), "300ms",
                                EngineOptions.KAFKA_STARTING_OFFSETS.key(), "committed",
                                EngineOptions.OFFERS_CONTROL_SHARE.key(), "0",
                                EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100"));
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String topic = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
        RedisKeys keys = new RedisKeys("it" + run);
        Instant start = Instant.now().minus(Duration.ofDays(10));

        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "rs-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            Campaign campaign =
                    TestOffers.campaign("milestone-" + run, TriggerType.POINTS_MILESTONE).build();
            TestJobs.publishCampaign(producer, config, campaign);

            // First run: enough checkpoints for the markers to be well above a new job's first
            // ones.
            JobClient first = TestJobs.startEngine(config, "first-" + run);
            Path firstCheckpoints = checkpoints.resolve(first.getJobID().toString());
            try {
                milestones(producer, orders, customers("first"), start);
                TestJobs.awaitTrue(
                        "the first run's coupons",
                        TIMEOUT,
                        () -> couponed(topic).containsAll(customers("first")));
                TestJobs.awaitTrue(
                        "a dozen checkpoints",
                        TIMEOUT,
                        () -> TestJobs.latestCompletedCheckpoint(firstCheckpoints) >= 12);
            } finally {
                TestJobs.cancel(first);
            }

            // Second run, no state: it reads on from the committed offsets.
            JobClient second = TestJobs.startEngine(config, "second-" + run);
            try {
                List<String> later = customers("second");
                milestones(producer, orders, later, start.plus(Duration.ofDays(1)));
                TestJobs.awaitTrue(
                        "the second run's profiles",
                        TIMEOUT,
                        () ->
                                later.stream()
                                        .allMatch(
                                                c ->
                                                        "2"
                                                                .equals(
                                                                        redis.hget(
                                                                                keys.profile(c),
                                                                                "orders"))));
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!couponed(topic).containsAll(later) && System.nanoTime() < until) {
                    Thread.sleep(200);
                }

                TreeSet<String> expected = new TreeSet<>(customers("first"));
                expected.addAll(later);
                assertThat(couponed(topic))
                        .as("customers with a coupon on the topic, across both runs")
                        .isEqualTo(expected);
            } finally {
                TestJobs.cancel(second);
            }
        }
    }

    private static List<String> customers(String group) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            list.add(group + "-" + i);
        }
        return list;
    }

    /** Two orders of 150 each: the first is the baseline, the second passes a milestone. */
    private static void milestones(
            Producer<String, byte[]> producer, String topic, List<String> customers, Instant at) {
        for (String c : customers) {
            var order = TestEvents.order(c, OrderStatus.PLACED, at, 150).build();
            producer.send(new ProducerRecord<>(topic, c, AvroEventSerializer.encode(order)));
        }
        for (String c : customers) {
            var order =
                    TestEvents.order(c, OrderStatus.PLACED, at.plus(Duration.ofHours(1)), 150)
                            .build();
            producer.send(new ProducerRecord<>(topic, c, AvroEventSerializer.encode(order)));
        }
        producer.flush();
    }

    private static TreeSet<String> couponed(String topic) {
        return TopicReader.customersWithOffers(SERVICES.kafka().bootstrapServers(), topic);
    }
}
