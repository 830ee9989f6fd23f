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
import io.p13n.model.OfferDecision;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * A campaign applies to every moment at or after its start, whichever of the campaigns topic and
 * the event topics the job happens to read first: on a running job, a burst of orders is processed
 * completely before the campaign that starts before them is published (the adverse order, forced),
 * and another burst follows right after it. Every milestone at or after the start gets its coupon,
 * none before it.
 */
class CampaignTimingITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int PER_GROUP = 10;

    @TempDir Path checkpoints;

    @Test
    void shouldIssueTheCouponOfEveryMomentAfterTheCampaignStartWhateverItsArrivalOrder()
            throws Exception {
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
        RedisKeys keys = new RedisKeys("it" + run);
        // The campaign starts at S; orders are dated around it (in the past: future events are
        // refused).
        Instant start = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.HOURS);

        JobClient job = TestJobs.startEngine(config, "campaign-timing-" + run);
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "ct-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            send(producer, orders, "warm-up", start.minus(Duration.ofDays(5)));
            producer.flush();
            TestJobs.awaitTrue(
                    "the job reading orders", TIMEOUT, () -> redis.exists(keys.profile("warm-up")));

            // Burst 1, read completely before the campaign exists: "before-*" pass their milestone
            // before
            // the start, "early-*" after it. Each group's orders go out in order, "before" first,
            // so no
            // watermark from a later order can date a "before" moment after the start.
            List<String> before = customers("before");
            List<String> early = customers("early");
            for (String c : before) {
                send(producer, orders, c, start.minus(Duration.ofDays(3)));
            }
            for (String c : before) {
                send(producer, orders, c, start.minus(Duration.ofDays(2)));
            }
            for (String c : early) {
                send(producer, orders, c, start.minus(Duration.ofDays(1)));
            }
            for (String c : early) {
                send(producer, orders, c, start.plus(Duration.ofHours(1)));
            }
            producer.flush();
            TestJobs.awaitTrue(
                    "the first burst in the profiles",
                    TIMEOUT,
                    () ->
                            ordersCounted(redis, keys, before, 2)
                                    && ordersCounted(redis, keys, early, 2));

            // The campaign, created now, starting at S; burst 2 right behind it.
            Campaign campaign =
                    TestOffers.campaign("milestone-" + run, TriggerType.POINTS_MILESTONE)
                            .setStartsAt(start.toEpochMilli())
                            .build();
            TestJobs.publishCampaign(producer, config, campaign);
            List<String> late = customers("late");
            for (String c : late) {
                send(producer, orders, c, start.plus(Duration.ofHours(2)));
            }
            for (String c : late) {
                send(producer, orders, c, start.plus(Duration.ofHours(3)));
            }
            producer.flush();
            TestJobs.awaitTrue(
                    "the second burst in the profiles",
                    TIMEOUT,
                    () -> ordersCounted(redis, keys, late, 2));

            TreeSet<String> expected = new TreeSet<>(early);
            expected.addAll(late);
            String topic = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
            // Wait for the coupons (no failure here: the assertions below say which are missing).
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!couponed(topic).containsAll(expected) && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            // Committed offers leave with checkpoints: give a few more the chance to deliver a
            // wrong one.
            Path jobCheckpoints = checkpoints.resolve(job.getJobID().toString());
            long now = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
            TestJobs.awaitTrue(
                    "three more checkpoints",
                    TIMEOUT,
                    () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= now + 3);

            assertThat(couponed(topic))
                    .as(
                            "customers with a coupon: every milestone at or after the start, none before")
                    .isEqualTo(expected);
            assertThat(couponedMoments(topic))
                    .as("one coupon per customer, for the moment after the start")
                    .hasSize(expected.size())
                    .allSatisfy(at -> assertThat(at).isGreaterThanOrEqualTo(start.toEpochMilli()));
        } finally {
            TestJobs.cancel(job);
        }
    }

    private static List<String> customers(String group) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < PER_GROUP; i++) {
            list.add(group + "-" + i);
        }
        return list;
    }

    /** An order of 150: the first is the baseline, the second passes the 100-point milestone. */
    private static void send(
            Producer<String, byte[]> producer, String topic, String customer, Instant at) {
        var order = TestEvents.order(customer, OrderStatus.PLACED, at, 150).build();
        producer.send(new ProducerRecord<>(topic, customer, AvroEventSerializer.encode(order)));
    }

    private static boolean ordersCounted(
            RedisClient redis, RedisKeys keys, List<String> customers, int orders) {
        return customers.stream()
                .allMatch(
                        c ->
                                Integer.toString(orders)
                                        .equals(redis.hget(keys.profile(c), "orders")));
    }

    private static TreeSet<String> couponed(String topic) {
        return TopicReader.customersWithOffers(SERVICES.kafka().bootstrapServers(), topic);
    }

    private static List<Long> couponedMoments(String topic) {
        return TopicReader.offerDecisions(SERVICES.kafka().bootstrapServers(), topic).stream()
                .map(OfferDecision::getIssuedAt)
                .toList();
    }
}
