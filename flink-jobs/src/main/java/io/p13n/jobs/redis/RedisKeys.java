package io.p13n.jobs.redis;

import java.io.Serializable;

/**
 * The Redis key layout, in one place (documented in the README).
 *
 * <pre>
 *   {prefix}:{c:CUSTOMER_ID}:profile          hash, the customer's profile             TTL redis.profile-ttl
 *   {prefix}:{c:CUSTOMER_ID}:recommendations  JSON, ranked "guess you like" list        TTL recommend.recommendations-ttl
 *   {prefix}:{c:CUSTOMER_ID}:offers           JSON, the customer's active offers        TTL until the last offer expires
 *   {prefix}:{c:CUSTOMER_ID}:segment-history  list of JSON, last 20 segment changes     TTL redis.profile-ttl
 *   {prefix}:{c:CUSTOMER_ID}:decisions        list of JSON, last 20 offer decisions     TTL redis.profile-ttl
 *   {prefix}:{i:PRODUCT_ID}:similar           JSON, items viewed/bought with a product  TTL recommend.similar-ttl
 *   {prefix}:{i:PRODUCT_ID}:rating            hash, a product's rating (avg, count, sum) TTL a year after its last review
 *   {prefix}:trending                         JSON, trending overall                    TTL recommend.trending-ttl
 *   {prefix}:trending:{CATEGORY_ID}           JSON, trending in one category            TTL recommend.trending-ttl
 *   {prefix}:campaign:{CAMPAIGN_ID}:stats        hash, a campaign's counts per arm         TTL offers.redis.stats-ttl
 *   {prefix}:campaign:{CAMPAIGN_ID}:stats-history hash, hourly snapshots (720 slots)      TTL offers.redis.stats-ttl
 *   {prefix}:global-control:stats                 hash, treated vs global control          TTL offers.redis.stats-ttl
 *   {prefix}:global-control:stats-history         hash, its hourly snapshots (720 slots)  TTL offers.redis.stats-ttl
 * </pre>
 *
 * JSON values are written with one {@code SET ... PX}: a reader sees the previous document or the
 * new one, never a half-written list.
 *
 * <p>The braces around {@code c:CUSTOMER_ID} are a Redis Cluster hash tag: every key of one
 * customer hashes to the same slot, so later features can read or update a customer's keys together
 * (MULTI, Lua) on a cluster.
 */
public final class RedisKeys implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String prefix;

    public RedisKeys(String prefix) {
        if (prefix == null
                || prefix.isEmpty()
                || prefix.contains("{")
                || prefix.contains("}")
                || prefix.contains(" ")) {
            throw new IllegalArgumentException(
                    "key prefix must be non-empty, without spaces or braces: '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    public String profile(String customerId) {
        return customerTag(customerId) + ":profile";
    }

    /** The customer's active offers (one JSON value). */
    public String activeOffers(String customerId) {
        return customerTag(customerId) + ":offers";
    }

    /** The customer's latest segment changes, newest first (a capped list of JSON entries). */
    public String segmentHistory(String customerId) {
        return customerTag(customerId) + ":segment-history";
    }

    /** The customer's latest offer decisions, newest first (a capped list of JSON entries). */
    public String recentDecisions(String customerId) {
        return customerTag(customerId) + ":decisions";
    }

    /** A campaign's stats hash; the campaign id is the hash tag. */
    public String campaignStats(String campaignId) {
        return prefix + ":campaign:{" + campaignId + "}:stats";
    }

    /** A campaign's hourly stats snapshots; the campaign id is the hash tag, as for its stats. */
    public String campaignStatsHistory(String campaignId) {
        return campaignStats(campaignId) + "-history";
    }

    /** The global control group's report: treated decisions of every campaign vs held out. */
    public String globalControlStats() {
        return prefix + ":global-control:stats";
    }

    /** The global report's hourly snapshots. */
    public String globalControlStatsHistory() {
        return globalControlStats() + "-history";
    }

    /** {@code prefix:{c:ID}} — the part every key of one customer shares. */
    public String customerTag(String customerId) {
        return prefix + ":{c:" + customerId + "}";
    }

    public String recommendations(String customerId) {
        return customerTag(customerId) + ":recommendations";
    }

    public String similarItems(String productId) {
        return prefix + ":{i:" + productId + "}:similar";
    }

    /** A product's rating: average, count and sum of its reviews' stars. */
    public String productRating(String productId) {
        return prefix + ":{i:" + productId + "}:rating";
    }

    /** Trending overall. */
    public String trending() {
        return prefix + ":trending";
    }

    /** Trending in one category. */
    public String trending(String categoryId) {
        return prefix + ":trending:{" + categoryId + "}";
    }

    /** Pattern matching every customer's recommendations key, for SCAN. */
    public String recommendationsPattern() {
        return prefix + ":{c:*}:recommendations";
    }

    /** Pattern matching every customer's active-offers key, for SCAN. */
    public String activeOffersPattern() {
        return prefix + ":{c:*}:offers";
    }

    /** Pattern matching every profile key, for SCAN. */
    public String profilePattern() {
        return prefix + ":{c:*}:profile";
    }
}
