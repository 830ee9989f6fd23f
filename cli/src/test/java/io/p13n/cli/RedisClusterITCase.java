package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalRedisCluster;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The engine on a Redis Cluster of three masters with a replica each (six redis-server processes),
 * one master killed with SIGKILL mid-stream: its replica takes over, and once the engine has caught
 * up every customer's order count in the cluster is right, every customer has exactly one coupon on
 * the offer-triggers topic (read committed) and an active offer, a profile and a recommendation
 * list in the cluster. Every key of one customer hashes to one slot, and the customers are spread
 * over all three masters' slots, so the failover hit customers whose writes were in flight. The job
 * may ride through the failover or restart from its checkpoints; either way nothing is lost. Which
 * of the failover's faces a run meets (a broken connection, CLUSTERDOWN, a stale slot map) depends
 * on timing; RedisPipelineClusterITCase pins each of them down.
 */
class RedisClusterITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int CUSTOMERS = 300;
    private static final int PRODUCTS = 20;

    /** The second half goes out in this many slices, one every {@link #SLICE_PAUSE}. */
    private static final int SLICES = 20;

    private static final Duration SLICE_PAUSE = Duration.ofMillis(250);

    /** The slice after which a master is killed: the rest goes out during the failover. */
    private static final int KILL_AFTER_SLICE = 3;

    /** The master killed: the one that holds the second third of the slots. */
    private static final int VICTIM = 1;

    private static final List<String> CUSTOMER_IDS =
            IntStream.range(0, CUSTOMERS).mapToObj(RedisClusterITCase::customer).toList();

    /** Kept when the test fails: the nodes' logs tell when the failover happened. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private final Instant start = Instant.now().minus(Duration.ofDays(5));
    private final Map<String, Integer> expected = new TreeMap<>();

    @Test
    void aMasterFailingOverMidStreamLosesNothingAndKeepsEachCustomerInOneSlot() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (LocalRedisCluster cluster = LocalRedisCluster.start(work.resolve("redis"))) {
            Path checkpoints = work.resolve("checkpoints");
            EngineConfig config =
                    TestJobs.engineConfig(
                            SERVICES,
                            run,
                            checkpoints,
                            Map.of(
                                    EngineOptions.REDIS_MODE.key(), "cluster",
                                    EngineOptions.REDIS_CLUSTER_NODES.key(), cluster.seedList(),
                                    EngineOptions.OFFERS_CONTROL_SHARE.key(), "0",
                                    EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100"));
            RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
            assertOneSlotPerCustomerSpreadOverEveryMaster(cluster, keys);

            try (Producer<String, byte[]> producer =
                    EventProducers.create(SERVICES.kafka().bootstrapServers(), "rc-" + run)) {
                TestJobs.publishCampaign(
                        producer,
                        config,
                        TestOffers.campaign("milestone-" + run, TriggerType.POINTS_MILESTONE)
                                .build());
                JobClient job = TestJobs.startEngine(config, "redis-cluster-" + run);
                try {
                    streamThroughAFailover(cluster, producer, config, keys);
                    assertCaughtUp(
                            cluster, config, keys, checkpoints.resolve(job.getJobID().toString()));
                } finally {
                    TestJobs.cancel(job);
                }
            }
        }
    }

    /**
     * First half: two product views and an order of 60 per customer, below the milestone, until it
     * is in the cluster. Second half, paced over ~5 s: another order (which passes the milestone:
     * the coupon), a view, and a third order. A master is killed after the first slices, while
     * writes to it are in flight; the rest, coupons included, meets the failover. Returns once the
     * replica has taken over.
     */
    private void streamThroughAFailover(
            LocalRedisCluster cluster,
            Producer<String, byte[]> producer,
            EngineConfig config,
            RedisKeys keys)
            throws Exception {
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        for (int c = 0; c < CUSTOMERS; c++) {
            view(producer, clicks, c, product(c), start);
            view(producer, clicks, c, product(c + 1), start.plusSeconds(10));
            order(producer, orders, c, start.plus(Duration.ofHours(1)));
        }
        producer.flush();
        try (RedisClusterClient redis = cluster.client()) {
            TestJobs.awaitTrue(
                    "the first half in the cluster",
                    TIMEOUT,
                    () -> TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS).equals(expected));
        }

        int perSlice = CUSTOMERS / SLICES;
        Instant later = start.plus(Duration.ofHours(2));
        for (int slice = 0; slice < SLICES; slice++) {
            for (int c = slice * perSlice; c < (slice + 1) * perSlice; c++) {
                order(producer, orders, c, later);
                view(producer, clicks, c, product(c + 2), later.plusSeconds(10));
                order(producer, orders, c, later.plus(Duration.ofHours(1)));
            }
            producer.flush();
            if (slice == KILL_AFTER_SLICE) {
                assertThat(keysOn(cluster, cluster.masterPort(VICTIM)))
                        .as("keys on the master about to be killed")
                        .isGreaterThan(CUSTOMERS / 10);
                cluster.killMaster(VICTIM);
            }
            Thread.sleep(SLICE_PAUSE.toMillis()); // pacing the stream, not waiting for anything
        }
        cluster.awaitFailover(VICTIM, TIMEOUT);
    }

    private void assertCaughtUp(
            LocalRedisCluster cluster, EngineConfig config, RedisKeys keys, Path jobCheckpoints)
            throws Exception {
        String bootstrap = SERVICES.kafka().bootstrapServers();
        String offerTriggers = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
        try (RedisClusterClient redis = cluster.client()) {
            waitUntil(() -> TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS).equals(expected));
            assertThat(TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS))
                    .as("orders per customer in the cluster after the failover")
                    .isEqualTo(expected);

            waitUntil(
                    () ->
                            TopicReader.offersPerCustomer(bootstrap, offerTriggers).size()
                                            == CUSTOMERS
                                    && missing(redis, keys::activeOffers).isEmpty());
            // Two more checkpoints: a coupon issued twice would be committed by then.
            long covering = TestJobs.latestCompletedCheckpoint(jobCheckpoints) + 2;
            TestJobs.awaitTrue(
                    "two more checkpoints",
                    TIMEOUT,
                    () -> TestJobs.latestCompletedCheckpoint(jobCheckpoints) >= covering);
            Map<String, Integer> coupons = TopicReader.offersPerCustomer(bootstrap, offerTriggers);
            assertThat(coupons.keySet())
                    .as("customers with a coupon on the offer-triggers topic")
                    .containsExactlyInAnyOrderElementsOf(CUSTOMER_IDS);
            assertThat(coupons.values()).as("coupons per customer").containsOnly(1);
            assertThat(missing(redis, keys::activeOffers))
                    .as("customers without an active offer in the cluster")
                    .isEmpty();
            assertThat(missing(redis, keys::profile)).as("customers without a profile").isEmpty();
            waitUntil(() -> missing(redis, keys::recommendations).isEmpty());
            assertThat(missing(redis, keys::recommendations))
                    .as("customers without a recommendation list")
                    .isEmpty();
            assertThat(
                            IntStream.range(0, PRODUCTS)
                                    .mapToObj(RedisClusterITCase::product)
                                    .filter(p -> !redis.exists(keys.similarItems(p)))
                                    .toList())
                    .as("products without similar items")
                    .isEmpty();
        }
        assertDataOnEveryMaster(cluster, keys);
    }

    /**
     * Every customer's profile, recommendations and offers keys share a slot (computed as the
     * client routes, and for a sample asked of the server), and each of the three masters holds
     * some customers: a key scheme that put everything in one slot, or customers in no slot
     * together with their keys, fails here.
     */
    private static void assertOneSlotPerCustomerSpreadOverEveryMaster(
            LocalRedisCluster cluster, RedisKeys keys) {
        Map<Integer, Integer> customersPerMaster = new TreeMap<>();
        List<String> split = new ArrayList<>();
        for (String customer : CUSTOMER_IDS) {
            Set<Integer> slots =
                    new TreeSet<>(
                            List.of(
                                    JedisClusterCRC16.getSlot(keys.profile(customer)),
                                    JedisClusterCRC16.getSlot(keys.recommendations(customer)),
                                    JedisClusterCRC16.getSlot(keys.activeOffers(customer))));
            if (slots.size() != 1) {
                split.add(customer + " " + slots);
            }
            customersPerMaster.merge(
                    LocalRedisCluster.formedMasterOf(slots.iterator().next()), 1, Integer::sum);
        }
        assertThat(split).as("customers whose keys are in different slots").isEmpty();
        assertThat(customersPerMaster.keySet())
                .as("masters holding customers (customers per master: %s)", customersPerMaster)
                .containsExactly(0, 1, 2);
        int port = cluster.masterPort(0);
        for (String customer : CUSTOMER_IDS.subList(0, 10)) {
            for (String key :
                    List.of(
                            keys.profile(customer),
                            keys.recommendations(customer),
                            keys.activeOffers(customer))) {
                assertThat(cluster.ask(port, j -> Long.toString(j.clusterKeySlot(key))))
                        .as("CLUSTER KEYSLOT %s", key)
                        .isEqualTo(Integer.toString(JedisClusterCRC16.getSlot(key)));
            }
        }
    }

    /**
     * The keys are on the three nodes that own the slots now (the promoted replica among them), and
     * a sample of customers has all three keys in their one slot there.
     */
    private static void assertDataOnEveryMaster(LocalRedisCluster cluster, RedisKeys keys) {
        for (String customer : CUSTOMER_IDS.subList(0, 12)) {
            int slot = JedisClusterCRC16.getSlot(keys.customerTag(customer));
            List<String> inSlot =
                    List.of(
                            cluster.ask(
                                            owner(cluster, LocalRedisCluster.formedMasterOf(slot)),
                                            j ->
                                                    String.join(
                                                            " ", j.clusterGetKeysInSlot(slot, 100)))
                                    .split(" "));
            assertThat(inSlot)
                    .as("keys in slot %d, %s's", slot, customer)
                    .contains(
                            keys.profile(customer),
                            keys.recommendations(customer),
                            keys.activeOffers(customer));
        }
        for (int m = 0; m < LocalRedisCluster.MASTERS; m++) {
            int port = owner(cluster, m);
            assertThat(keysOn(cluster, port))
                    .as(
                            "keys on the master of slots %d-%d (port %d)",
                            LocalRedisCluster.firstSlot(m), LocalRedisCluster.lastSlot(m), port)
                    .isGreaterThan(CUSTOMERS / 10);
        }
    }

    /** The node that serves master {@code m}'s slots now: its replica if it was killed. */
    private static int owner(LocalRedisCluster cluster, int m) {
        return m == VICTIM ? cluster.replicaPort(m) : cluster.masterPort(m);
    }

    private static long keysOn(LocalRedisCluster cluster, int port) {
        return Long.parseLong(cluster.ask(port, j -> Long.toString(j.dbSize())));
    }

    /** Customers whose key (from {@code key}) does not exist; all of them if the cluster fails. */
    private static TreeSet<String> missing(
            RedisClusterClient redis, java.util.function.Function<String, String> key) {
        try {
            return CUSTOMER_IDS.stream()
                    .filter(c -> !redis.exists(key.apply(c)))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            return new TreeSet<>(CUSTOMER_IDS);
        }
    }

    /** Polls until {@code condition} holds or {@link #TIMEOUT} passes; the caller asserts after. */
    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(200);
        }
    }

    private static String customer(int c) {
        return "cluster-" + c;
    }

    private static String product(int n) {
        return "P" + (n % PRODUCTS);
    }

    private void order(Producer<String, byte[]> producer, String topic, int c, Instant at) {
        var order = TestEvents.order(customer(c), OrderStatus.PLACED, at, 60).build();
        producer.send(new ProducerRecord<>(topic, customer(c), AvroEventSerializer.encode(order)));
        expected.merge(customer(c), 1, Integer::sum);
    }

    private static void view(
            Producer<String, byte[]> producer, String topic, int c, String product, Instant at) {
        var click =
                TestEvents.click(customer(c), ClickType.PRODUCT_VIEW, at)
                        .setProductId(product)
                        .setCategoryId("C" + (c % 3))
                        .build();
        producer.send(new ProducerRecord<>(topic, customer(c), AvroEventSerializer.encode(click)));
    }
}
