package io.p13n.jobs.offers;

import io.p13n.jobs.offers.stats.ArmResult;
import io.p13n.jobs.offers.stats.Comparison;
import io.p13n.jobs.offers.stats.ExperimentReport;
import io.p13n.jobs.offers.stats.ExperimentStatistics;
import io.p13n.jobs.offers.stats.Interval;
import io.p13n.jobs.profile.Decimals;
import io.p13n.jobs.redis.RedisHashMapper;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ArmStats;
import io.p13n.model.CampaignStats;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A campaign's stats as one hash ({@link RedisKeys#campaignStats}): per arm the totals {@code
 * ARM.sent}, {@code ARM.heldOut}, {@code ARM.redeemed}, {@code ARM.converted}, {@code ARM.revenue}
 * (two decimals), {@code ARM.revenueSquares} and {@code ARM.expectedShare} (what the statistics are
 * computed from, so a reader can recompute them: {@link io.p13n.jobs.offers.stats.StatsHash}), and
 * the statistics of {@link ExperimentStatistics}:
 *
 * <ul>
 *   <li>per arm {@code ARM.exposed}, {@code ARM.conversionRate}/{@code Lower}/{@code Upper}, {@code
 *       ARM.redemptionRate}/{@code Lower}/{@code Upper} (fractions, 4 decimals), {@code
 *       ARM.revenuePerCustomer}/{@code Lower}/{@code Upper} (2 decimals);
 *   <li>per variant against control {@code ARM.lift}/{@code Lower}/{@code Upper} (relative, 0.1 =
 *       +10 %), {@code ARM.revenueDifference}/{@code Lower}/{@code Upper}, {@code ARM.pValue} (the
 *       always-valid p-value), {@code ARM.decision} (BETTER, WORSE, NOT_ENOUGH_DATA), {@code
 *       ARM.morePerArm} and {@code ARM.verdict} (the decision as a sentence);
 *   <li>campaign-level {@code srmChiSquare}, {@code srmPValue}, {@code srmFlag} (sample-ratio
 *       mismatch), {@code confidence}, {@code suppressedForConsent} (moments stopped for lack of
 *       marketing consent, in neither arm) and {@code updatedAt} (ISO-8601 UTC event time).
 * </ul>
 *
 * An empty value is a number the data cannot give yet (no customers, no conversions). Arm "control"
 * holds the campaign's held-out customers, "global-control" those of the global control group.
 * Campaign-level fields have no dot, so they never read as an arm's. The statistics are computed
 * here, once per write: the sink keeps only a campaign's latest totals per flush and maps them
 * then, so however many offer events a campaign gets, this runs at most once per flush.
 *
 * <p>The global report ({@link GlobalControlDeltas#GLOBAL_ID}) goes to {@link
 * RedisKeys#globalControlStats} with the same fields; its arms are "treated" and "global-control",
 * the latter its baseline.
 */
public final class CampaignStatsRedisMapper implements RedisHashMapper<CampaignStats> {
    private static final long serialVersionUID = 1L;

    private final RedisKeys keys;
    private final long ttlMillis;
    private final ExperimentStatistics statistics;

    public CampaignStatsRedisMapper(RedisKeys keys, Duration ttl) {
        this(keys, ttl, new ExperimentStatistics());
    }

    public CampaignStatsRedisMapper(RedisKeys keys, Duration ttl, ExperimentStatistics statistics) {
        if (keys == null || ttl == null || ttl.isNegative() || ttl.isZero() || statistics == null) {
            throw new IllegalArgumentException("keys, statistics and a positive TTL are required");
        }
        this.keys = keys;
        this.ttlMillis = ttl.toMillis();
        this.statistics = statistics;
    }

    @Override
    public String keyOf(CampaignStats stats) {
        return GlobalControlDeltas.GLOBAL_ID.equals(stats.getCampaignId())
                ? keys.globalControlStats()
                : keys.campaignStats(stats.getCampaignId());
    }

    /** The arm every other is compared with: control, or global control in the global report. */
    public static String controlArmOf(String campaignId) {
        return GlobalControlDeltas.GLOBAL_ID.equals(campaignId)
                ? VariantAssignment.GLOBAL_CONTROL_ARM
                : VariantAssignment.CONTROL_ARM;
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
            f.put(a.getArm() + ".revenueSquares", Decimals.fixed(a.getRevenueSquares(), 4));
            f.put(a.getArm() + ".expectedShare", Double.toString(a.getExpectedShare()));
        }
        f.putAll(
                statisticsFields(statistics, stats.getArms(), controlArmOf(stats.getCampaignId())));
        f.put("suppressedForConsent", Long.toString(stats.getSuppressedForConsent()));
        f.put(
                "updatedAt",
                stats.getUpdatedAt() == 0
                        ? ""
                        : Instant.ofEpochMilli(stats.getUpdatedAt()).toString());
        return new RedisHashWrite(keyOf(stats), f, ttlMillis);
    }

    /**
     * The statistics fields of the hash, from the arms' totals: what this mapper writes, and what a
     * reader gets back by recomputing from the totals it read ({@link
     * io.p13n.jobs.offers.stats.StatsHash}).
     */
    public static Map<String, String> statisticsFields(
            ExperimentStatistics statistics, List<ArmStats> arms, String controlArm) {
        ExperimentReport report = statistics.report(arms, controlArm);
        Map<String, String> f = new LinkedHashMap<>();
        for (ArmResult a : report.arms()) {
            String p = a.arm() + ".";
            f.put(p + "exposed", Long.toString(a.exposed()));
            interval(f, p + "conversionRate", p + "conversion", a.conversionRate(), 4);
            interval(f, p + "redemptionRate", p + "redemption", a.redemptionRate(), 4);
            interval(
                    f,
                    p + "revenuePerCustomer",
                    p + "revenuePerCustomer",
                    a.revenuePerExposed(),
                    2);
        }
        for (Comparison c : report.comparisons()) {
            String p = c.arm() + ".";
            interval(f, p + "lift", p + "lift", c.lift(), 4);
            interval(f, p + "revenueDifference", p + "revenueDifference", c.revenueDifference(), 2);
            f.put(p + "pValue", pValue(c.alwaysValidPValue()));
            f.put(p + "decision", c.decision().name());
            f.put(p + "morePerArm", Long.toString(c.morePerArm()));
            f.put(p + "verdict", c.verdict());
        }
        var srm = report.sampleRatio();
        f.put("srmChiSquare", srm.checked() ? Decimals.fixed(srm.chiSquare(), 4) : "");
        f.put("srmPValue", srm.checked() ? pValue(srm.pValue()) : "");
        f.put("srmFlag", Boolean.toString(srm.flagged()));
        f.put("confidence", Double.toString(statistics.confidence()));
        return f;
    }

    private static void interval(
            Map<String, String> f, String estimate, String bounds, Interval i, int digits) {
        f.put(estimate, number(i.estimate(), digits));
        f.put(bounds + "Lower", number(i.lower(), digits));
        f.put(bounds + "Upper", number(i.upper(), digits));
    }

    private static String number(double value, int digits) {
        return Double.isNaN(value) ? "" : Decimals.fixed(value, digits);
    }

    /** Four decimals, or two significant digits in scientific notation below 0.001. */
    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "";
        }
        return p >= 0.001 ? Decimals.fixed(p, 4) : String.format(Locale.ROOT, "%.2e", p);
    }
}
