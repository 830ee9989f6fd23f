package io.p13n.jobs.offers;

import io.p13n.jobs.profile.Decimals;
import io.p13n.jobs.redis.RedisHashMapper;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ArmStats;
import io.p13n.model.CampaignStats;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A campaign's stats as one hash ({@link RedisKeys#campaignStats}): per arm {@code ARM.sent},
 * {@code ARM.heldOut}, {@code ARM.redeemed}, {@code ARM.converted}, {@code ARM.revenue} (two
 * decimals); campaign-level {@code suppressedForConsent} (moments stopped for lack of marketing
 * consent, in neither arm) and {@code updatedAt} (ISO-8601 UTC event time). Arm "control" holds the
 * held-out customers. Campaign-level fields have no dot, so they never read as an arm's.
 */
public final class CampaignStatsRedisMapper implements RedisHashMapper<CampaignStats> {
    private static final long serialVersionUID = 1L;

    private final RedisKeys keys;
    private final long ttlMillis;

    public CampaignStatsRedisMapper(RedisKeys keys, Duration ttl) {
        if (keys == null || ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("keys and a positive TTL are required");
        }
        this.keys = keys;
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public String keyOf(CampaignStats stats) {
        return keys.campaignStats(stats.getCampaignId());
    }

    @Override
    public RedisHashWrite toHashWrite(CampaignStats stats) {
        Map<String, String> f = new LinkedHashMap<>();
        for (ArmStats a : stats.getArms()) {
            f.put(a.getArm() + ".sent", Long.toString(a.getSent()));
            f.put(a.getArm() + ".heldOut", Long.toString(a.getHeldOut()));
            f.put(a.getArm() + ".redeemed", Long.toString(a.getRedeemed()));
            f.put(a.getArm() + ".converted", Long.toString(a.getConverted()));
            f.put(a.getArm() + ".revenue", Decimals.fixed(a.getRevenue(), 2));
        }
        f.put("suppressedForConsent", Long.toString(stats.getSuppressedForConsent()));
        f.put(
                "updatedAt",
                stats.getUpdatedAt() == 0
                        ? ""
                        : Instant.ofEpochMilli(stats.getUpdatedAt()).toString());
        return new RedisHashWrite(keyOf(stats), f, ttlMillis);
    }
}
