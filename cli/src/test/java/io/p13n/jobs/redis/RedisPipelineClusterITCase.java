package io.p13n.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.cli.testing.LocalRedisCluster;
import io.p13n.cli.testing.TestJobs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The Redis writes of the sinks and of the coupon committer on a Redis Cluster whose master dies: a
 * client that knew the dead master reaches its promoted replica on a retry (pipelines never refresh
 * the client's slot map), and a commit while the cluster answers CLUSTERDOWN is postponed, not
 * dropped; the ranking's reads reach the replica the same way. RedisClusterITCase shows the same
 * end to end, where the timing decides which of these a run meets.
 */
class RedisPipelineClusterITCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir Path work;

    @Test
    void aClientThatKnewTheDeadMasterWritesToItsPromotedReplica() throws Exception {
        try (LocalRedisCluster cluster = LocalRedisCluster.start(work);
                UnifiedJedis client = endpoint(cluster).connect()) {
            List<String> keys = oneKeyPerMaster("failover");
            AtomicInteger retries = new AtomicInteger();
            RedisPipeline.send(client, writes(keys, "before"), retries::incrementAndGet);
            assertThat(retries).as("retries before the failover").hasValue(0);

            cluster.killMaster(0);
            cluster.awaitFailover(0, TIMEOUT);
            RedisPipeline.send(client, writes(keys, "after"), retries::incrementAndGet);

            assertThat(retries.get()).as("retries after the failover").isBetween(1, 3);
            try (RedisClusterClient reader = cluster.client()) {
                for (String key : keys) {
                    assertThat(reader.get(key)).as(key).isEqualTo("after");
                }
            }
        }
    }

    @Test
    void aReadThroughAClientThatKnewTheDeadMasterReachesItsPromotedReplica() throws Exception {
        try (LocalRedisCluster cluster = LocalRedisCluster.start(work);
                UnifiedJedis client = endpoint(cluster).connect()) {
            List<String> keys = oneKeyPerMaster("read");
            RedisPipeline.send(client, writes(keys, "list"), () -> {});
            List<String> missing = List.of("read:{c:none}:similar");
            assertThat(RedisPipeline.getAll(client, keys)).containsOnly("list");

            cluster.killMaster(0);
            cluster.awaitFailover(0, TIMEOUT);
            List<String> all = new ArrayList<>(keys);
            all.addAll(missing);
            // The ranking's read: before, the first one after a failover failed its task.
            List<String> values = RedisPipeline.getAll(client, all);

            assertThat(values.subList(0, keys.size())).containsOnly("list");
            assertThat(values.get(keys.size())).as("an absent key").isNull();
        }
    }

    @Test
    void aCommitWhileTheClusterIsDownIsPostponedNotDropped() throws Exception {
        try (LocalRedisCluster cluster = LocalRedisCluster.start(work);
                UnifiedJedis client = endpoint(cluster).connect()) {
            // Master 0 and its replica gone: the others answer CLUSTERDOWN for every slot once
            // they have marked it failed, as during a failover until the replica is promoted.
            cluster.killMaster(0);
            cluster.killReplica(0);
            TestJobs.awaitTrue(
                    "cluster_state:fail",
                    TIMEOUT,
                    () -> !cluster.clusterStateOk(cluster.masterPort(1)));
            String key = oneKeyPerMaster("down").get(1);
            RecordingRequest request =
                    new RecordingRequest(new RedisWriteBatch(writes(List.of(key), "coupon")));

            new CheckpointCommittedRedisSink.RedisCommitter(
                            client, new SimpleCounter(), new SimpleCounter())
                    .commit(List.of(request));

            assertThat(request.signals).containsExactly("retryLater");
            assertThatThrownBy(
                            () -> RedisPipeline.send(client, writes(List.of(key), "x"), () -> {}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("after " + RedisPipeline.MAX_ATTEMPTS + " attempts")
                    .cause()
                    .isInstanceOf(JedisConnectionException.class)
                    .hasMessageContaining("CLUSTERDOWN");
        }
    }

    private static RedisEndpoint endpoint(LocalRedisCluster cluster) {
        return RedisEndpoint.cluster(Arrays.asList(cluster.seedList().split(",")));
    }

    /** A key in each master's slots, in master order, each with its own hash tag. */
    private static List<String> oneKeyPerMaster(String prefix) {
        List<String> keys = new ArrayList<>();
        for (int n = 0; keys.size() < LocalRedisCluster.MASTERS; n++) {
            String key = prefix + ":{c:" + n + "}:offers";
            if (LocalRedisCluster.formedMasterOf(JedisClusterCRC16.getSlot(key)) == keys.size()) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static List<RedisWrite> writes(List<String> keys, String value) {
        return keys.stream().<RedisWrite>map(k -> new RedisValueWrite(k, value, 60_000)).toList();
    }

    /** A commit request that records what the committer told Flink to do with it. */
    private static final class RecordingRequest implements CommitRequest<RedisWriteBatch> {
        private final RedisWriteBatch batch;
        final List<String> signals = new ArrayList<>();

        RecordingRequest(RedisWriteBatch batch) {
            this.batch = batch;
        }

        @Override
        public RedisWriteBatch getCommittable() {
            return batch;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            signals.add("failedWithKnownReason: " + t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            signals.add("failedWithUnknownReason: " + t);
        }

        @Override
        public void retryLater() {
            signals.add("retryLater");
        }

        @Override
        public void updateAndRetryLater(RedisWriteBatch committable) {
            signals.add("updateAndRetryLater");
        }

        @Override
        public void signalAlreadyCommitted() {
            signals.add("alreadyCommitted");
        }
    }
}
