package io.p13n.jobs.redis;

import java.io.Serializable;

/**
 * The Redis key layout, in one place (documented in the README).
 *
 * <pre>
 *   {prefix}:{c:CUSTOMER_ID}:profile    hash, the customer's profile        TTL redis.profile-ttl
 *   {prefix}:{c:CUSTOMER_ID}:offers     string, active offers (JSON)        TTL latest expiry
 *   {prefix}:campaign:{ID}:stats        hash, campaign stats per arm        TTL offers.redis.stats-ttl
 * </pre>
 *
 * The braces around {@code c:CUSTOMER_ID} are a Redis Cluster hash tag: every key of one customer
 * hashes to the same slot, so later features can read or update a customer's keys together (MULTI,
 * Lua) on a cluster.
 */
public final class RedisKeys implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String prefix;

  public RedisKeys(String prefix) {
    if (prefix == null || prefix.isEmpty() || prefix.contains("{") || prefix.contains("}") || prefix.contains(" ")) {
      throw new IllegalArgumentException("key prefix must be non-empty, without spaces or braces: '" + prefix + "'");
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

  /** A campaign's stats hash; the campaign id is the hash tag. */
  public String campaignStats(String campaignId) {
    return prefix + ":campaign:{" + campaignId + "}:stats";
  }

  /** {@code prefix:{c:ID}} — the part every key of one customer shares. */
  public String customerTag(String customerId) {
    return prefix + ":{c:" + customerId + "}";
  }

  /** Pattern matching every profile key, for SCAN. */
  public String profilePattern() {
    return prefix + ":{c:*}:profile";
  }
}
