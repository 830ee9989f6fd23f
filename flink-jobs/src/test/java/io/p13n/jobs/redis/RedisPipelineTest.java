package io.p13n.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * Which error replies the pipeline retries: a Redis Cluster's answers during a failover are
 * transient; a coupon commit that took them for a rejection was dropped (RedisClusterITCase).
 */
class RedisPipelineTest {
    private static final HostAndPort NODE = new HostAndPort("127.0.0.1", 7001);

    @Test
    void shouldRetryWhatAClusterAnswersWhileSlotsChangeHands() {
        assertThat(
                        RedisPipeline.clusterChangingHands(
                                new JedisClusterException("CLUSTERDOWN The cluster is down")))
                .isTrue();
        assertThat(
                        RedisPipeline.clusterChangingHands(
                                new JedisMovedDataException("MOVED 3999 " + NODE, NODE, 3999)))
                .isTrue();
        assertThat(
                        RedisPipeline.clusterChangingHands(
                                new JedisAskDataException("ASK 3999 " + NODE, NODE, 3999)))
                .isTrue();
        assertThat(
                        RedisPipeline.clusterChangingHands(
                                new JedisDataException(
                                        "TRYAGAIN Multiple keys request during rehashing of slot")))
                .isTrue();
    }

    @Test
    void shouldNotRetryRejections() {
        assertThat(
                        RedisPipeline.clusterChangingHands(
                                new JedisDataException(
                                        "WRONGTYPE Operation against a key holding the wrong kind"
                                                + " of value")))
                .isFalse();
        assertThat(
                        RedisPipeline.clusterChangingHands(
                                new JedisDataException(
                                        "OOM command not allowed when used memory > 'maxmemory'")))
                .isFalse();
    }
}
