package io.p13n.jobs.offers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p13n.jobs.redis.RedisHashMapper;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ArmStats;
import io.p13n.model.CampaignStats;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A campaign's stats over time, for charts: one snapshot of its totals per event-time bucket (an
 * hour by default), in the hash {@link RedisKeys#campaignStatsHistory} (the global report's in
 * {@link RedisKeys#globalControlStatsHistory}).
 *
 * <p>The hash is a ring of {@value #SLOTS} slots: bucket number b (buckets since the epoch) is
 * field {@code b mod SLOTS}, whose value is a JSON document {@code {"at": bucket start,
 * "updatedAt", "suppressedForConsent", "arms": {ARM: {"sent", "heldOut", "redeemed", "converted",
 * "revenue", "revenueSquares", "expectedShare"}}}} with the campaign's running totals as of its
 * last update in that bucket. So the hash never holds more than {@value #SLOTS} fields, with no
 * deletes and no read before the write (a plain idempotent HSET, replayable like every sink write);
 * a slot not written for {@value #SLOTS} buckets holds an older bucket, which a reader recognises
 * by its {@code at} and drops (keep the ones within {@value #SLOTS} buckets of the newest). 720
 * hourly buckets are 30 days: a campaign's useful life, and at most ~1 KB per snapshot of three
 * arms, under a megabyte per campaign. A bucket without updates has no snapshot: the totals did not
 * change.
 *
 * <p>The sink keeps a campaign's latest totals per flush; when an hour ends within a flush, the
 * ending hour keeps the snapshot of the previous flush (its totals seconds before the end).
 */
public final class CampaignStatsHistoryRedisMapper implements RedisHashMapper<CampaignStats> {
    private static final long serialVersionUID = 1L;

    /** Buckets kept: 30 days of hours. */
    public static final int SLOTS = 720;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisKeys keys;
    private final long ttlMillis;
    private final long bucketMillis;

    public CampaignStatsHistoryRedisMapper(RedisKeys keys, Duration ttl) {
        this(keys, ttl, Duration.ofHours(1));
    }

    public CampaignStatsHistoryRedisMapper(RedisKeys keys, Duration ttl, Duration bucket) {
        if (keys == null || ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("keys and a positive TTL are required");
        }
        if (bucket == null || bucket.toMillis() <= 0) {
            throw new IllegalArgumentException("the bucket must be positive, was " + bucket);
        }
        this.keys = keys;
        this.ttlMillis = ttl.toMillis();
        this.bucketMillis = bucket.toMillis();
    }

    @Override
    public String keyOf(CampaignStats stats) {
        return GlobalControlDeltas.GLOBAL_ID.equals(stats.getCampaignId())
                ? keys.globalControlStatsHistory()
                : keys.campaignStatsHistory(stats.getCampaignId());
    }

    @Override
    public RedisHashWrite toHashWrite(CampaignStats stats) {
        long bucket = Math.floorDiv(stats.getUpdatedAt(), bucketMillis);
        return new RedisHashWrite(
                keyOf(stats),
                Map.of(Long.toString(Math.floorMod(bucket, SLOTS)), snapshot(stats, bucket)),
                ttlMillis);
    }

    private String snapshot(CampaignStats stats, long bucket) {
        ObjectNode root = JSON.createObjectNode();
        root.put("at", Instant.ofEpochMilli(bucket * bucketMillis).toString());
        root.put("updatedAt", Instant.ofEpochMilli(stats.getUpdatedAt()).toString());
        root.put("suppressedForConsent", stats.getSuppressedForConsent());
        ObjectNode arms = root.putObject("arms");
        for (ArmStats a : stats.getArms()) {
            ObjectNode arm = arms.putObject(a.getArm());
            arm.put("sent", a.getSent());
            arm.put("heldOut", a.getHeldOut());
            arm.put("redeemed", a.getRedeemed());
            arm.put("converted", a.getConverted());
            arm.put("revenue", a.getRevenue());
            arm.put("revenueSquares", a.getRevenueSquares());
            arm.put("expectedShare", a.getExpectedShare());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
