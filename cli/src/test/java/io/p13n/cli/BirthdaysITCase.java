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
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.OfferDecision;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * Birthdays through the real job (Kafka, Redis, a MiniCluster at parallelism 2; README, Customer
 * attributes, birthdays and anniversaries), in event time three days back: ann states her birthday
 * on the day (around noon where she lives) and gets the BIRTHDAY campaign's offer once, though her
 * attributes arrive twice and are stated anew; carol's birthday is the next day and comes when
 * another customer's later click moves the watermark past her local midnight, without an event of
 * hers; bob's is ten days off and gives nothing.
 */
class BirthdaysITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    @TempDir Path checkpoints;

    @Test
    void shouldOfferTheBirthdayCampaignOnceOnTheCustomersLocalDate() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String attributesTopic = "customer-attributes-" + run;
        EngineConfig config =
                TestJobs.engineConfig(
                        SERVICES,
                        run,
                        checkpoints,
                        Map.of(
                                EngineOptions.CHECKPOINT_INTERVAL.key(), "500ms",
                                EngineOptions.OFFERS_CONTROL_SHARE.key(), "0",
                                EngineOptions.WATERMARK_IDLE_TIMEOUT.key(), "1s",
                                EngineOptions.KAFKA_TOPIC_CUSTOMER_ATTRIBUTES.key(),
                                        attributesTopic));
        SERVICES.kafka().createTopics(2, attributesTopic);
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        // Three days back (future events are refused), in a zone where it is about noon then.
        Instant t = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MINUTES);
        ZoneOffset zone = ZoneOffset.ofHours(12 - t.atZone(ZoneOffset.UTC).getHour());
        LocalDate today = t.atZone(zone).toLocalDate();

        JobClient job = TestJobs.startEngine(config, "birthdays-" + run);
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "b-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("birthday-" + run, TriggerType.BIRTHDAY).build());
            for (String c : List.of("ann", "bob", "carol")) {
                send(producer, clicks, c, AvroEventSerializer.encode(TestEvents.productView(c, t)));
            }
            producer.flush();
            TestJobs.awaitTrue(
                    "the three profiles",
                    TIMEOUT,
                    () ->
                            List.of("ann", "bob", "carol").stream()
                                    .allMatch(c -> redis.exists(keys.profile(c))));

            Instant stated = t.plusSeconds(60);
            byte[] anns = attributes("ann-1", "ann", birthday(today), zone, stated);
            send(producer, attributesTopic, "ann", anns);
            send(producer, attributesTopic, "ann", anns); // a producer's retry
            send(
                    producer,
                    attributesTopic,
                    "ann",
                    attributes("ann-2", "ann", birthday(today), zone, stated.plusSeconds(60)));
            send(
                    producer,
                    attributesTopic,
                    "carol",
                    attributes("carol-1", "carol", birthday(today.plusDays(1)), zone, stated));
            send(
                    producer,
                    attributesTopic,
                    "bob",
                    attributes("bob-1", "bob", birthday(today.plusDays(10)), zone, stated));
            producer.flush();
            Map<String, LocalDate> birthdays =
                    Map.of("ann", today, "carol", today.plusDays(1), "bob", today.plusDays(10));
            TestJobs.awaitTrue(
                    "the birthdays in the profiles",
                    TIMEOUT,
                    () ->
                            birthdays.entrySet().stream()
                                    .allMatch(
                                            b ->
                                                    birthday(b.getValue())
                                                            .substring(5)
                                                            .equals(
                                                                    redis.hget(
                                                                            keys.profile(
                                                                                    b.getKey()),
                                                                            "birthday"))));
            // A day later someone else browses: event time passes carol's local midnight.
            send(
                    producer,
                    clicks,
                    "dave",
                    AvroEventSerializer.encode(
                            TestEvents.productView("dave", t.plus(Duration.ofDays(1)))));
            producer.flush();

            String topic = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
            TestJobs.awaitTrue(
                    "ann's and carol's birthday offers",
                    TIMEOUT,
                    () -> offers(topic).keySet().containsAll(List.of("ann", "carol")));
            // Committed offers leave with checkpoints: give a second one the chance to show.
            Path jobCheckpoints = checkpoints.resolve(job.getJobID().toString());
            long now = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
            TestJobs.awaitTrue(
                    "three more checkpoints",
                    TIMEOUT,
                    () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= now + 3);

            assertThat(offers(topic)).isEqualTo(Map.of("ann", 1, "carol", 1));
            List<OfferDecision> decisions =
                    TopicReader.offerDecisions(SERVICES.kafka().bootstrapServers(), topic);
            assertThat(decisions)
                    .allSatisfy(d -> assertThat(d.getTrigger()).isEqualTo(TriggerType.BIRTHDAY));
            OfferDecision ann = decision(decisions, "ann");
            assertThat(ann.getReason()).isEqualTo("birthday on " + today);
            assertThat(ann.getIssuedAt())
                    .as("the start of ann's day, where she lives")
                    .isEqualTo(today.atStartOfDay(zone).toInstant().toEpochMilli());
            OfferDecision carol = decision(decisions, "carol");
            assertThat(carol.getReason()).isEqualTo("birthday on " + today.plusDays(1));
            assertThat(carol.getIssuedAt())
                    .isEqualTo(today.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
        } finally {
            TestJobs.cancel(job);
        }
    }

    /** With a leap year, so that a birthday on 29 February is a date. */
    private static String birthday(LocalDate day) {
        return "1988" + day.toString().substring(4);
    }

    private static byte[] attributes(
            String id, String customer, String birthday, ZoneOffset zone, Instant at) {
        return AvroEventSerializer.encode(
                CustomerAttributesEvent.newBuilder()
                        .setEventId(id)
                        .setCustomerId(customer)
                        .setBirthday(birthday)
                        .setTimeZone(zone.getId())
                        .setEventTime(at)
                        .build());
    }

    private static void send(
            Producer<String, byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    private static Map<String, Integer> offers(String topic) {
        return TopicReader.offersPerCustomer(SERVICES.kafka().bootstrapServers(), topic);
    }

    private static OfferDecision decision(List<OfferDecision> decisions, String customer) {
        return decisions.stream()
                .filter(d -> d.getCustomerId().equals(customer))
                .findFirst()
                .orElseThrow();
    }
}
