package io.p13n.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.jobs.offers.RecentDecisionsRedisMapper;
import io.p13n.jobs.privacy.Erasures;
import io.p13n.jobs.profile.SegmentHistoryRedisMapper;
import io.p13n.model.Erasure;
import io.p13n.model.OfferOutcome;
import io.p13n.model.RecentDecision;
import io.p13n.model.Segment;
import io.p13n.model.SegmentChange;
import io.p13n.model.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * The capped display lists (segment history, recent decisions) through the batching sink writer
 * against a real Redis: entries of one customer in one batch are all kept, newest first, capped at
 * the mapper's N, with the TTL; a tombstone after them in the same batch deletes the list.
 */
class RedisListPushITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.redisOnly();

    private static final Duration TTL = Duration.ofDays(30);

    private final RedisSinkWriterITCase.ManualTime time = new RedisSinkWriterITCase.ManualTime();
    private RedisClient redis;
    private RedisKeys keys;

    @BeforeEach
    void setUp() {
        redis = RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port());
        keys = new RedisKeys("t" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private <T> RedisSinkWriter<T> writer(RedisMapper<T> mapper) {
        RedisEndpoint endpoint =
                RedisEndpoint.standalone(SERVICES.redis().host(), SERVICES.redis().port());
        return new RedisSinkWriter<>(
                endpoint.connect(),
                mapper,
                1_000,
                200,
                time,
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    private static RecentDecision decision(String customer, int i, OfferOutcome outcome) {
        return RecentDecision.newBuilder()
                .setCustomerId(customer)
                .setDecisionId("d" + i)
                .setCampaignId("winback")
                .setOutcome(outcome)
                .setTrigger(TriggerType.WIN_BACK)
                .setReason("reason " + i)
                .setIssuedAt(1_000L * i)
                .build();
    }

    @Test
    void shouldKeepTheNewestDecisionsUpToTheCapWithTheProfileTtl() throws Exception {
        int n = RecentDecisionsRedisMapper.MAX_ENTRIES;
        try (var writer = writer(new RecentDecisionsRedisMapper(keys, TTL))) {
            // more than the cap, all in one batch: none may be coalesced away
            for (int i = 1; i <= n + 5; i++) {
                writer.write(
                        decision("ann", i, i % 2 == 0 ? OfferOutcome.HELD_OUT : OfferOutcome.SENT),
                        null);
            }
            writer.flush(false);
        }

        String key = keys.recentDecisions("ann");
        List<String> entries = redis.lrange(key, 0, -1);
        assertThat(entries).hasSize(n);
        assertThat(entries.get(0)).as("newest first").contains("\"reason\":\"reason 25\"");
        assertThat(entries.get(n - 1)).contains("\"reason\":\"reason 6\"");
        assertThat(entries).noneMatch(e -> e.contains("\"reason\":\"reason 5\""));
        assertThat(redis.pttl(key)).isBetween(TTL.toMillis() - 60_000, TTL.toMillis());
    }

    @Test
    void shouldDeleteTheListWhenAnErasureFollowsItsEntriesInOneBatch() throws Exception {
        try (var writer = writer(new RecentDecisionsRedisMapper(keys, TTL))) {
            writer.write(decision("ann", 1, OfferOutcome.SUPPRESSED), null);
            writer.write(decision("bob", 2, OfferOutcome.SUPPRESSED_CONSENT), null);
            writer.flush(false);
            writer.write(decision("ann", 3, OfferOutcome.OVER_BUDGET), null);
            writer.write(
                    RecentDecisionsRedisMapper.erased(new Erasure("ann", "req-1", 0L, 1)), null);
            writer.flush(false);
        }

        assertThat(redis.exists(keys.recentDecisions("ann"))).isFalse();
        assertThat(redis.lrange(keys.recentDecisions("bob"), 0, -1))
                .singleElement()
                .asString()
                .contains("\"outcome\":\"SUPPRESSED_CONSENT\"");
    }

    @Test
    void shouldKeepTheNewestSegmentChangesAndDeleteThemOnATombstone() throws Exception {
        int n = SegmentHistoryRedisMapper.MAX_ENTRIES;
        Segment[] cycle = {Segment.ACTIVE, Segment.AT_RISK};
        try (var writer = writer(new SegmentHistoryRedisMapper(keys, TTL))) {
            for (int i = 1; i <= n + 3; i++) {
                Segment from = cycle[i % 2];
                Segment to = cycle[(i + 1) % 2];
                for (String customer : List.of("cat", "dan")) {
                    writer.write(
                            new SegmentChange(
                                    customer + ":" + i + ":" + from + ">" + to,
                                    customer,
                                    from,
                                    to,
                                    Instant.ofEpochSecond(i),
                                    List.of("why " + i)),
                            null);
                }
            }
            writer.write(Erasures.segmentTombstone("dan"), null);
            writer.flush(false);
        }

        List<String> history = redis.lrange(keys.segmentHistory("cat"), 0, -1);
        assertThat(history).hasSize(n);
        assertThat(history.get(0))
                .contains("\"from\":\"AT_RISK\"", "\"to\":\"ACTIVE\"", "\"why 23\"");
        assertThat(redis.pttl(keys.segmentHistory("cat"))).isPositive();
        assertThat(redis.exists(keys.segmentHistory("dan"))).isFalse();
    }
}
