package io.p13n.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.jobs.recommend.ServingJson;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ScoredItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;

/**
 * One customer as the engine serves them, read from Redis in one place for {@code show customer}
 * and the console's Customer 360 page, so both show the same facts: the profile hash grouped as the
 * README documents it (who, RFM, churn, recent activity, interests, cart, lifetime, consent), the
 * "guess you like" list with its reasons, the active offers, the segment history and the recent
 * offer decisions (the last two newest first, de-duplicated: see {@link #entries}).
 *
 * @param label the id as the user gave it, with the pseudonym when one was computed
 * @param engineId the id the engine keeps the customer under
 * @param profileKey the profile hash's key
 * @param profileTtlSeconds the profile's time to live (negative: none or no key)
 * @param groups the profile's facts by group, in the documented order; empty without a profile
 * @param recommendations the ranked list, empty when there is none
 * @param recommendationsUpdatedAt when the list was computed, null when there is none
 * @param recommendationsStrategy which candidates it came from, null when unknown
 * @param offers the active offers, each as the storefront reads it (field to value)
 * @param segmentHistory the latest segment changes, newest first
 * @param decisions the latest offer decisions of every outcome, newest first
 */
public record CustomerView(
        String label,
        String engineId,
        String profileKey,
        long profileTtlSeconds,
        Map<String, List<Fact>> groups,
        List<Recommendation> recommendations,
        String recommendationsUpdatedAt,
        String recommendationsStrategy,
        List<Map<String, Object>> offers,
        List<SegmentStep> segmentHistory,
        List<Decision> decisions) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One fact of the profile: a field and its value as stored (empty when never or unknown). */
    public record Fact(String field, String value) {}

    /** One entry of the "guess you like" list, best first. */
    public record Recommendation(
            int rank, String itemId, String categoryId, double score, String reason) {}

    /** One segment change: from, to, when (ISO-8601) and the rules' reasons. */
    public record SegmentStep(String from, String to, String at, List<String> reasons) {}

    /**
     * One offer decision: outcome SENT, HELD_OUT, SUPPRESSED, SUPPRESSED_CONSENT or OVER_BUDGET,
     * with why; {@code code} is the coupon code of a SENT one, empty otherwise; {@code deliverAt}
     * (ISO-8601) when it is held for its channel's quiet hours, else null.
     */
    public record Decision(
            String campaign,
            String variant,
            String outcome,
            String trigger,
            String reason,
            String at,
            String code,
            String deliverAt) {}

    /** The profile hash's fields by group, in the order the README documents them. */
    static final Map<String, List<String>> FIELD_GROUPS = new LinkedHashMap<>();

    /** The group whose fields are windows: each shows its 1d / 7d / 30d values together. */
    static final String RECENT_ACTIVITY = "recent activity (1d / 7d / 30d)";

    static {
        FIELD_GROUPS.put("who", List.of("segment", "segmentSince", "tier", "points", "spend12m"));
        FIELD_GROUPS.put(
                "RFM",
                List.of(
                        "frequency",
                        "recencyWeeks",
                        "ageWeeks",
                        "daysSinceLastPurchase",
                        "typicalIntervalDays",
                        "orders",
                        "totalSpend",
                        "avgOrderValue",
                        "firstOrderTime",
                        "lastOrderTime"));
        FIELD_GROUPS.put(
                "churn", List.of("churnRisk", "churnReasons", "pAlive", "expectedPurchases30d"));
        FIELD_GROUPS.put(
                RECENT_ACTIVITY, List.of("sessions", "productViews", "searches", "cartAdds"));
        FIELD_GROUPS.put(
                "interests", List.of("topCategories", "recentlyViewed", "purchasedProducts"));
        FIELD_GROUPS.put("cart", List.of("cartItems", "cartValue", "cartProducts"));
        FIELD_GROUPS.put(
                "lifetime",
                List.of(
                        "firstSeen",
                        "lastSeen",
                        "sessions",
                        "pageViews",
                        "productViews",
                        "searches",
                        "cartAdds",
                        "cartRemoves",
                        "wishlistAdds",
                        "cancellations",
                        "refunds",
                        "reviews",
                        "updatedAt"));
        FIELD_GROUPS.put("consent", List.of("personalization", "marketingChannels"));
    }

    /** True when the engine holds a profile for the customer. */
    public boolean hasProfile() {
        return !groups.isEmpty();
    }

    /** The value of one profile field as shown (the first group holding it), "" when absent. */
    public String fact(String field) {
        for (List<Fact> facts : groups.values()) {
            for (Fact f : facts) {
                if (f.field().equals(field)) {
                    return f.value();
                }
            }
        }
        return "";
    }

    /**
     * Reads the customer's profile, recommendations, active offers, segment history and recent
     * decisions: five reads of keys in the customer's hash slot.
     *
     * @param label the id as the user gave it (see {@link ShowCommand.CustomerArgument#label})
     */
    public static CustomerView read(
            UnifiedJedis client, RedisKeys keys, String engineId, String label) {
        String profileKey = keys.profile(engineId);
        Map<String, String> hash = client.hgetAll(profileKey);
        long ttl = hash.isEmpty() ? -2 : client.ttl(profileKey);
        Map<String, List<Fact>> groups = new LinkedHashMap<>();
        if (!hash.isEmpty()) {
            FIELD_GROUPS.forEach(
                    (group, fields) -> {
                        List<Fact> facts = new ArrayList<>();
                        for (String field : fields) {
                            String value =
                                    group.equals(RECENT_ACTIVITY)
                                            ? hash.getOrDefault(field + "1d", "")
                                                    + " / "
                                                    + hash.getOrDefault(field + "7d", "")
                                                    + " / "
                                                    + hash.getOrDefault(field + "30d", "")
                                            : hash.getOrDefault(field, "");
                            facts.add(new Fact(field, value));
                        }
                        groups.put(group, List.copyOf(facts));
                    });
        }
        List<Recommendation> recommendations = new ArrayList<>();
        String json = client.get(keys.recommendations(engineId));
        String updatedAt = null;
        String strategy = null;
        if (json != null) {
            long at = ServingJson.updatedAt(json);
            updatedAt = at > 0 ? Instant.ofEpochMilli(at).toString() : null;
            strategy = ServingJson.strategy(json);
            int rank = 1;
            for (ScoredItem item : ServingJson.items(json)) {
                recommendations.add(
                        new Recommendation(
                                rank++,
                                item.getItemId(),
                                item.getCategoryId(),
                                item.getScore(),
                                item.getReason()));
            }
        }
        return new CustomerView(
                label,
                engineId,
                profileKey,
                ttl,
                groups,
                List.copyOf(recommendations),
                updatedAt,
                strategy,
                offers(client.get(keys.activeOffers(engineId))),
                entries(
                        client.lrange(keys.segmentHistory(engineId), 0, -1),
                        SegmentStep.class,
                        SegmentStep::at),
                entries(
                        client.lrange(keys.recentDecisions(engineId), 0, -1),
                        Decision.class,
                        Decision::at));
    }

    /**
     * The entries of a display list, newest first by their {@code at}, each once. The engine pushes
     * entries as they reach its sink, which is not always the order they were decided in (a
     * decision may pass through the budget stage, a suppressed one does not); and after a restart
     * it may push an entry again, byte for byte the same, since the list sinks are at least once.
     */
    static <T> List<T> entries(List<String> list, Class<T> type, Function<T, String> at) {
        List<T> out = new ArrayList<>(list.size());
        for (String entry : new LinkedHashSet<>(list)) {
            try {
                // Fields a newer engine adds are skipped, so an older console still reads the list.
                out.add(
                        JSON.readerFor(type)
                                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                .readValue(entry));
            } catch (java.io.IOException e) {
                // Written by the engine only: unreadable means a foreign value under our key.
                throw new IllegalStateException("a list entry is not the engine's JSON: " + e, e);
            }
        }
        // Stable: entries of the same instant keep the list's order (the later push first).
        out.sort(Comparator.comparing((T e) -> Instant.parse(at.apply(e))).reversed());
        return List.copyOf(out);
    }

    /** The offers of the active-offers value, each as a field map; none when there is no value. */
    static List<Map<String, Object>> offers(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            Map<String, Object> doc =
                    JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
            Object offers = doc.get("offers");
            if (!(offers instanceof List<?> list)) {
                return List.of();
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    Map<String, Object> offer = new LinkedHashMap<>();
                    m.forEach((k, v) -> offer.put(String.valueOf(k), v));
                    out.add(offer);
                }
            }
            return List.copyOf(out);
        } catch (java.io.IOException e) {
            // Written by the engine only: unreadable means a foreign value under our key.
            throw new IllegalStateException("active offers are not the engine's JSON: " + e, e);
        }
    }

    /** One active offer in a line, e.g. "SAVE-1234 10% off over 20 cart-rescue/A ...". */
    public static String describeOffer(Map<String, Object> offer) {
        StringBuilder s = new StringBuilder();
        s.append(offer.getOrDefault("code", "?"));
        if (offer.get("percentOff") != null) {
            s.append("  ").append(offer.get("percentOff")).append("% off");
        } else if (offer.get("amountOff") != null) {
            s.append("  ").append(offer.get("amountOff")).append(" off");
        }
        Object minSpend = offer.get("minSpend");
        if (minSpend instanceof Number n && n.doubleValue() > 0) {
            s.append(" over ").append(minSpend);
        }
        s.append("  campaign ").append(offer.getOrDefault("campaign", "?"));
        if (offer.get("variant") != null) {
            s.append("/").append(offer.get("variant"));
        }
        if (offer.get("channel") != null) {
            s.append("  via ").append(offer.get("channel"));
        }
        if (offer.get("expiresAt") != null) {
            s.append("  expires ").append(offer.get("expiresAt"));
        }
        if (offer.get("reason") != null) {
            s.append("  (").append(offer.get("reason")).append(")");
        }
        if (offer.get("message") != null) {
            s.append("  \"").append(offer.get("message")).append("\"");
        }
        return s.toString();
    }
}
