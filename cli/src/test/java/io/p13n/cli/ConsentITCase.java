package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.offers.VariantAssignment;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.MessageChannel;
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
 * Consent end to end on real Kafka, Redis and Flink, under an opt-in regime for marketing: an email
 * campaign reaches only the customer who granted email, its statistics count the moments stopped
 * for consent (in neither arm), a withdrawal takes the coupon off the storefront, and a customer
 * who withdrew personalization is served an empty, say-so profile.
 */
class ConsentITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path checkpoints;

    @Test
    void offersAndProfilesFollowEachCustomersConsent() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(
                                EngineOptions.OFFERS_CONTROL_SHARE.key(), "0",
                                EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100",
                                EngineOptions.PRIVACY_MARKETING_CONSENT_DEFAULT.key(), "denied"));
        String consents = config.get(EngineOptions.KAFKA_TOPIC_CONSENTS);
        SERVICES.kafka().createTopics(2, consents);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String offers = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
        RedisKeys keys = new RedisKeys("it" + run);
        Instant start = Instant.now().minus(Duration.ofHours(2));

        JobClient job = TestJobs.startEngine(config, "consent-" + run);
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "ct-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("email-" + run, TriggerType.POINTS_MILESTONE)
                            .setChannel(MessageChannel.EMAIL)
                            .build());
            for (String c : List.of("granted", "withdraws")) {
                send(
                        producer,
                        consents,
                        c,
                        AvroEventSerializer.encode(
                                TestEvents.consent(
                                        c,
                                        ConsentPurpose.MARKETING,
                                        MessageChannel.EMAIL,
                                        true,
                                        start)));
            }
            send(
                    producer,
                    consents,
                    "private",
                    AvroEventSerializer.encode(
                            TestEvents.consent(
                                    "private",
                                    ConsentPurpose.PERSONALIZATION,
                                    null,
                                    false,
                                    start)));
            // Consents and orders are separate topics, read concurrently: orders go once the
            // consents are in the profiles.
            TestJobs.awaitTrue(
                    "the consents in the profiles",
                    TIMEOUT,
                    () ->
                            "email".equals(redis.hget(keys.profile("granted"), "marketingChannels"))
                                    && "email"
                                            .equals(
                                                    redis.hget(
                                                            keys.profile("withdraws"),
                                                            "marketingChannels"))
                                    && "denied"
                                            .equals(
                                                    redis.hget(
                                                            keys.profile("private"),
                                                            "personalization")));

            // Two orders of 150 each: the second passes a 100-point milestone.
            for (String c : List.of("granted", "withdraws", "silent", "private")) {
                for (int i = 0; i < 2; i++) {
                    send(
                            producer,
                            orders,
                            c,
                            AvroEventSerializer.encode(
                                    TestEvents.order(
                                                    c,
                                                    OrderStatus.PLACED,
                                                    start.plus(Duration.ofMinutes(10 + i)),
                                                    150)
                                            .build()));
                }
            }
            send(
                    producer,
                    clicks,
                    "private",
                    AvroEventSerializer.encode(
                            TestEvents.productView("private", start.plusSeconds(1800))));
            TestJobs.awaitTrue(
                    "every order in the profiles",
                    TIMEOUT,
                    () ->
                            TestJobs.ordersInRedis(
                                                    redis,
                                                    keys,
                                                    List.of(
                                                            "granted",
                                                            "withdraws",
                                                            "silent",
                                                            "private"))
                                            .values()
                                            .stream()
                                            .filter(n -> n == 2)
                                            .count()
                                    == 4);
            TestJobs.awaitTrue(
                    "the coupons of the consenting customers in Redis",
                    TIMEOUT,
                    () ->
                            redis.exists(keys.activeOffers("granted"))
                                    && redis.exists(keys.activeOffers("withdraws")));

            // Redis offers are written on a checkpoint, the topic's once it completes.
            TestJobs.awaitTrue(
                    "the coupons on the offers topic",
                    TIMEOUT,
                    () ->
                            TopicReader.customersWithOffers(
                                                    SERVICES.kafka().bootstrapServers(), offers)
                                            .size()
                                    >= 2);
            assertThat(TopicReader.customersWithOffers(SERVICES.kafka().bootstrapServers(), offers))
                    .as("no consent record under opt-in: no email")
                    .containsExactlyInAnyOrder("granted", "withdraws");
            assertThat(redis.get(keys.activeOffers("granted"))).contains("\"channel\":\"EMAIL\"");
            assertThat(redis.exists(keys.activeOffers("silent"))).isFalse();
            assertThat(redis.exists(keys.activeOffers("private"))).isFalse();

            // The campaign's statistics record the moments stopped for consent, in neither arm:
            // "private" passed 100 points (its consent decision made its first profile, the
            // baseline) and 300, "silent" only 300 (its first order was its baseline); the
            // consenting customers' second milestone is stopped by the frequency cap, not counted.
            String stats = keys.campaignStats("email-" + run);
            long suppressedForConsent = 3;
            TestJobs.awaitTrue(
                    "the consent-suppressed moments in the campaign stats",
                    TIMEOUT,
                    () -> {
                        String n = redis.hget(stats, "suppressedForConsent");
                        return n != null && Long.parseLong(n) >= suppressedForConsent;
                    });
            Map<String, String> campaignStats = redis.hgetAll(stats);
            assertThat(campaignStats)
                    .as("silent once, private twice")
                    .containsEntry("suppressedForConsent", Long.toString(suppressedForConsent))
                    .containsEntry(VariantAssignment.DEFAULT_ARM + ".sent", "2")
                    .containsEntry(VariantAssignment.DEFAULT_ARM + ".heldOut", "0");
            assertThat(campaignStats.keySet())
                    .as("the suppressed customers make no arm")
                    .allMatch(
                            f ->
                                    f.startsWith(VariantAssignment.DEFAULT_ARM + ".")
                                            || f.equals("suppressedForConsent")
                                            || f.equals("updatedAt")
                                            || f.startsWith("srm")
                                            || f.equals("confidence"));

            Map<String, String> unprofiled = redis.hgetAll(keys.profile("private"));
            assertThat(unprofiled)
                    .as("served, saying why it is empty")
                    .containsEntry("personalization", "denied")
                    .containsEntry("orders", "2")
                    .containsEntry("productViews", "0")
                    .containsEntry("recentlyViewed", "")
                    .containsEntry("purchasedProducts", "")
                    .containsEntry("topCategories", "");

            send(
                    producer,
                    consents,
                    "withdraws",
                    AvroEventSerializer.encode(
                            TestEvents.consent(
                                    "withdraws",
                                    ConsentPurpose.MARKETING,
                                    MessageChannel.EMAIL,
                                    false,
                                    start.plus(Duration.ofMinutes(30)))));
            TestJobs.awaitTrue(
                    "the withdrawn coupon off the storefront",
                    TIMEOUT,
                    () -> !redis.exists(keys.activeOffers("withdraws")));
            assertThat(redis.exists(keys.activeOffers("granted"))).isTrue();
            assertThat(redis.hget(keys.profile("withdraws"), "marketingChannels")).isEmpty();
            assertThat(redis.hget(stats, "suppressedForConsent"))
                    .as("a withdrawal is no moment: nothing more suppressed")
                    .isEqualTo(Long.toString(suppressedForConsent));
        } finally {
            TestJobs.cancel(job);
        }
    }

    private static void send(
            Producer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
}
