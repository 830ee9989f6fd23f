package io.p13n.cli;

import static io.p13n.cli.testing.CliRuns.execute;
import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.ClickType;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;

/**
 * Redis restarted empty: {@code redis rebuild --from-savepoint} puts back, from the job's
 * savepoint, what the storefront read before. The engine runs over views and orders of some dozens
 * of customers (a points-milestone campaign gives most of them coupons), stops with a savepoint;
 * every key of the run is recorded and deleted, the command runs in-process, and then every profile
 * hash equals the one before field by field, every active-offers document the one before, every
 * similar-items and trending list has the same items in the same order (scores within a small
 * tolerance: the job published a list as of the batch it last applied, the rebuild as of the list's
 * last event), every key has a TTL within what the job gives it, and no key is invented.
 */
class RedisRebuildITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int CUSTOMERS = 40;
    private static final int PRODUCTS = 12;
    private static final int ORDERS = 2;
    private static final Duration LIST_TTL = Duration.ofHours(1);
    private static final Duration PROFILE_TTL = Duration.ofHours(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path work;

    /** A key as it was: type, value (string or hash) and remaining TTL. */
    private record Entry(String type, Object value, long ttlMillis) {}

    private static Map<String, String> overrides() {
        Map<String, String> o = new HashMap<>();
        // long TTLs, so nothing expires while the test runs
        o.put(EngineOptions.REDIS_PROFILE_TTL.key(), PROFILE_TTL.toMinutes() + "min");
        o.put(EngineOptions.RECOMMEND_SIMILAR_TTL.key(), LIST_TTL.toMinutes() + "min");
        o.put(EngineOptions.RECOMMEND_TRENDING_TTL.key(), LIST_TTL.toMinutes() + "min");
        o.put(EngineOptions.RECOMMEND_RECOMMENDATIONS_TTL.key(), LIST_TTL.toMinutes() + "min");
        o.put(EngineOptions.RECOMMEND_COALESCE_INTERVAL.key(), "200ms");
        // every order of 150 passes a 100-point milestone; orders two days apart clear the cap
        o.put(EngineOptions.OFFERS_CONTROL_SHARE.key(), "0.2");
        o.put(EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100");
        o.put(EngineOptions.OFFERS_FREQUENCY_CAP.key(), "1d");
        o.put(EngineOptions.OFFERS_DEFAULT_COOLDOWN.key(), "1d");
        return o;
    }

    @Test
    void shouldRebuildProfilesListsAndOffersFromASavepoint(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path checkpoints = work.resolve("checkpoints");
        EngineConfig config = TestJobs.engineConfig(SERVICES, run, checkpoints, overrides());
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        String prefix = config.get(EngineOptions.REDIS_KEY_PREFIX) + ":";

        Map<String, Entry> before;
        try (Producer<String, byte[]> producer =
                        EventProducers.create(SERVICES.kafka().bootstrapServers(), "rb-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("milestone", TriggerType.POINTS_MILESTONE)
                            .setCooldownDays(1)
                            .build());
            JobClient job = TestJobs.startEngine(config, "rebuild-" + run);
            awaitCampaignLoaded(producer, config, redis, keys);
            sendEvents(producer, config);
            TestJobs.awaitTrue(
                    "every customer's views and orders, every product's list in Redis",
                    TIMEOUT,
                    () -> allCounted(redis, keys));
            // Throttled list publications wait for processing-time timers: let Redis settle.
            Map<String, Entry> settled = snapshot(redis, prefix);
            for (int stable = 0; stable < 6; ) {
                Thread.sleep(500);
                Map<String, Entry> again = snapshot(redis, prefix);
                stable = withoutTtl(again).equals(withoutTtl(settled)) ? stable + 1 : 0;
                settled = again;
            }
            CommonTestUtils.waitForAllTaskRunning(cluster, job.getJobID(), false);
            String savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    work.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            before = snapshot(redis, prefix);

            // Redis comes back empty
            for (String key : before.keySet()) {
                redis.del(key);
            }
            assertThat(snapshot(redis, prefix)).isEmpty();

            String[] result =
                    execute(
                            "redis",
                            "rebuild",
                            "--from-savepoint",
                            Path.of(java.net.URI.create(savepoint)).toString(),
                            "--config",
                            configFile(run, checkpoints).toString());
            assertThat(result[0]).as("exit code; stderr: %s", result[2]).isEqualTo("0");
            assertThat(result[1])
                    .contains("Rebuilt in", "recommendation lists", "Not rebuilt: campaign stats");
            Map<String, Entry> after = snapshot(redis, prefix);

            assertRebuilt(before, after, keys, config);
        }
    }

    @Test
    void shouldRefuseASavepointOfAnotherJobNamingTheMissingOperator(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(0, Long.MAX_VALUE)
                .map(
                        n -> {
                            Thread.sleep(5);
                            return n;
                        })
                .keyBy(n -> n % 10)
                .map(n -> n)
                .uid("some-other-stage")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("another-job-" + run);
        CommonTestUtils.waitForAllTaskRunning(cluster, job.getJobID(), false);
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                work.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();

        String[] result =
                execute(
                        "redis",
                        "rebuild",
                        "--from-savepoint",
                        savepoint,
                        "--config",
                        configFile(run, work.resolve("checkpoints")).toString());

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[2])
                .contains(
                        savepoint,
                        "is not a savepoint of this job",
                        "operator uid 'customer-profile'");
    }

    private void assertRebuilt(
            Map<String, Entry> before,
            Map<String, Entry> after,
            RedisKeys keys,
            EngineConfig config)
            throws Exception {
        Set<String> profiles = keysEnding(before, ":profile");
        Set<String> offers = keysEnding(before, ":offers");
        Set<String> similar = keysEnding(before, ":similar");
        Set<String> trending = new TreeSet<>();
        before.keySet().stream().filter(k -> k.contains(":trending")).forEach(trending::add);
        // the scenario has something of every kind
        assertThat(profiles).hasSizeGreaterThanOrEqualTo(CUSTOMERS);
        assertThat(offers).as("customers with active offers").hasSizeGreaterThan(CUSTOMERS / 2);
        assertThat(similar).hasSize(PRODUCTS);
        assertThat(trending).contains(keys.trending());

        // exactly the keys of these kinds: none missing, none invented
        assertThat(keysEnding(after, ":profile")).isEqualTo(profiles);
        assertThat(keysEnding(after, ":offers")).isEqualTo(offers);
        assertThat(keysEnding(after, ":similar")).isEqualTo(similar);
        Set<String> recommendations = keysEnding(before, ":recommendations");
        assertThat(recommendations).hasSizeGreaterThanOrEqualTo(CUSTOMERS);
        assertThat(keysEnding(after, ":recommendations")).isEqualTo(recommendations);
        assertThat(after.keySet().stream().filter(k -> k.contains(":trending")).toList())
                .containsExactlyInAnyOrderElementsOf(trending);
        assertThat(after).doesNotContainKey(keys.profile("never-seen"));
        assertThat(after.keySet())
                .as("only what the command rebuilds")
                .allMatch(
                        k ->
                                k.endsWith(":profile")
                                        || k.endsWith(":offers")
                                        || k.endsWith(":recommendations")
                                        || k.endsWith(":similar")
                                        || k.contains(":trending"));

        for (String key : profiles) {
            assertThat(after.get(key).type()).isEqualTo("hash");
            assertThat(after.get(key).value()).as(key).isEqualTo(before.get(key).value());
            assertThat(after.get(key).ttlMillis())
                    .as("TTL of %s", key)
                    .isPositive()
                    .isLessThanOrEqualTo(PROFILE_TTL.toMillis());
        }
        for (String key : offers) {
            assertThat(after.get(key).value()).as(key).isEqualTo(before.get(key).value());
            // never longer than the job's: from the document's time to its last offer's expiry
            assertThat(after.get(key).ttlMillis())
                    .as("TTL of %s", key)
                    .isPositive()
                    .isLessThanOrEqualTo(jobOffersTtl((String) before.get(key).value()));
        }
        assertRecommendations(recommendations, before, after, RecommendationSettings.from(config));
        for (String key : union(similar, trending)) {
            List<String[]> was = items((String) before.get(key).value());
            List<String[]> now = items((String) after.get(key).value());
            assertThat(now.stream().map(i -> i[0]).toList())
                    .as("items of %s", key)
                    .isNotEmpty()
                    .isEqualTo(was.stream().map(i -> i[0]).toList());
            for (int i = 0; i < was.size(); i++) {
                double expected = Double.parseDouble(was.get(i)[1]);
                assertThat(Double.parseDouble(now.get(i)[1]))
                        .as("score of %s in %s", was.get(i)[0], key)
                        .isCloseTo(expected, within(Math.max(1e-4, Math.abs(expected) * 1e-3)));
            }
            assertThat(after.get(key).ttlMillis())
                    .as("TTL of %s", key)
                    .isPositive()
                    .isLessThanOrEqualTo(LIST_TTL.toMillis());
        }
    }

    /**
     * Recommendations: ranked over the rebuilt lists, where the job ranked each customer over the
     * lists of their last event (sparser then: few customers had been seen), so not equal to what
     * the job wrote; the same kind of list: products of the catalogue, none of what the ranker
     * excludes (the most recently viewed), within the TTL.
     */
    private static void assertRecommendations(
            Set<String> keys,
            Map<String, Entry> before,
            Map<String, Entry> after,
            RecommendationSettings settings)
            throws Exception {
        for (String key : keys) {
            List<String> ids =
                    items((String) after.get(key).value()).stream().map(i -> i[0]).toList();
            String profileKey = key.replace(":recommendations", ":profile");
            @SuppressWarnings("unchecked")
            Map<String, String> profile = (Map<String, String>) after.get(profileKey).value();
            List<String> viewed =
                    profile.getOrDefault("recentlyViewed", "").isEmpty()
                            ? List.of()
                            : List.of(profile.get("recentlyViewed").split(","));
            List<String> excluded =
                    viewed.subList(0, Math.min(settings.excludeRecentlyViewed(), viewed.size()));
            assertThat(ids)
                    .as("items of %s", key)
                    .isNotEmpty()
                    .allMatch(id -> id.startsWith("product-"))
                    .noneMatch(excluded::contains);
            assertThat(after.get(key).ttlMillis())
                    .as("TTL of %s", key)
                    .isPositive()
                    .isLessThanOrEqualTo(LIST_TTL.toMillis());
        }
    }

    /** The TTL the job gives an active-offers document: its last expiry minus its time. */
    private static long jobOffersTtl(String json) throws Exception {
        JsonNode root = JSON.readTree(json);
        long lastExpiry = 0;
        for (JsonNode offer : root.path("offers")) {
            lastExpiry =
                    Math.max(
                            lastExpiry,
                            Instant.parse(offer.path("expiresAt").asText()).toEpochMilli());
        }
        return lastExpiry - Instant.parse(root.path("updatedAt").asText()).toEpochMilli();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static Set<String> keysEnding(Map<String, Entry> snapshot, String suffix) {
        Set<String> found = new TreeSet<>();
        snapshot.keySet().stream().filter(k -> k.endsWith(suffix)).forEach(found::add);
        return found;
    }

    /** (id, score) of each item of a serving list, in order. */
    private static List<String[]> items(String json) throws Exception {
        List<String[]> items = new ArrayList<>();
        for (JsonNode item : JSON.readTree(json).path("items")) {
            items.add(new String[] {item.path("id").asText(), item.path("score").asText()});
        }
        return items;
    }

    private static Map<String, Object> withoutTtl(Map<String, Entry> snapshot) {
        Map<String, Object> values = new TreeMap<>();
        snapshot.forEach((k, e) -> values.put(k, e.value()));
        return values;
    }

    /** Every key under the prefix. */
    private static Map<String, Entry> snapshot(RedisClient redis, String prefix) {
        Map<String, Entry> found = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(prefix + "*").count(1000);
        do {
            var page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                String type = redis.type(key);
                Object value =
                        switch (type) {
                            case "hash" -> new TreeMap<>(redis.hgetAll(key));
                            case "string" -> redis.get(key);
                            default -> type;
                        };
                found.put(key, new Entry(type, value, redis.pttl(key)));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return found;
    }

    private Path configFile(String run, Path checkpoints) throws Exception {
        Properties properties = new Properties();
        properties.putAll(TestJobs.engineSettings(SERVICES, run, checkpoints, overrides()));
        Path file = work.resolve("engine.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, "RedisRebuildITCase");
        }
        return file;
    }

    private static String customer(int c) {
        return "rebuild-" + c;
    }

    /** Three product views, then two orders of 150 two days apart, per customer. */
    private static void sendEvents(Producer<String, byte[]> producer, EngineConfig config) {
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = customer(c);
            for (int v = 0; v < 3; v++) {
                var view =
                        TestEvents.click(id, ClickType.PRODUCT_VIEW, T0.plusSeconds(10L * v))
                                .setProductId("product-" + ((c + v) % PRODUCTS))
                                .setCategoryId("category-" + ((c + v) % 3))
                                .build();
                producer.send(new ProducerRecord<>(clicks, id, AvroEventSerializer.encode(view)));
            }
            for (int n = 0; n < ORDERS; n++) {
                var order =
                        TestEvents.order(
                                        id,
                                        OrderStatus.PLACED,
                                        T0.plus(Duration.ofDays(2L * n)).plusSeconds(60),
                                        150)
                                .setOrderId(id + "-order-" + n)
                                .build();
                producer.send(new ProducerRecord<>(orders, id, AvroEventSerializer.encode(order)));
            }
        }
        producer.flush();
    }

    private static boolean allCounted(RedisClient redis, RedisKeys keys) {
        for (int c = 0; c < CUSTOMERS; c++) {
            Map<String, String> profile = redis.hgetAll(keys.profile(customer(c)));
            if (!Integer.toString(ORDERS).equals(profile.get("orders"))
                    || !"3".equals(profile.get("productViews"))) {
                return false;
            }
        }
        for (int p = 0; p < PRODUCTS; p++) {
            if (!redis.exists(keys.similarItems("product-" + p))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Orders that reach the job before the campaign do not trigger it: probe customers order until
     * one gets a coupon (a probe in the control group never does, hence a new probe each round).
     */
    private static void awaitCampaignLoaded(
            Producer<String, byte[]> producer,
            EngineConfig config,
            RedisClient redis,
            RedisKeys keys)
            throws Exception {
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int probe = 0; System.nanoTime() < deadline; probe++) {
            String customer = "probe-" + probe;
            for (int n = 0; n < 2; n++) {
                var order =
                        TestEvents.order(
                                        customer,
                                        OrderStatus.PLACED,
                                        T0.plus(Duration.ofDays(2L * n)),
                                        150)
                                .setOrderId(customer + "-order-" + n)
                                .build();
                producer.send(
                        new ProducerRecord<>(orders, customer, AvroEventSerializer.encode(order)));
            }
            producer.flush();
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
}
