package io.p13n.cli;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.RunComparison;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.Channel;
import io.p13n.model.ClickType;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The identity merge end to end, with the real engine, a real Kafka broker (identities topic in,
 * the hand-off topic round the customer stage) and a real Redis: guests browse and fill carts, log
 * in, and keep using their anonymous id afterwards. The customers' Redis profiles must show the
 * merged carts and counts, the guests' keys must be gone, and a TaskManager killed while the merges
 * are under way must leave exactly what a failure-free run leaves.
 */
class IdentityMergeITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int PAIRS = 10;
    private static final Instant LOGIN = T0.plusSeconds(1_000);

    @TempDir Path checkpoints;

    private static String guest(int i) {
        return "guest-" + i;
    }

    private static String customer(int i) {
        return "cust-" + i;
    }

    private static List<String> everyone() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            ids.add(guest(i));
            ids.add(customer(i));
        }
        return ids;
    }

    @Test
    void shouldShowTheGuestsCartAndCountsOnTheCustomersProfileAndForgetTheGuest(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Scenario run = new Scenario("e2e", false);

        SortedMap<String, Map<String, String>> profiles = run.play(cluster);

        for (int i = 0; i < PAIRS; i++) {
            assertThat(profiles).as("the guest's profile hash").doesNotContainKey(guest(i));
            Map<String, String> merged = profiles.get(customer(i));
            assertThat(merged).as(customer(i)).isNotNull();
            assertThat(merged.get("productViews"))
                    .as("own 2 + the guest's 3 + 1 seen under the guest id after the login")
                    .isEqualTo("6");
            assertThat(merged.get("cartAdds")).isEqualTo("3");
            assertThat(merged.get("cartProducts").split(","))
                    .containsExactlyInAnyOrder("p-own", "p-shared", "p-guest");
            assertThat(merged.get("orders")).isEqualTo("1");
            assertThat(merged.get("recentlyViewed")).startsWith("p-later,p-guest-3");
        }
        assertThat(run.redisKeysOfGuests()).as("no key of a guest is left in Redis").isEmpty();
    }

    @Test
    void shouldMergeExactlyOnceWhenATaskManagerDiesMidMerge(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        SortedMap<String, Map<String, String>> reference =
                new Scenario("clean", false).play(cluster);
        Scenario failing = new Scenario("failing", true);

        SortedMap<String, Map<String, String>> recovered = failing.play(cluster);

        assertThat(reference).as("the failure-free run merged").hasSize(PAIRS);
        assertThat(RunComparison.profileDifferences(reference, recovered))
                .as("profiles differing from the failure-free run, field by field")
                .isEmpty();
        assertThat(failing.restores).as("restores from a checkpoint").isEqualTo(1);
        assertThat(failing.redisKeysOfGuests()).isEmpty();
    }

    /** One run of the engine over its own topics and key prefix. */
    private final class Scenario {
        private final String run;
        private final boolean killMidMerge;
        private final EngineConfig config;
        private final RedisKeys keys;
        private long restores;

        Scenario(String name, boolean killMidMerge) throws Exception {
            this.run = name + UUID.randomUUID().toString().substring(0, 6);
            this.killMidMerge = killMidMerge;
            this.config =
                    TestJobs.engineConfig(
                            SERVICES,
                            run,
                            checkpoints.resolve(run),
                            Map.of(
                                    EngineOptions.CHECKPOINT_INTERVAL.key(), "500ms",
                                    EngineOptions.KAFKA_TOPIC_IDENTITIES.key(), "identities-" + run,
                                    EngineOptions.KAFKA_TOPIC_IDENTITY_HAND_OFFS.key(),
                                            "hand-offs-" + run));
            SERVICES.kafka().createTopics(2, "identities-" + run);
            this.keys = new RedisKeys("it" + run);
        }

        /** Browsing, logins, browsing under the old ids; returns every id's profile hash. */
        SortedMap<String, Map<String, String>> play(MiniCluster cluster) throws Exception {
            JobClient job = TestJobs.startEngine(config, "identity-" + run);
            Path jobCheckpoints = checkpoints.resolve(run).resolve(job.getJobID().toString());
            try (Producer<String, byte[]> producer =
                            EventProducers.create(SERVICES.kafka().bootstrapServers(), run);
                    RedisClient redis =
                            RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
                // Orders first, then the clicks: which of two topics is read first decides e.g.
                // segmentSince, in any run; the test compares runs, not topic interleavings.
                orderOnce(producer);
                await(
                        "every customer's order in Redis",
                        () ->
                                TestJobs.ordersInRedis(redis, keys, customers())
                                        .equals(onePerCustomer()));
                browse(producer);
                await("every guest and customer in Redis", () -> viewsAre(redis, 3, 2));
                // A checkpoint that holds all of it: a restore replays the logins, not the
                // browsing (whose clicks and orders, from two topics, could then interleave
                // otherwise than in the other run, which moves e.g. segmentSince).
                long browsed = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
                await(
                        "a checkpoint after the browsing",
                        () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) > browsed + 1);

                for (int i = 0; i < PAIRS; i++) {
                    send(producer, identities(), guest(i), login(i, "login"));
                }
                // refused: a placeholder id, and a source not trusted to merge
                send(producer, identities(), "0", identify("junk", "0", customer(0), "login"));
                send(
                        producer,
                        identities(),
                        guest(1),
                        identify("mail", guest(1), customer(2), "newsletter-link"));
                producer.flush();
                if (killMidMerge) {
                    // A guest's profile is gone once its identification is applied; the hand-offs
                    // leave with the next checkpoint: the TaskManager dies in between.
                    await("an identification applied", () -> guestsLeft(redis) < PAIRS);
                    TestJobs.replaceTaskManager(cluster);
                }
                await("every guest merged", () -> guestsLeft(redis) == 0 && viewsAre(redis, -1, 5));

                for (int i = 0; i < PAIRS; i++) {
                    send(producer, clicks(), guest(i), view(guest(i), "p-later", 2_000));
                }
                producer.flush();
                await("the guests' later views counted", () -> viewsAre(redis, -1, 6));
                SortedMap<String, Map<String, String>> settled = settle(redis, jobCheckpoints);
                restores =
                        cluster.getExecutionGraph(job.getJobID())
                                .get()
                                .getCheckpointStatsSnapshot()
                                .getCounts()
                                .getNumberOfRestoredCheckpoints();
                return settled;
            } finally {
                TestJobs.cancel(job);
            }
        }

        /** Reads until two reads a completed checkpoint apart agree (nothing left in flight). */
        private SortedMap<String, Map<String, String>> settle(
                RedisClient redis, Path jobCheckpoints) throws Exception {
            SortedMap<String, Map<String, String>> previous =
                    RunComparison.profiles(redis, keys, everyone());
            while (true) {
                long seen = TestJobs.latestCompletedCheckpoint(jobCheckpoints);
                await(
                        "the next checkpoint",
                        () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) > seen + 1);
                SortedMap<String, Map<String, String>> next =
                        RunComparison.profiles(redis, keys, everyone());
                if (next.equals(previous)) {
                    return next;
                }
                previous = next;
            }
        }

        List<String> redisKeysOfGuests() {
            try (RedisClient redis =
                    RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
                List<String> left = new ArrayList<>();
                for (int i = 0; i < PAIRS; i++) {
                    for (String key :
                            List.of(
                                    keys.profile(guest(i)),
                                    keys.recommendations(guest(i)),
                                    keys.activeOffers(guest(i)),
                                    keys.segmentHistory(guest(i)),
                                    keys.recentDecisions(guest(i)))) {
                        if (redis.exists(key)) {
                            left.add(key);
                        }
                    }
                }
                return left;
            }
        }

        private void orderOnce(Producer<String, byte[]> producer) {
            for (int i = 0; i < PAIRS; i++) {
                String c = customer(i);
                send(
                        producer,
                        orders(),
                        c,
                        TestEvents.order(c, OrderStatus.PLACED, T0, 50)
                                .setOrderId("o-" + run + "-" + i)
                                .build());
            }
            producer.flush();
        }

        private List<String> customers() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                ids.add(customer(i));
            }
            return ids;
        }

        private Map<String, Integer> onePerCustomer() {
            Map<String, Integer> expected = new java.util.TreeMap<>();
            for (String c : customers()) {
                expected.put(c, 1);
            }
            return expected;
        }

        private void browse(Producer<String, byte[]> producer) {
            for (int i = 0; i < PAIRS; i++) {
                String c = customer(i);
                String g = guest(i);
                send(producer, clicks(), c, view(c, "p-own", 10));
                send(producer, clicks(), c, cartAdd(c, "p-own", 1, 20));
                send(producer, clicks(), c, view(c, "p-shared", 30));
                send(producer, clicks(), g, view(g, "p-guest-1", 100));
                send(producer, clicks(), g, view(g, "p-guest-2", 110));
                send(producer, clicks(), g, view(g, "p-guest-3", 120));
                send(producer, clicks(), g, cartAdd(g, "p-shared", 1, 130));
                send(producer, clicks(), g, cartAdd(g, "p-guest", 2, 140));
            }
            producer.flush();
        }

        private boolean viewsAre(RedisClient redis, int guestViews, int customerViews) {
            for (int i = 0; i < PAIRS; i++) {
                if (guestViews >= 0
                        && !Integer.toString(guestViews)
                                .equals(redis.hget(keys.profile(guest(i)), "productViews"))) {
                    return false;
                }
                if (!Integer.toString(customerViews)
                        .equals(redis.hget(keys.profile(customer(i)), "productViews"))) {
                    return false;
                }
            }
            return true;
        }

        private int guestsLeft(RedisClient redis) {
            int left = 0;
            for (int i = 0; i < PAIRS; i++) {
                if (redis.exists(keys.profile(guest(i)))) {
                    left++;
                }
            }
            return left;
        }

        private String clicks() {
            return config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        }

        private String orders() {
            return config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        }

        private String identities() {
            return config.get(EngineOptions.KAFKA_TOPIC_IDENTITIES);
        }

        private IdentifyEvent login(int i, String source) {
            return identify("login-" + run + "-" + i, guest(i), customer(i), source);
        }
    }

    private static IdentifyEvent identify(
            String id, String anonymous, String known, String source) {
        return IdentifyEvent.newBuilder()
                .setEventId(id)
                .setAnonymousId(anonymous)
                .setCustomerId(known)
                .setSource(source)
                .setChannel(Channel.WEB)
                .setEventTime(LOGIN)
                .build();
    }

    private static io.p13n.model.ClickEvent view(String id, String product, int second) {
        return TestEvents.click(id, ClickType.PRODUCT_VIEW, T0.plusSeconds(second))
                .setProductId(product)
                .setCategoryId("shoes")
                .setSessionId("s-" + id)
                .build();
    }

    private static io.p13n.model.ClickEvent cartAdd(
            String id, String product, int quantity, int second) {
        return TestEvents.click(id, ClickType.ADD_TO_CART, T0.plusSeconds(second))
                .setProductId(product)
                .setCategoryId("shoes")
                .setQuantity(quantity)
                .setPrice(12.5)
                .setSessionId("s-" + id)
                .build();
    }

    private static void send(
            Producer<String, byte[]> producer, String topic, String key, SpecificRecordBase event) {
        producer.send(new ProducerRecord<>(topic, key, AvroEventSerializer.encode(event)));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        TestJobs.awaitTrue(what, TIMEOUT, condition);
    }
}
