package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.MessageChannel;
import io.p13n.model.OfferDecision;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
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
 * A push offer decided at 23:50 in the customer's zone (the configured default, Europe/Berlin) is
 * held through the night, survives the loss of its TaskManager in the checkpoint that holds it, and
 * reaches the offer-triggers topic (read committed) and the storefront's active offers in Redis
 * once, when event time passes 08:00, with its expiry counted from then. Before that it is in
 * neither, even with the clock at 07:59.
 */
class QuietHoursITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWL = "night-owl";

    @TempDir Path checkpoints;

    @Test
    void shouldHoldAPushOfferThroughTheNightAndAFailureAndDeliverItOnceInTheMorning(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(
                                EngineOptions.CHECKPOINT_INTERVAL.key(),
                                "500ms",
                                EngineOptions.OFFERS_CONTROL_SHARE.key(),
                                "0",
                                EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(),
                                "100",
                                EngineOptions.WATERMARK_IDLE_TIMEOUT.key(),
                                "1s",
                                "offers.quiet-hours.push",
                                "21:00-08:00",
                                "customers.default-time-zone",
                                "Europe/Berlin"));
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String offerTriggers = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
        String bootstrap = SERVICES.kafka().bootstrapServers();
        RedisKeys keys = new RedisKeys("it" + run);
        // Three days ago (future events are refused), in the customers' zone.
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        Instant morning = day.plusDays(1).atTime(8, 0).atZone(BERLIN).toInstant();

        JobClient job;
        try (Producer<String, byte[]> producer = EventProducers.create(bootstrap, "qh-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("night-push", TriggerType.POINTS_MILESTONE)
                            .setChannel(MessageChannel.PUSH)
                            .build());
            job = TestJobs.startEngine(config, "quiet-hours-" + run);
            try {
                Path jobCheckpoints = checkpoints.resolve(job.getJobID().toString());
                // A daytime milestone goes out at once: the campaign is loaded.
                for (int probe = 0; ; probe++) {
                    if (probe == 10) {
                        throw new AssertionError("the campaign never took effect");
                    }
                    String customer = "probe-" + probe;
                    order(producer, orders, customer, at(day, 12, 0), 150);
                    order(producer, orders, customer, at(day, 12, 5), 150);
                    awaitQuietly(Duration.ofSeconds(4), keyExists(redis, keys, customer));
                    if (redis.exists(keys.activeOffers(customer))) {
                        break;
                    }
                }

                // The owl passes 300 points at 23:50: a push offer in quiet hours.
                order(producer, orders, OWL, at(day, 23, 40), 150);
                order(producer, orders, OWL, at(day, 23, 50), 150);
                await(
                        "the decision, held until 08:00, in the recent-decisions list",
                        () -> heldUntil(redis, keys).equals(List.of(morning.toString())));
                long holding = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
                await(
                        "a checkpoint holding the offer",
                        () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) > holding);
                assertThat(delivered(bootstrap, offerTriggers)).as("held: not sent").isEmpty();
                assertThat(redis.exists(keys.activeOffers(OWL))).as("held: not shown").isFalse();
                assertThat(CustomerView.read(redis, keys, OWL, OWL).decisions())
                        .as("what show customer and the console show")
                        .extracting(
                                CustomerView.Decision::outcome, CustomerView.Decision::deliverAt)
                        .containsExactly(
                                org.assertj.core.api.Assertions.tuple("SENT", morning.toString()));

                // The TaskManager dies; the job restarts from the checkpoint that holds the offer.
                TestJobs.replaceTaskManager(cluster);
                long restarted = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
                await(
                        "a checkpoint after the restart",
                        () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) > restarted);

                // Event time reaches 07:59: still night.
                order(producer, orders, "clock", morning.minus(Duration.ofMinutes(1)), 10);
                await(
                        "the 07:59 order in a profile",
                        () -> "1".equals(redis.hget(keys.profile("clock"), "orders")));
                long at0759 = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
                await(
                        "two checkpoints after it",
                        () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= at0759 + 2);
                assertThat(delivered(bootstrap, offerTriggers)).as("at 07:59").isEmpty();
                assertThat(redis.exists(keys.activeOffers(OWL))).isFalse();

                // 08:30: the window is over.
                order(producer, orders, "clock", morning.plus(Duration.ofMinutes(30)), 10);
                await(
                        "the offer on the offer-triggers topic",
                        () -> !delivered(bootstrap, offerTriggers).isEmpty());
                await("the offer in Redis", keyExists(redis, keys, OWL));
                long released = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
                await(
                        "two more checkpoints",
                        () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= released + 2);

                List<OfferDecision> sent = delivered(bootstrap, offerTriggers);
                assertThat(sent).as("delivered once").hasSize(1);
                OfferDecision offer = sent.get(0);
                assertThat(Instant.ofEpochMilli(offer.getIssuedAt()))
                        .as("decided")
                        .isEqualTo(at(day, 23, 50));
                assertThat(Instant.ofEpochMilli(offer.getDeliverAt())).isEqualTo(morning);
                assertThat(Instant.ofEpochMilli(offer.getExpiresAt()))
                        .as("14 days from delivery")
                        .isEqualTo(morning.plus(Duration.ofDays(14)));
                JsonNode shown = JSON.readTree(redis.get(keys.activeOffers(OWL))).get("offers");
                assertThat(shown).hasSize(1);
                assertThat(shown.get(0).get("code").asText()).isEqualTo(offer.getCouponCode());
                assertThat(shown.get(0).get("expiresAt").asText())
                        .isEqualTo(morning.plus(Duration.ofDays(14)).toString());
                assertThat(
                                cluster.getExecutionGraph(job.getJobID())
                                        .get()
                                        .getCheckpointStatsSnapshot()
                                        .getCounts()
                                        .getNumberOfRestoredCheckpoints())
                        .as("restored from a checkpoint once")
                        .isEqualTo(1);
            } finally {
                TestJobs.cancel(job);
            }
        }
    }

    private static Instant at(LocalDate day, int hour, int minute) {
        return day.atTime(LocalTime.of(hour, minute)).atZone(BERLIN).toInstant();
    }

    private static void order(
            Producer<String, byte[]> producer,
            String topic,
            String customer,
            Instant at,
            double total)
            throws Exception {
        var order =
                TestEvents.order(customer, OrderStatus.PLACED, at, total)
                        .setOrderId(customer + "-" + at.toEpochMilli())
                        .build();
        producer.send(new ProducerRecord<>(topic, customer, AvroEventSerializer.encode(order)))
                .get();
    }

    /** The owl's offers on the topic, as a messaging system reads them (committed only). */
    private static List<OfferDecision> delivered(String bootstrap, String topic) {
        try {
            List<OfferDecision> found = new java.util.ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, topic)) {
                OfferDecision d = OfferDecision.getDecoder().decode(r.value());
                if (d.getCustomerId().equals(OWL)) {
                    found.add(d);
                }
            }
            return found;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The deliverAt of the owl's recent decisions that are held. */
    private static List<String> heldUntil(RedisClient redis, RedisKeys keys) {
        List<String> held = new java.util.ArrayList<>();
        for (String entry : redis.lrange(keys.recentDecisions(OWL), 0, -1)) {
            try {
                JsonNode node = JSON.readTree(entry);
                if (node.has("deliverAt")) {
                    held.add(node.get("deliverAt").asText());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return held;
    }

    private static BooleanSupplier keyExists(RedisClient redis, RedisKeys keys, String customer) {
        return () -> redis.exists(keys.activeOffers(customer));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        TestJobs.awaitTrue(what, TIMEOUT, condition);
    }

    /** Waits up to {@code timeout} for the condition; no failure when it does not come. */
    private static void awaitQuietly(Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }
}
