package io.p13n.cli;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.Campaign;
import io.p13n.model.OfferDecision;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * Coupons are issued exactly once across failures: the same order history runs through a job that
 * never fails and through one whose TaskManager is killed three times mid-stream (right after a
 * checkpoint, between checkpoints with events in flight, and while offers are being committed). The
 * coupons on the offer-triggers topic (read committed) and the active offers in Redis must be
 * exactly those of the failure-free run: no duplicate, none missing. A replay with the backfill
 * flag issues nothing.
 */
class OffersExactlyOnceITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int CUSTOMERS = 30;
    private static final int ORDERS = 6;

    @TempDir Path checkpoints;

    /**
     * Every order of 150 passes a 100-point milestone; orders two days apart clear the 1-day cap.
     */
    private static Map<String, String> offerSettings(boolean backfill) {
        return Map.of(
                EngineOptions.CHECKPOINT_INTERVAL.key(), "500ms",
                EngineOptions.OFFERS_CONTROL_SHARE.key(), "0.2",
                EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100",
                EngineOptions.OFFERS_FREQUENCY_CAP.key(), "1d",
                EngineOptions.OFFERS_DEFAULT_COOLDOWN.key(), "1d",
                EngineOptions.OFFERS_BACKFILL.key(), Boolean.toString(backfill));
    }

    private static Campaign milestoneCampaign() {
        return TestOffers.campaign("milestone", TriggerType.POINTS_MILESTONE)
                .setCooldownDays(1)
                .build();
    }

    @Test
    void shouldIssueExactlyTheCouponsOfAFailureFreeRunDespiteRepeatedFailures(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        long started = System.currentTimeMillis();
        Outcome clean = run(cluster, false, false);
        Outcome failing = run(cluster, true, false);

        assertThat(clean.coupons)
                .as("the scenario issues coupons at all")
                .hasSizeGreaterThan(CUSTOMERS * 2);
        assertThat(clean.activeOffers).as("some customers hold offers").isNotEmpty();
        // The moments are a month old; a coupon stamped with its moment's event time would be
        // deleted by
        // the topic's 7-day retention at the broker's next check (which is how this test lost
        // coupons).
        assertThat(clean.oldestCouponTimestamp)
                .as("Kafka timestamp of the oldest coupon")
                .isGreaterThanOrEqualTo(started);
        assertThat(failing.duplicateCoupons)
                .as("coupons delivered twice to marketing systems")
                .isEmpty();
        assertThat(failing.coupons)
                .as("coupons on the offer-triggers topic")
                .isEqualTo(clean.coupons);
        assertThat(failing.activeOffers)
                .as("active offers in Redis, per customer")
                .isEqualTo(clean.activeOffers);
    }

    @Test
    void shouldIssueNothingWhenReplayingHistoryWithTheBackfillFlag(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Outcome backfill = run(cluster, false, true);

        assertThat(backfill.profilesBuilt).as("the replay did rebuild the profiles").isTrue();
        assertThat(backfill.coupons).isEmpty();
        assertThat(backfill.activeOffers).isEmpty();
    }

    /** What a run delivered, keyed by coupon id; customers' offers as the storefront reads them. */
    private record Outcome(
            Map<String, String> coupons,
            List<String> duplicateCoupons,
            Map<String, String> activeOffers,
            boolean profilesBuilt,
            long oldestCouponTimestamp) {}

    private Outcome run(MiniCluster cluster, boolean injectFailures, boolean backfill)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES, run, checkpoints.resolve(run), offerSettings(backfill));
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String offerTriggers = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
        RedisKeys keys = new RedisKeys("it" + run);
        String bootstrap = SERVICES.kafka().bootstrapServers();

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PersonalizationJob.flinkConfiguration(config));
        env.setParallelism(2);
        PersonalizationJob.defineWorkflow(env, config);
        try (Producer<String, byte[]> producer = EventProducers.create(bootstrap, "eo-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            Campaign campaign = milestoneCampaign();
            TestJobs.publishCampaign(producer, config, campaign);
            JobClient job = env.executeAsync("offers-eo-" + run);
            try {
                Path jobCheckpoints = checkpoints.resolve(run).resolve(job.getJobID().toString());
                if (backfill) {
                    // Nothing shows whether the campaign is loaded (nothing is issued): give the
                    // sources two
                    // checkpoints to read the one campaign record. The other test shows this input
                    // does
                    // trigger the campaign when not backfilling.
                    await(
                            "the job running",
                            () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= 2);
                } else {
                    awaitCampaignLoaded(producer, orders, offerTriggers, redis, keys);
                }
                for (int chunk = 0; chunk < 3; chunk++) {
                    long checkpointBefore = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
                    sendOrders(producer, orders, 2 * chunk, 2 * chunk + 2);
                    if (injectFailures) {
                        switch (chunk) {
                            case 0 -> {
                                // right after a checkpoint that covers part of the chunk, the rest
                                // in flight
                                await(
                                        "a checkpoint after the first chunk",
                                        () ->
                                                TestJobs.latestCompletedCheckpoint(jobCheckpoints)
                                                        > checkpointBefore);
                                kill(cluster);
                            }
                            case 1 -> kill(cluster); // between checkpoints, the chunk barely read
                            default -> {
                                // while offers of this chunk are being committed
                                Thread.sleep(700);
                                kill(cluster);
                            }
                        }
                        long afterRestart = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
                        await(
                                "a checkpoint after the restart",
                                () ->
                                        TestJobs.latestCompletedCheckpoint(jobCheckpoints)
                                                > afterRestart);
                    }
                }
                if (injectFailures) {
                    assertThat(
                                    cluster.getExecutionGraph(job.getJobID())
                                            .get()
                                            .getCheckpointStatsSnapshot()
                                            .getCounts()
                                            .getNumberOfRestoredCheckpoints())
                            .as("restores from a checkpoint: one per TaskManager killed")
                            .isEqualTo(3);
                }
                await("every order in the profiles", () -> allOrdersCounted(redis, keys));
                // Offers leave when the checkpoint covering them completes: by the second
                // checkpoint after
                // the last order shows in a profile, every offer has been decided and handed to the
                // sink.
                long covering = TestJobs.latestCompletedCheckpoint(jobCheckpoints) + 2;
                await(
                        "two more checkpoints",
                        () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= covering);
                // Then wait until nothing changes for a few checkpoints (the commit follows the
                // completion).
                Outcome outcome = read(bootstrap, offerTriggers, redis, keys, true);
                for (int stable = 0; stable < 6; ) {
                    Thread.sleep(500);
                    Outcome again = read(bootstrap, offerTriggers, redis, keys, true);
                    stable = again.equals(outcome) ? stable + 1 : 0;
                    outcome = again;
                }
                return outcome;
            } finally {
                TestJobs.cancel(job);
            }
        }
    }

    /**
     * Events that reach the job before the campaign do not trigger it, in any run; so before the
     * measured orders, probe customers order until one gets a coupon (a probe in the control group
     * never does, hence a new probe each round). Probes are left out of the comparison.
     */
    private static void awaitCampaignLoaded(
            Producer<String, byte[]> producer,
            String orders,
            String offerTriggers,
            RedisClient redis,
            RedisKeys keys)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int probe = 0; System.nanoTime() < deadline; probe++) {
            String customer = "probe-" + probe;
            send(producer, orders, customer, 0);
            send(producer, orders, customer, 1);
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                if (redis.exists(keys.activeOffers(customer))) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the campaign never took effect");
    }

    private static void sendOrders(
            Producer<String, byte[]> producer, String topic, int fromOrder, int toOrder)
            throws Exception {
        for (int n = fromOrder; n < toOrder; n++) {
            for (int c = 0; c < CUSTOMERS; c++) {
                send(producer, topic, "cust-" + c, n);
            }
        }
        producer.flush();
    }

    /** The customer's order number {@code n}: 150, two days after the previous one. */
    private static void send(
            Producer<String, byte[]> producer, String topic, String customer, int n) {
        var order =
                TestEvents.order(
                                customer,
                                io.p13n.model.OrderStatus.PLACED,
                                T0.plus(Duration.ofDays(2L * n)),
                                150)
                        .setOrderId(customer + "-order-" + n)
                        .build();
        producer.send(new ProducerRecord<>(topic, customer, AvroEventSerializer.encode(order)));
    }

    private static boolean allOrdersCounted(RedisClient redis, RedisKeys keys) {
        for (int c = 0; c < CUSTOMERS; c++) {
            if (!Integer.toString(ORDERS).equals(redis.hget(keys.profile("cust-" + c), "orders"))) {
                return false;
            }
        }
        return true;
    }

    private static Outcome read(
            String bootstrap,
            String topic,
            RedisClient redis,
            RedisKeys keys,
            boolean withoutProbes)
            throws IOException {
        Map<String, String> coupons = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrap, topic)) {
            oldest = Math.min(oldest, record.timestamp());
            OfferDecision decision = OfferDecision.getDecoder().decode(record.value());
            if (withoutProbes && decision.getCustomerId().startsWith("probe-")) {
                continue;
            }
            String summary =
                    decision.getCustomerId()
                            + " "
                            + decision.getCampaignId()
                            + " "
                            + decision.getCouponCode()
                            + " "
                            + decision.getIssuedAt();
            if (coupons.put(decision.getDecisionId(), summary) != null) {
                duplicates.add(decision.getDecisionId());
            }
        }
        Map<String, String> offers = new HashMap<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            String json = redis.get(keys.activeOffers("cust-" + c));
            if (json != null) {
                offers.put("cust-" + c, json);
            }
        }
        return new Outcome(coupons, duplicates, offers, allOrdersCounted(redis, keys), oldest);
    }

    private static void kill(MiniCluster cluster) throws Exception {
        TestJobs.replaceTaskManager(cluster);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        TestJobs.awaitTrue(what, TIMEOUT, condition);
    }
}
