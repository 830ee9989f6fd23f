package io.p13n.jobs.profile;

import io.p13n.jobs.churn.PurchaseRhythm;
import io.p13n.jobs.privacy.Consents;
import io.p13n.jobs.profile.ActivityWindows.Metric;
import io.p13n.jobs.redis.RedisDelete;
import io.p13n.jobs.redis.RedisHashMapper;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisWrite;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerProfile;
import io.p13n.model.MessageChannel;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A profile as the storefront reads it: one hash per customer ({@link RedisKeys#profile}), every
 * field a plain string; times ISO-8601 UTC (empty when never), money with two decimals, lists
 * comma-separated. Windows and decayed scores are as of {@code updatedAt}, the event time the
 * profile was last evaluated at. Field by field in the README (Redis key layout).
 */
public final class ProfileRedisMapper implements RedisHashMapper<CustomerProfile> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = PurchaseRhythm.DAY_MILLIS;

    /** Categories shown: what the storefront needs to personalise a page, not the whole state. */
    static final int TOP_CATEGORIES_SHOWN = 5;

    private final RedisKeys keys;
    private final long ttlMillis;
    private final long affinityHalfLifeMillis;

    private final boolean personalizationByDefault;
    private final boolean marketingByDefault;

    /** With both consent defaults granted. */
    public ProfileRedisMapper(RedisKeys keys, Duration ttl, Duration affinityHalfLife) {
        this(keys, ttl, affinityHalfLife, true, true);
    }

    /**
     * @param personalizationByDefault {@code privacy.personalization-consent-default} is granted
     * @param marketingByDefault {@code privacy.marketing-consent-default} is granted
     */
    public ProfileRedisMapper(
            RedisKeys keys,
            Duration ttl,
            Duration affinityHalfLife,
            boolean personalizationByDefault,
            boolean marketingByDefault) {
        this.keys = keys;
        this.ttlMillis = ttl.toMillis();
        this.affinityHalfLifeMillis = affinityHalfLife.toMillis();
        this.personalizationByDefault = personalizationByDefault;
        this.marketingByDefault = marketingByDefault;
    }

    @Override
    public String keyOf(CustomerProfile p) {
        return keys.profile(p.getCustomerId());
    }

    /** An erased customer's profile: the hash is deleted. */
    @Override
    public RedisWrite toWrite(CustomerProfile p) {
        return p.getErased() ? new RedisDelete(keyOf(p)) : toHashWrite(p);
    }

    @Override
    public RedisHashWrite toHashWrite(CustomerProfile p) {
        long asOf = Math.max(p.getScoredAt(), p.getLastEventTime());
        long asOfDay = Math.floorDiv(asOf, DAY);
        Map<String, String> f = new LinkedHashMap<>(64);
        f.put("customerId", p.getCustomerId());
        f.put("segment", p.getSegment().name());
        f.put("segmentSince", time(p.getSegmentSince()));
        f.put("tier", p.getTier().name());
        f.put("points", Long.toString(p.getPoints()));
        f.put("spend12m", money(Loyalty.rollingSpend(p, asOf)));

        // RFM
        PurchaseRhythm rhythm = LifecycleRules.rhythmOf(p);
        f.put("frequency", rhythm.isEmpty() ? "0" : Integer.toString(rhythm.frequency()));
        f.put("recencyWeeks", rhythm.isEmpty() ? "" : decimal(rhythm.recencyWeeks()));
        f.put("ageWeeks", rhythm.isEmpty() ? "" : decimal(rhythm.ageWeeks(asOf)));
        f.put(
                "daysSinceLastPurchase",
                p.getLastOrderTime() == 0
                        ? ""
                        : Long.toString((asOf - p.getLastOrderTime()) / DAY));
        OptionalDouble typical =
                rhythm.isEmpty() ? OptionalDouble.empty() : rhythm.typicalIntervalDays();
        f.put("typicalIntervalDays", typical.isPresent() ? decimal(typical.getAsDouble()) : "");
        f.put("orders", Long.toString(p.getOrders()));
        f.put("totalSpend", money(p.getTotalSpend()));
        f.put("avgOrderValue", p.getOrders() == 0 ? "" : money(p.getTotalSpend() / p.getOrders()));
        f.put("firstOrderTime", time(p.getFirstOrderTime()));
        f.put("lastOrderTime", time(p.getLastOrderTime()));

        // churn
        f.put("churnRisk", decimal(p.getChurnRisk()));
        f.put("churnReasons", String.join("; ", p.getChurnReasons()));
        f.put("pAlive", p.getPAlive() == null ? "" : decimal(p.getPAlive()));
        f.put(
                "expectedPurchases30d",
                p.getExpectedPurchases30d() == null ? "" : decimal(p.getExpectedPurchases30d()));

        // activity
        for (int days : new int[] {1, 7, 30}) {
            f.put(
                    "sessions" + days + "d",
                    Integer.toString(ActivityWindows.count(p, Metric.SESSIONS, asOfDay, days)));
            f.put(
                    "productViews" + days + "d",
                    Integer.toString(
                            ActivityWindows.count(p, Metric.PRODUCT_VIEWS, asOfDay, days)));
            f.put(
                    "searches" + days + "d",
                    Integer.toString(ActivityWindows.count(p, Metric.SEARCHES, asOfDay, days)));
            f.put(
                    "cartAdds" + days + "d",
                    Integer.toString(ActivityWindows.count(p, Metric.CART_ADDS, asOfDay, days)));
        }
        f.put("topCategories", topCategories(p, asOf));
        f.put("recentlyViewed", String.join(",", p.getRecentlyViewed()));
        f.put("purchasedProducts", String.join(",", p.getPurchasedProducts()));
        f.put("cartItems", Integer.toString(p.getCart().size()));
        f.put("cartValue", money(OpenCart.value(p)));
        f.put(
                "cartProducts",
                String.join(",", p.getCart().stream().map(i -> i.getProductId()).toList()));

        // lifetime activity
        f.put("firstSeen", time(p.getFirstSeen()));
        f.put("lastSeen", time(p.getLastSeen()));
        f.put("sessions", Long.toString(p.getSessions()));
        f.put("pageViews", Long.toString(p.getPageViews()));
        f.put("productViews", Long.toString(p.getProductViews()));
        f.put("searches", Long.toString(p.getSearches()));
        f.put("cartAdds", Long.toString(p.getCartAdds()));
        f.put("cartRemoves", Long.toString(p.getCartRemoves()));
        f.put("wishlistAdds", Long.toString(p.getWishlistAdds()));
        f.put("cancellations", Long.toString(p.getCancellations()));
        f.put("refunds", Long.toString(p.getRefunds()));
        f.put("reviews", Long.toString(p.getReviews()));
        // Consent as the engine applies it now: "denied" means every behavioural field above is
        // empty because nothing behavioural is kept, not because the customer did nothing.
        long consentAsOf = asOf;
        for (var grant : p.getConsents()) {
            consentAsOf = Math.max(consentAsOf, grant.getAt());
        }
        f.put(
                "personalization",
                Consents.personalizationAllowed(
                                p.getConsents(), consentAsOf, personalizationByDefault)
                        ? "granted"
                        : "denied");
        f.put(
                "marketingChannels",
                Consents.marketingChannels(p.getConsents(), consentAsOf, marketingByDefault));
        // stated by the customer (customer-attributes topic); empty when not stated
        f.put("birthday", p.getBirthday() == null ? "" : p.getBirthday());
        f.put("timeZone", p.getTimeZone() == null ? "" : p.getTimeZone());
        f.put(
                "signupDate",
                p.getSignupDay() == 0 ? "" : LocalDate.ofEpochDay(p.getSignupDay()).toString());
        f.put(
                "preferredChannel",
                p.getPreferredChannel() == MessageChannel.UNKNOWN
                        ? ""
                        : p.getPreferredChannel().name());
        f.put("updatedAt", time(asOf));
        return new RedisHashWrite(keys.profile(p.getCustomerId()), f, ttlMillis);
    }

    private String topCategories(CustomerProfile p, long asOf) {
        List<CategoryScore> top = CategoryAffinity.top(p, asOf, affinityHalfLifeMillis);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(TOP_CATEGORIES_SHOWN, top.size()); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(top.get(i).getCategoryId())
                    .append(':')
                    .append(decimal(top.get(i).getScore()));
        }
        return out.toString();
    }

    private static String time(long epochMillis) {
        return epochMillis == 0 ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }

    private static String money(double amount) {
        return Decimals.fixed(amount, 2);
    }

    private static String decimal(double value) {
        return Decimals.fixed(value, 3);
    }
}
