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
import io.p13n.model.OfferDecision;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import io.p13n.model.ReviewEvent;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
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
 * Reviews through the real job (Kafka, Redis, a MiniCluster at parallelism 2; README, Reviews and
 * ratings): a one-star review is a SERVICE_RECOVERY offer on the offer-triggers topic, once; a
 * points milestone the customer's next (rewarded) review passes during the promotion pause is
 * SUPPRESSED, and shows as such in their recent decisions in Redis; each product's rating reaches
 * its Redis hash.
 */
class ReviewsITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    @TempDir Path checkpoints;

    @Test
    void shouldAnswerALowRatingOncePausePromotionsAndPublishRatings() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(
                                EngineOptions.CHECKPOINT_INTERVAL.key(), "500ms",
                                EngineOptions.OFFERS_CONTROL_SHARE.key(), "0",
                                EngineOptions.KAFKA_TOPIC_REVIEWS.key(), "reviews-" + run,
                                EngineOptions.KAFKA_TOPIC_CATALOG.key(), "catalog-" + run,
                                // 80 points for the order, 50 for the review: past 100
                                EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100",
                                EngineOptions.REVIEWS_POINTS.key(), "50"));
        String reviews = config.get(EngineOptions.KAFKA_TOPIC_REVIEWS);
        SERVICES.kafka().createTopics(2, reviews);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String triggers = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        // Dated a day back (future events are refused), to the minute.
        Instant t = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);

        JobClient job = TestJobs.startEngine(config, "reviews-" + run);
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "r-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("recover-" + run, TriggerType.SERVICE_RECOVERY).build());
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("milestone-" + run, TriggerType.POINTS_MILESTONE).build());
            producer.send(
                    new ProducerRecord<>(
                            orders,
                            "ann",
                            AvroEventSerializer.encode(
                                    TestEvents.order("ann", OrderStatus.PLACED, t, 80)
                                            .setLines(
                                                    List.of(
                                                            new OrderLine(
                                                                    "P-ok", "tents", 1, 80.0)))
                                            .build())));
            send(producer, reviews, TestEvents.review("ann", "P-bad", 1, t.plusSeconds(60)));
            send(producer, reviews, TestEvents.review("bob", "P-bad", 2, t.plusSeconds(70)));
            producer.flush();

            TestJobs.awaitTrue(
                    "ann's SERVICE_RECOVERY offer on the offer-triggers topic",
                    TIMEOUT,
                    () -> !offers(triggers, "ann", TriggerType.SERVICE_RECOVERY).isEmpty());
            OfferDecision recovery = offers(triggers, "ann", TriggerType.SERVICE_RECOVERY).get(0);
            assertThat(recovery.getCampaignId()).isEqualTo("recover-" + run);
            assertThat(recovery.getReason()).isEqualTo("rated P-bad 1/5");
            assertThat(recovery.getIssuedAt()).isEqualTo(t.plusSeconds(60).toEpochMilli());

            // Two minutes later ann reviews what she bought: 50 points pass the 100 milestone,
            // a promotion inside the pause.
            send(producer, reviews, TestEvents.review("ann", "P-ok", 5, t.plusSeconds(180)));
            producer.flush();
            TestJobs.awaitTrue(
                    "the milestone, suppressed, in ann's recent decisions",
                    TIMEOUT,
                    () ->
                            redis.lrange(keys.recentDecisions("ann"), 0, -1).stream()
                                    .anyMatch(e -> e.contains("POINTS_MILESTONE")));
            String milestone =
                    redis.lrange(keys.recentDecisions("ann"), 0, -1).stream()
                            .filter(e -> e.contains("POINTS_MILESTONE"))
                            .findFirst()
                            .orElseThrow();
            assertThat(milestone)
                    .contains("\"outcome\":\"SUPPRESSED\"")
                    .contains("promotions paused after a service recovery");
            assertThat(redis.hget(keys.profile("ann"), "points")).isEqualTo("130");
            assertThat(redis.hget(keys.profile("ann"), "reviews")).isEqualTo("2");

            TestJobs.awaitTrue(
                    "both products' ratings in Redis",
                    TIMEOUT,
                    () ->
                            "2".equals(redis.hget(keys.productRating("P-bad"), "count"))
                                    && "1".equals(redis.hget(keys.productRating("P-ok"), "count")));
            assertThat(redis.hgetAll(keys.productRating("P-bad")))
                    .containsEntry("avg", "1.50")
                    .containsEntry("sum", "3");
            assertThat(redis.hget(keys.productRating("P-ok"), "avg")).isEqualTo("5.00");
            assertThat(redis.pttl(keys.productRating("P-bad"))).isPositive();

            // Offers leave with checkpoints: give a few more the chance to deliver a second one.
            Path jobCheckpoints = checkpoints.resolve(job.getJobID().toString());
            long now = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
            TestJobs.awaitTrue(
                    "three more checkpoints",
                    TIMEOUT,
                    () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= now + 3);
            assertThat(offers(triggers, "ann", TriggerType.SERVICE_RECOVERY)).as("once").hasSize(1);
            assertThat(offers(triggers, "ann", TriggerType.POINTS_MILESTONE))
                    .as("paused")
                    .isEmpty();
        } finally {
            TestJobs.cancel(job);
        }
    }

    private static void send(Producer<String, byte[]> producer, String topic, ReviewEvent review) {
        producer.send(
                new ProducerRecord<>(
                        topic, review.getCustomerId(), AvroEventSerializer.encode(review)));
    }

    private static List<OfferDecision> offers(String topic, String customer, TriggerType trigger) {
        return TopicReader.offerDecisions(SERVICES.kafka().bootstrapServers(), topic).stream()
                .filter(d -> d.getCustomerId().equals(customer))
                .filter(d -> d.getTrigger() == trigger)
                .toList();
    }
}
