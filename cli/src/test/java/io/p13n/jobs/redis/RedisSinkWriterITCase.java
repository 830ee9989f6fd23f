package io.p13n.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.cli.testing.LocalServices;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** The Redis sink writer against a real Redis server: batching, coalescing, TTLs, errors. */
class RedisSinkWriterITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.redisOnly();

    private static final long TTL = 60_000;

    private final ManualTime time = new ManualTime();
    private RedisClient redis;
    private String prefix;

    /** A processing-time service whose timers fire only when the test says so. */
    static final class ManualTime implements ProcessingTimeService {
        long now = 1_000;
        final List<ProcessingTimeCallback> timers = new ArrayList<>();

        @Override
        public long getCurrentProcessingTime() {
            return now;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback callback) {
            timers.add(callback);
            return null;
        }

        void fireAll() throws Exception {
            List<ProcessingTimeCallback> due = new ArrayList<>(timers);
            timers.clear();
            for (ProcessingTimeCallback callback : due) {
                callback.onProcessingTime(now);
            }
        }
    }

    @BeforeEach
    void setUp() {
        redis = RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port());
        prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private RedisSinkWriter<RedisHashWrite> writer(int maxBatch) {
        RedisEndpoint endpoint =
                RedisEndpoint.standalone(SERVICES.redis().host(), SERVICES.redis().port());
        return new RedisSinkWriter<>(
                endpoint.connect(),
                w -> w,
                maxBatch,
                200,
                time,
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    private RedisHashWrite write(String key, Map<String, String> fields) {
        return new RedisHashWrite(prefix + ":" + key, fields, TTL);
    }

    @Test
    void shouldHoldWritesUntilACheckpointFlushesThem() throws Exception {
        try (var writer = writer(100)) {
            writer.write(write("a", Map.of("n", "1")), null);

            assertThat(redis.exists(prefix + ":a")).as("buffered, not yet written").isFalse();

            writer.flush(false); // what Flink calls before it forwards a checkpoint barrier
            assertThat(redis.hgetAll(prefix + ":a")).containsEntry("n", "1");
        }
    }

    @Test
    void shouldFlushWhenTheBatchIsFull() throws Exception {
        try (var writer = writer(2)) {
            writer.write(write("a", Map.of("n", "1")), null);
            writer.write(write("b", Map.of("n", "2")), null);

            assertThat(redis.exists(prefix + ":a")).isTrue();
            assertThat(redis.exists(prefix + ":b")).isTrue();
        }
    }

    @Test
    void shouldFlushWhenTheBatchTimerFires() throws Exception {
        try (var writer = writer(100)) {
            writer.write(write("a", Map.of("n", "1")), null);
            assertThat(time.timers).hasSize(1);

            time.fireAll();

            assertThat(redis.exists(prefix + ":a")).isTrue();
        }
    }

    @Test
    void shouldWriteOnlyTheLatestElementPerKeyAndSetTheTtl() throws Exception {
        try (var writer = writer(100)) {
            writer.write(write("a", Map.of("views", "1", "orders", "0")), null);
            writer.write(write("a", Map.of("views", "2", "orders", "1")), null);
            writer.flush(false);

            assertThat(redis.hgetAll(prefix + ":a")).isEqualTo(Map.of("views", "2", "orders", "1"));
            long ttl = redis.pttl(prefix + ":a");
            assertThat(ttl).isBetween(1L, TTL);
        }
    }

    @Test
    void aHashRewrittenSoonAfterItsTtlWasSetIsWrittenWithoutAnotherPexpire() throws Exception {
        String key = prefix + ":a";
        try (var writer = writer(100)) {
            writer.write(write("a", Map.of("views", "1")), null);
            writer.flush(false);
            redis.pexpire(key, 5_000); // a marker: a PEXPIRE of the rewrite would raise it again

            time.now += WrittenHashes.refreshIntervalMillis(TTL) - 1;
            writer.write(write("a", Map.of("views", "2")), null);
            writer.flush(false);
            assertThat(redis.hget(key, "views")).isEqualTo("2");
            assertThat(redis.pttl(key)).as("TTL not set again").isBetween(1L, 5_000L);

            time.now += 1; // the interval is over: this write sets the TTL again
            writer.write(write("a", Map.of("views", "3")), null);
            writer.flush(false);
            assertThat(redis.pttl(key)).isBetween(5_001L, TTL);
        }
    }

    @Test
    void aHashThatVanishedFromRedisGetsItsTtlBackOnItsNextWrite() throws Exception {
        String key = prefix + ":a";
        try (var writer = writer(100)) {
            writer.write(write("a", Map.of("views", "1")), null);
            writer.flush(false);
            redis.del(key); // Redis emptied or the key evicted, within the refresh interval

            time.now += 1;
            writer.write(write("a", Map.of("views", "2")), null);
            writer.flush(false);
            assertThat(redis.hget(key, "views")).isEqualTo("2");
            assertThat(redis.pttl(key)).as("the recreated key expires").isBetween(1L, TTL);

            // A field the key did not have yet: the key may be new as well, so the TTL is set.
            redis.persist(key);
            time.now += 1;
            writer.write(write("a", Map.of("views", "3", "orders", "1")), null);
            writer.flush(false);
            assertThat(redis.pttl(key)).isBetween(1L, TTL);
        }
    }

    @Test
    void aHashRewrittenWithinTheRefreshIntervalSendsOnlyTheFieldsThatChanged() throws Exception {
        String key = prefix + ":a";
        Map<String, String> first = ordered("views", "1", "orders", "0", "segment", "NEW");
        try (var writer = writer(100)) {
            writer.write(write("a", first), null);
            writer.flush(false);
            // Markers: a field the next write sends is overwritten, one it skips keeps the marker.
            redis.hset(key, Map.of("orders", "marker", "segment", "marker"));

            time.now += 1;
            writer.write(
                    write("a", ordered("views", "2", "orders", "0", "segment", "ACTIVE")), null);
            writer.flush(false);
            assertThat(redis.hgetAll(key))
                    .as("views and segment changed, orders did not")
                    .isEqualTo(Map.of("views", "2", "orders", "marker", "segment", "ACTIVE"));

            long hsets = hsetCalls();
            time.now += 1;
            writer.write(
                    write("a", ordered("views", "2", "orders", "0", "segment", "ACTIVE")), null);
            writer.flush(false);
            assertThat(hsetCalls()).as("nothing changed: nothing sent").isEqualTo(hsets);

            // Once the TTL is due again the hash is written whole, repairing whatever drifted.
            time.now += WrittenHashes.refreshIntervalMillis(TTL);
            writer.write(
                    write("a", ordered("views", "2", "orders", "0", "segment", "ACTIVE")), null);
            writer.flush(false);
            assertThat(redis.hgetAll(key))
                    .isEqualTo(Map.of("views", "2", "orders", "0", "segment", "ACTIVE"));
        }
    }

    @Test
    void aHashThatVanishedIsWrittenWholeEvenWhenOneFieldChanged() throws Exception {
        String key = prefix + ":a";
        try (var writer = writer(100)) {
            writer.write(write("a", ordered("views", "1", "orders", "0", "segment", "NEW")), null);
            writer.flush(false);
            redis.del(key); // Redis emptied, or the key evicted, within the refresh interval

            time.now += 1;
            writer.write(write("a", ordered("views", "2", "orders", "0", "segment", "NEW")), null);
            writer.flush(false);
            assertThat(redis.hgetAll(key))
                    .as("not just the changed field: a storefront would read a partial profile")
                    .isEqualTo(Map.of("views", "2", "orders", "0", "segment", "NEW"));
            assertThat(redis.pttl(key)).isBetween(1L, TTL);
        }
    }

    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** HSETs the server has executed so far (INFO commandstats). */
    private long hsetCalls() {
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_hset:")) {
                String calls = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void shouldFailLoudlyWhenRedisRejectsAWrite() throws Exception {
        redis.set(prefix + ":taken", "a plain string");
        try (var writer = writer(100)) {
            writer.write(write("taken", Map.of("n", "1")), null);

            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("WRONGTYPE");
        }
    }

    @Test
    void shouldFailAfterRetriesWhenRedisIsUnreachable() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RedisEndpoint nowhere =
                RedisEndpoint.standalone("127.0.0.1", closedPort).withTimeoutMillis(200);
        try (var writer =
                new RedisSinkWriter<RedisHashWrite>(
                        nowhere.connect(),
                        w -> w,
                        100,
                        200,
                        time,
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup())) {
            writer.write(write("a", Map.of("n", "1")), null);

            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("after " + RedisPipeline.MAX_ATTEMPTS + " attempts");
        }
    }
}
