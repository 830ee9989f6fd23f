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
import io.p13n.model.ClickType;
import io.p13n.model.OfferDecision;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
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
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Searches through the real job (Kafka, Redis, a MiniCluster at parallelism 2; README, Searches): a
 * customer who searched and looked at two tents has tents above the three pairs of shoes they
 * looked at an hour before in Redis's {@code topCategories}, and gets one SEARCHED_NOT_BOUGHT offer
 * once the watermark passes an hour after the search; a customer who searched and ordered gets
 * none. Nothing of the query's text reaches Redis or the output topics.
 */
class SearchesITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What the shoppers type; no word of it is a category or product id of the test. */
    private static final String QUERY = "Trekking Tent ULTRALIGHT";

    @TempDir Path checkpoints;

    @Test
    void shouldMoveTopCategoriesAndFireSearchedNotBoughtOnceWithoutKeepingTheQuery()
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
                                EngineOptions.WATERMARK_IDLE_TIMEOUT.key(), "1s"));
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        // Dated a day back (future events are refused), to the minute.
        Instant t = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);

        JobClient job = TestJobs.startEngine(config, "searches-" + run);
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "s-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("searched-" + run, TriggerType.SEARCHED_NOT_BOUGHT)
                            .build());
            for (int i = 0; i < 3; i++) {
                send(
                        producer,
                        clicks,
                        view("searcher", "v1", "S" + i, "shoes", t.plusSeconds(60 * i)));
            }
            send(producer, clicks, search("searcher", "v2", t.plus(Duration.ofMinutes(60))));
            send(
                    producer,
                    clicks,
                    view("searcher", "v2", "T1", "tents", t.plus(Duration.ofMinutes(61))));
            send(
                    producer,
                    clicks,
                    view("searcher", "v2", "T2", "tents", t.plus(Duration.ofMinutes(62))));
            send(producer, clicks, search("buyer", "b1", t.plus(Duration.ofMinutes(60))));
            send(
                    producer,
                    clicks,
                    view("buyer", "b1", "T1", "tents", t.plus(Duration.ofMinutes(61))));
            send(
                    producer,
                    orders,
                    "buyer",
                    AvroEventSerializer.encode(
                            TestEvents.placed("buyer", t.plus(Duration.ofMinutes(70)), 80)));
            producer.flush();

            TestJobs.awaitTrue(
                    "the searcher's and the buyer's profiles",
                    TIMEOUT,
                    () ->
                            "1".equals(redis.hget(keys.profile("buyer"), "orders"))
                                    && "1".equals(redis.hget(keys.profile("searcher"), "searches"))
                                    && "5"
                                            .equals(
                                                    redis.hget(
                                                            keys.profile("searcher"),
                                                            "productViews")));
            String top = redis.hget(keys.profile("searcher"), "topCategories");
            assertThat(top)
                    .as("two tents viewed in answer to a search outweigh three pairs of shoes")
                    .startsWith("tents:")
                    .contains("shoes:");

            // Time passes: later events on every partition move the watermark past the hour.
            Instant later = t.plus(Duration.ofHours(3));
            for (int partition = 0; partition < 2; partition++) {
                String clock = "clock-" + partition;
                producer.send(
                        new ProducerRecord<>(
                                clicks,
                                partition,
                                clock,
                                AvroEventSerializer.encode(
                                        TestEvents.click(clock, ClickType.PAGE_VIEW, later)
                                                .build())));
                producer.send(
                        new ProducerRecord<>(
                                orders,
                                partition,
                                clock,
                                AvroEventSerializer.encode(TestEvents.placed(clock, later, 10))));
            }
            producer.flush();

            String topic = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
            TestJobs.awaitTrue(
                    "the searcher's SEARCHED_NOT_BOUGHT offer",
                    TIMEOUT,
                    () -> !searchedNotBought(topic, "searcher").isEmpty());
            // Offers leave with checkpoints: give a few more the chance to deliver a second one.
            Path jobCheckpoints = checkpoints.resolve(job.getJobID().toString());
            long now = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
            TestJobs.awaitTrue(
                    "three more checkpoints",
                    TIMEOUT,
                    () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= now + 3);

            List<OfferDecision> offers = searchedNotBought(topic, "searcher");
            assertThat(offers).as("once").hasSize(1);
            assertThat(offers.get(0).getReason())
                    .contains("searched")
                    .contains("viewed 2 products mostly in tents");
            assertThat(offers.get(0).getIssuedAt())
                    .as("an hour after the search")
                    .isEqualTo(t.plus(Duration.ofMinutes(120)).toEpochMilli());
            assertThat(searchedNotBought(topic, "buyer")).as("ordered meanwhile").isEmpty();

            String everything =
                    redisContents(redis, config.get(EngineOptions.REDIS_KEY_PREFIX))
                            + outputTopics(config);
            assertThat(everything).as("what Redis and the output topics hold").contains("searcher");
            for (String word : List.of("trekking", "ultralight")) {
                assertThat(everything.toLowerCase(Locale.ROOT)).doesNotContain(word);
            }
        } finally {
            TestJobs.cancel(job);
        }
    }

    private static io.p13n.model.ClickEvent view(
            String customer, String session, String product, String category, Instant at) {
        return TestEvents.click(customer, ClickType.PRODUCT_VIEW, at)
                .setSessionId(session)
                .setProductId(product)
                .setCategoryId(category)
                .build();
    }

    private static io.p13n.model.ClickEvent search(String customer, String session, Instant at) {
        return TestEvents.click(customer, ClickType.SEARCH, at)
                .setSessionId(session)
                .setSearchQuery(QUERY)
                .build();
    }

    private static void send(
            Producer<String, byte[]> producer, String topic, io.p13n.model.ClickEvent click) {
        send(producer, topic, click.getCustomerId(), AvroEventSerializer.encode(click));
    }

    private static void send(
            Producer<String, byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    private static List<OfferDecision> searchedNotBought(String topic, String customer) {
        return TopicReader.offerDecisions(SERVICES.kafka().bootstrapServers(), topic).stream()
                .filter(d -> d.getCustomerId().equals(customer))
                .filter(d -> d.getTrigger() == TriggerType.SEARCHED_NOT_BOUGHT)
                .toList();
    }

    /** Every key of the run's prefix with its value (hash, string or list), as text. */
    private static String redisContents(RedisClient redis, String prefix) {
        StringBuilder out = new StringBuilder();
        ScanParams params = new ScanParams().match(prefix + ":*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                out.append(key).append('=');
                switch (redis.type(key)) {
                    case "hash" -> out.append(redis.hgetAll(key));
                    case "string" -> out.append(redis.get(key));
                    case "list" -> out.append(redis.lrange(key, 0, -1));
                    default -> out.append('?');
                }
                out.append('\n');
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out.toString();
    }

    /** The bytes of every output topic's records, as text (Avro strings are UTF-8 in them). */
    private static String outputTopics(EngineConfig config) {
        StringBuilder out = new StringBuilder();
        for (var topic :
                List.of(
                        EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS,
                        EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES,
                        EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS)) {
            for (var record :
                    TopicReader.readAll(SERVICES.kafka().bootstrapServers(), config.get(topic))) {
                if (record.value() != null) {
                    out.append(new String(record.value(), StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return out.toString();
    }
}
