package io.p13n.cli;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.ChurnSignal;
import io.p13n.model.ChurnSignalType;
import io.p13n.model.ClickType;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * Event-time timers need the watermark, and the watermark is the minimum over every source
 * partition. Here the orders topic gets no events at all: without idleness detection the job's
 * event time would never advance and no cart would ever be abandoned.
 */
class IdlePartitionsITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path checkpoints;

    @Test
    void shouldFireCartAbandonmentWhileTheOrdersTopicIsIdle() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(EngineOptions.WATERMARK_IDLE_TIMEOUT.key(), "1s"));
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        JobClient job = TestJobs.startEngine(config, "idle-partitions-it");
        try (Producer<String, byte[]> producer =
                EventProducers.create(SERVICES.kafka().bootstrapServers(), "idle-" + run)) {
            producer.send(
                    new ProducerRecord<>(
                            clicks,
                            "dave",
                            AvroEventSerializer.encode(
                                    TestEvents.click("dave", ClickType.ADD_TO_CART, T0).build())));
            // Two hours later someone else browses: event time moves past dave's one-hour deadline.
            producer.send(
                    new ProducerRecord<>(
                            clicks,
                            "erin",
                            AvroEventSerializer.encode(
                                    TestEvents.productView("erin", T0.plus(Duration.ofHours(2))))));
            producer.flush();

            String signals = config.get(EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS);
            TestJobs.awaitTrue(
                    "dave's cart abandonment",
                    TIMEOUT,
                    () ->
                            !TopicReader.readAll(SERVICES.kafka().bootstrapServers(), signals)
                                    .isEmpty());
            List<ChurnSignal> received =
                    TopicReader.readAll(SERVICES.kafka().bootstrapServers(), signals).stream()
                            .map(r -> decode(r.value()))
                            .toList();
            assertThat(received)
                    .singleElement()
                    .satisfies(
                            signal -> {
                                assertThat(signal.getCustomerId()).isEqualTo("dave");
                                assertThat(signal.getType())
                                        .isEqualTo(ChurnSignalType.CART_ABANDONED);
                                assertThat(signal.getEventTime())
                                        .isEqualTo(T0.plus(Duration.ofHours(1)));
                            });
        } finally {
            TestJobs.cancel(job);
        }
    }

    /**
     * The campaigns and erasure-request streams are idle as far as watermarks go. When they emitted
     * the end of time instead, a quiet spell of every event partition left theirs as the only
     * watermark: every profile timer fired at the end of time (the customer churned a year after
     * the last order) and every offer expired.
     */
    @Test
    void eventTimeStandsStillWhileEveryEventPartitionIsIdle() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints.resolve(run),
                        Map.of(
                                EngineOptions.WATERMARK_IDLE_TIMEOUT.key(), "1s",
                                EngineOptions.OFFERS_CONTROL_SHARE.key(), "0",
                                EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100"));
        // Both control streams read a real topic, so both emit whatever watermarks they emit.
        SERVICES.kafka().createTopics(2, config.get(EngineOptions.KAFKA_TOPIC_ERASURES));
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        Instant lastOrder = T0.plus(Duration.ofHours(1));
        JobClient job = null;
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "still-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("milestones", TriggerType.POINTS_MILESTONE).build());
            job = TestJobs.startEngine(config, "idle-still-it");
            // Two orders of 60: 120 points pass the 100-point milestone, which issues a coupon.
            for (Instant at : List.of(T0, lastOrder)) {
                producer.send(
                        new ProducerRecord<>(
                                config.get(EngineOptions.KAFKA_TOPIC_ORDERS),
                                "fay",
                                AvroEventSerializer.encode(
                                        TestEvents.order("fay", OrderStatus.PLACED, at, 60)
                                                .build())));
            }
            producer.flush();
            TestJobs.awaitTrue(
                    "fay's coupon in Redis", TIMEOUT, () -> redis.exists(keys.activeOffers("fay")));

            // Every event partition has been quiet for far longer than the idle timeout, and
            // checkpoints (every second) carried whatever followed to Redis.
            Thread.sleep(8_000);

            Map<String, String> profile = redis.hgetAll(keys.profile("fay"));
            assertThat(profile.get("orders")).isEqualTo("2");
            assertThat(Instant.parse(profile.get("updatedAt")))
                    .as("the profile's clock: its last order, not the end of time")
                    .isEqualTo(lastOrder);
            assertThat(profile.get("segment")).isNotIn("AT_RISK", "CHURNED");
            assertThat(redis.exists(keys.activeOffers("fay")))
                    .as("the coupon has not expired")
                    .isTrue();
        } finally {
            if (job != null) {
                TestJobs.cancel(job);
            }
        }
    }

    private static ChurnSignal decode(byte[] value) {
        try {
            return ChurnSignal.getDecoder().decode(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
