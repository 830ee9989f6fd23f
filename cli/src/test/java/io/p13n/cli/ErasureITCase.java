package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.cli.testing.CliRuns;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.ClickType;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Erasure end to end on real Kafka, Redis and Flink: a customer with a profile, recommendations, a
 * coupon and segment changes asks to be forgotten through {@code personalize privacy erase}. Their
 * Redis keys go, the customer-keyed output topics end with a tombstone for them, a replay of their
 * old events does not bring them back, and a savepoint of the job holds no byte of their id, while
 * the other customer is untouched throughout (and their search query is kept nowhere).
 */
class ErasureITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    /** Four slots: the engine takes two, `privacy export` reads state with a job of its own. */
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path work;

    @Test
    void anErasedCustomerIsGoneFromRedisTopicsAndStateAndStaysGone(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Ids that occur nowhere else, so a byte search of the savepoint means something.
        String erased = "erase-me-" + run;
        String kept = "keep-me-" + run;
        Map<String, String> settings =
                TestJobs.engineSettings(SERVICES, run, work.resolve("checkpoints"), overrides());
        EngineConfig config =
                TestJobs.engineConfig(SERVICES, run, work.resolve("checkpoints"), overrides());
        // As the Docker stack does; `privacy erase` creates it when missing.
        SERVICES.kafka().createTopics(1, config.get(EngineOptions.KAFKA_TOPIC_ERASURES));
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String deadLetters = config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS);
        String segmentChanges = config.get(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES);
        String churnSignals = config.get(EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS);
        String bootstrap = SERVICES.kafka().bootstrapServers();
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        Instant start = Instant.now().minus(Duration.ofDays(3));

        JobClient job = TestJobs.startEngine(config, "erasure-" + run);
        try (Producer<String, byte[]> producer = EventProducers.create(bootstrap, "er-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("milestone-" + run, TriggerType.POINTS_MILESTONE).build());
            List<ProducerRecord<String, byte[]>> history = new ArrayList<>();
            for (String c : List.of(erased, kept)) {
                for (int v = 0; v < 3; v++) {
                    history.add(
                            new ProducerRecord<>(
                                    clicks,
                                    c,
                                    AvroEventSerializer.encode(
                                            TestEvents.productView(
                                                    c, start.plusSeconds(60L * v)))));
                }
                for (int o = 0; o < 2; o++) {
                    history.add(
                            new ProducerRecord<>(
                                    orders,
                                    c,
                                    AvroEventSerializer.encode(
                                            TestEvents.order(
                                                            c,
                                                            OrderStatus.PLACED,
                                                            start.plus(Duration.ofHours(1 + o)),
                                                            150)
                                                    .build())));
                }
            }
            // Free text that can carry personal data is never kept: the search query below must
            // not reach Redis or the savepoint either.
            String query = "query-of-" + kept;
            history.add(
                    new ProducerRecord<>(
                            clicks,
                            kept,
                            AvroEventSerializer.encode(
                                    TestEvents.click(kept, ClickType.SEARCH, start.plusSeconds(30))
                                            .setSearchQuery(query)
                                            .build())));
            for (ProducerRecord<String, byte[]> r : history) {
                producer.send(r).get();
            }
            TestJobs.awaitTrue(
                    "both customers' profiles, recommendations and coupons in Redis",
                    TIMEOUT,
                    () ->
                            List.of(erased, kept).stream()
                                    .allMatch(
                                            c ->
                                                    "2"
                                                                    .equals(
                                                                            redis.hget(
                                                                                    keys.profile(c),
                                                                                    "orders"))
                                                            && redis.exists(keys.recommendations(c))
                                                            && redis.exists(keys.activeOffers(c))));
            TestJobs.awaitTrue(
                    "a segment change of the customer to be erased",
                    TIMEOUT,
                    () -> lastValueOf(erased, bootstrap, segmentChanges) != null);
            Map<String, String> keptProfile = redis.hgetAll(keys.profile(kept));

            // Access request first: what the engine holds about the customer, Redis and state.
            CommonTestUtils.waitForAllTaskRunning(cluster, job.getJobID(), false);
            String before =
                    job.triggerSavepoint(
                                    work.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            JsonNode export = export(erased, settings, before);
            assertThat(export.at("/redis/profile/orders").asText()).isEqualTo("2");
            assertThat(export.at("/redis/recommendations/strategy").isTextual())
                    .as("the recommendation list in %s", export)
                    .isTrue();
            assertThat(export.at("/redis/offers/offers").size()).isEqualTo(1);
            assertThat(export.at("/redis/decisions").findValuesAsText("outcome"))
                    .as("the recent decisions in %s", export)
                    .contains("SENT");
            assertThat(export.at("/redis/segmentHistory").size())
                    .as("the segment history in %s", export)
                    .isPositive();
            assertThat(export.at("/state/profile/customerId").asText())
                    .as("the profile in %s", export.get("state"))
                    .isEqualTo(erased);
            assertThat(export.at("/state/profile/orders").asInt()).isEqualTo(2);
            assertThat(export.at("/state/sessionTrail/items").size()).isPositive();
            assertThat(export.at("/state/offerMoments/customerId").asText()).isEqualTo(erased);
            assertThat(export.at("/state/offerLedger/offers").size()).isEqualTo(1);
            assertThat(export.toString()).doesNotContain(kept);

            String[] result =
                    CliRuns.execute(
                            "privacy",
                            "erase",
                            erased,
                            "--config",
                            configFile(settings).toString(),
                            "--source",
                            "ErasureITCase",
                            "--wait",
                            "60");
            assertThat(result[0]).as("exit code; stderr: %s", result[2]).isEqualTo("0");
            assertThat(result[1]).contains("Erasure request", "Gone from Redis after");

            // Nothing in Redis names the customer: no key, no value.
            for (String key : scan(redis, config.get(EngineOptions.REDIS_KEY_PREFIX) + ":*")) {
                assertThat(key).doesNotContain(erased).doesNotContain(query);
                String type = redis.type(key);
                String value =
                        switch (type) {
                            case "hash" -> redis.hgetAll(key).toString();
                            case "string" -> redis.get(key);
                            case "list" -> redis.lrange(key, 0, -1).toString();
                            default -> "";
                        };
                assertThat(value)
                        .as("value of %s", key)
                        .doesNotContain(erased)
                        .doesNotContain(query);
            }
            assertThat(redis.exists(keys.recommendations(kept))).isTrue();
            assertThat(redis.exists(keys.activeOffers(kept))).isTrue();
            assertThat(redis.exists(keys.segmentHistory(erased))).isFalse();
            assertThat(redis.exists(keys.recentDecisions(erased))).isFalse();
            assertThat(redis.exists(keys.segmentHistory(kept))).isTrue();
            assertThat(redis.exists(keys.recentDecisions(kept))).isTrue();

            // The customer-keyed topics end with a tombstone of the customer.
            TestJobs.awaitTrue(
                    "tombstones on the segment-changes and churn-signals topics",
                    TIMEOUT,
                    () ->
                            hasTombstoneLast(erased, bootstrap, segmentChanges)
                                    && hasTombstoneLast(erased, bootstrap, churnSignals));
            assertThat(lastValueOf(kept, bootstrap, segmentChanges)).isNotNull();

            // A replay of the customer's history (and one more order) does not bring them back.
            // The undecodable records after it are a barrier: their dead letters reach Kafka on
            // the first checkpoint after every record before them on their partition was
            // processed, and the Redis sinks flush on that checkpoint too.
            for (ProducerRecord<String, byte[]> r : history) {
                if (erased.equals(r.key())) {
                    producer.send(r).get();
                }
            }
            producer.send(
                            new ProducerRecord<>(
                                    orders,
                                    erased,
                                    AvroEventSerializer.encode(
                                            TestEvents.order(
                                                            erased,
                                                            OrderStatus.PLACED,
                                                            start.plus(Duration.ofHours(5)),
                                                            90)
                                                    .build())))
                    .get();
            for (String topic : List.of(clicks, orders)) {
                producer.send(
                                new ProducerRecord<>(
                                        topic, erased, "barrier".getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
            TestJobs.awaitTrue(
                    "the barrier's dead letters",
                    TIMEOUT,
                    () -> TopicReader.readAll(bootstrap, deadLetters).size() >= 2);
            assertThat(redis.exists(keys.profile(erased))).as("profile after replay").isFalse();
            assertThat(redis.exists(keys.recommendations(erased))).isFalse();
            assertThat(redis.exists(keys.activeOffers(erased))).isFalse();
            assertThat(redis.exists(keys.segmentHistory(erased))).isFalse();
            assertThat(redis.exists(keys.recentDecisions(erased))).isFalse();
            assertThat(redis.hgetAll(keys.profile(kept))).isEqualTo(keptProfile);

            // A savepoint: every state of the job, byte for byte, without the id.
            CommonTestUtils.waitForAllTaskRunning(cluster, job.getJobID(), false);
            String savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    work.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            Path dir = Path.of(java.net.URI.create(savepoint));
            assertThat(filesContaining(dir, kept))
                    .as("the search finds a customer id in the savepoint")
                    .isNotEmpty();
            assertThat(filesContaining(dir, erased)).as("files holding the erased id").isEmpty();
            assertThat(filesContaining(dir, query)).as("files holding the search query").isEmpty();
            JsonNode after = export(erased, settings, savepoint);
            for (String part :
                    List.of(
                            "/redis/profile",
                            "/redis/recommendations",
                            "/redis/offers",
                            "/redis/segmentHistory",
                            "/redis/decisions",
                            "/state/profile",
                            "/state/sessionTrail",
                            "/state/offerMoments",
                            "/state/offerLedger")) {
                assertThat(after.at(part).isNull()).as("%s after the erasure", part).isTrue();
            }
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                TestJobs.cancel(job);
            }
        }
    }

    private static Map<String, String> overrides() {
        Map<String, String> o = new HashMap<>();
        o.put(EngineOptions.OFFERS_CONTROL_SHARE.key(), "0");
        o.put(EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100");
        // short, so the ledger's marker is gone before the savepoint
        o.put(EngineOptions.PRIVACY_ERASURE_GRACE.key(), "1s");
        return o;
    }

    /** {@code privacy export ID --from-savepoint PATH}, parsed. */
    private JsonNode export(String customer, Map<String, String> settings, String savepoint)
            throws Exception {
        Path out = work.resolve("export-" + UUID.randomUUID() + ".json");
        String[] result =
                CliRuns.execute(
                        "privacy",
                        "export",
                        customer,
                        "--config",
                        configFile(settings).toString(),
                        "--from-savepoint",
                        Path.of(java.net.URI.create(savepoint)).toString(),
                        "--output",
                        out.toString());
        assertThat(result[0]).as("export exit code; stderr: %s", result[2]).isEqualTo("0");
        return new ObjectMapper().readTree(out.toFile());
    }

    private Path configFile(Map<String, String> settings) throws IOException {
        Properties properties = new Properties();
        properties.putAll(settings);
        Path file = work.resolve("engine.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, "ErasureITCase");
        }
        return file;
    }

    private static List<String> scan(RedisClient redis, String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page =
                    redis.scan(cursor, new ScanParams().match(pattern).count(500));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    /** The last record of {@code key} on the topic, null when there is none. */
    private static ConsumerRecord<String, byte[]> lastValueOf(
            String key, String bootstrap, String topic) {
        ConsumerRecord<String, byte[]> last = null;
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, topic)) {
            if (key.equals(r.key())) {
                last = r;
            }
        }
        return last;
    }

    private static boolean hasTombstoneLast(String key, String bootstrap, String topic) {
        ConsumerRecord<String, byte[]> last = lastValueOf(key, bootstrap, topic);
        return last != null && last.value() == null;
    }

    /** The files under {@code dir} whose bytes contain {@code id} (UTF-8). */
    private static List<Path> filesContaining(Path dir, String id) throws IOException {
        byte[] needle = id.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
