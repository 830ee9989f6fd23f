package io.p13n.jobs.profile;

import io.p13n.jobs.redis.RedisHashMapper;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A profile as the storefront reads it: one hash per customer ({@link RedisKeys#profile}), every
 * field a plain string, times as ISO-8601 UTC (empty when never), money with two decimals.
 */
public final class ProfileRedisMapper implements RedisHashMapper<CustomerProfile> {
  private static final long serialVersionUID = 1L;

  private final RedisKeys keys;
  private final long ttlMillis;

  public ProfileRedisMapper(RedisKeys keys, Duration ttl) {
    this.keys = keys;
    this.ttlMillis = ttl.toMillis();
  }

  @Override
  public RedisHashWrite toHashWrite(CustomerProfile p) {
    Map<String, String> fields = new LinkedHashMap<>(24);
    fields.put("customerId", p.getCustomerId());
    fields.put("firstSeen", time(p.getFirstSeen()));
    fields.put("lastSeen", time(p.getLastSeen()));
    fields.put("sessions", Long.toString(p.getSessions()));
    fields.put("pageViews", Long.toString(p.getPageViews()));
    fields.put("productViews", Long.toString(p.getProductViews()));
    fields.put("searches", Long.toString(p.getSearches()));
    fields.put("cartAdds", Long.toString(p.getCartAdds()));
    fields.put("cartRemoves", Long.toString(p.getCartRemoves()));
    fields.put("wishlistAdds", Long.toString(p.getWishlistAdds()));
    fields.put("orders", Long.toString(p.getOrders()));
    fields.put("cancellations", Long.toString(p.getCancellations()));
    fields.put("refunds", Long.toString(p.getRefunds()));
    fields.put("totalSpend", String.format(java.util.Locale.ROOT, "%.2f", p.getTotalSpend()));
    fields.put("firstOrderTime", time(p.getFirstOrderTime()));
    fields.put("lastOrderTime", time(p.getLastOrderTime()));
    fields.put("updatedAt", time(p.getLastEventTime()));
    return new RedisHashWrite(keys.profile(p.getCustomerId()), fields, ttlMillis);
  }

  private static String time(long epochMillis) {
    return epochMillis == 0 ? "" : Instant.ofEpochMilli(epochMillis).toString();
  }
}
