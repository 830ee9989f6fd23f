package io.p13n.jobs.offers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p13n.jobs.redis.RedisDelete;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisListPush;
import io.p13n.jobs.redis.RedisMapper;
import io.p13n.jobs.redis.RedisWrite;
import io.p13n.model.Erasure;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferOutcome;
import io.p13n.model.RecentDecision;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * A customer's recent offer decisions as the storefront and the console read them: a Redis list
 * ({@link RedisKeys#recentDecisions}), newest first, one JSON entry per decision, capped at {@link
 * #MAX_ENTRIES}.
 *
 * <pre>
 * {"campaign": "winback-q4", "variant": "A", "outcome": "HELD_OUT", "trigger": "WIN_BACK",
 *  "reason": "no order for 90 days", "at": "2026-12-07T21:00:00Z", "code": ""}
 * </pre>
 *
 * {@code code} is the coupon code of a SENT decision, empty otherwise. {@code deliverAt}, only on a
 * decision held for its channel's quiet hours, is when it will be delivered. An erased entry
 * ({@link #erased}) deletes the list.
 */
public final class RecentDecisionsRedisMapper implements RedisMapper<RecentDecision> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * 20 decisions: the frequency cap lets a customer receive a few offers a week, and suppressed
     * and held-out moments come at about the same rate, so 20 shows the last weeks, which is what
     * someone asking "why did (not) this customer get an offer" looks at; a few KiB per customer.
     */
    public static final int MAX_ENTRIES = 20;

    private final RedisKeys keys;
    private final long ttlMillis;

    /**
     * @param ttl the profile's TTL ({@code redis.profile-ttl}): the decisions explain what the
     *     profile triggered, so they live as long as it does
     */
    public RecentDecisionsRedisMapper(RedisKeys keys, Duration ttl) {
        this.keys = keys;
        this.ttlMillis = ttl.toMillis();
    }

    /** A decision as the list shows it. */
    public static RecentDecision of(OfferDecision d) {
        return RecentDecision.newBuilder()
                .setCustomerId(d.getCustomerId())
                .setDecisionId(d.getDecisionId())
                .setCampaignId(d.getCampaignId())
                .setVariant(d.getVariant())
                .setOutcome(d.getOutcome())
                .setTrigger(d.getTrigger())
                .setReason(d.getReason())
                .setIssuedAt(d.getIssuedAt())
                .setCouponCode(d.getOutcome() == OfferOutcome.SENT ? d.getCouponCode() : "")
                .setDeliverAt(QuietHoursHoldFunction.heldBack(d) ? d.getDeliverAt() : 0L)
                .build();
    }

    /** The order to delete the list of an erased (or merged-away) customer. */
    public static RecentDecision erased(Erasure erasure) {
        return RecentDecision.newBuilder()
                .setCustomerId(erasure.getCustomerId())
                .setErased(true)
                .build();
    }

    /**
     * Each decision its own entry (a list push adds, it does not replace); the outcome is part of
     * it, since one decision id can be held, then SENT turned OVER_BUDGET, in one batch. An erasure
     * the key.
     */
    @Override
    public String keyOf(RecentDecision d) {
        String key = keys.recentDecisions(d.getCustomerId());
        return d.getErased() ? key : key + "#" + d.getDecisionId() + "#" + d.getOutcome();
    }

    @Override
    public RedisWrite toWrite(RecentDecision d) {
        String key = keys.recentDecisions(d.getCustomerId());
        if (d.getErased()) {
            return new RedisDelete(key);
        }
        return new RedisListPush(key, json(d), MAX_ENTRIES, ttlMillis);
    }

    static String json(RecentDecision d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("campaign", d.getCampaignId());
        node.put("variant", d.getVariant());
        node.put("outcome", d.getOutcome().name());
        node.put("trigger", d.getTrigger().name());
        node.put("reason", d.getReason());
        node.put("at", Instant.ofEpochMilli(d.getIssuedAt()).toString());
        node.put("code", d.getCouponCode());
        if (d.getDeliverAt() > 0) {
            // held for the channel's quiet hours: why the customer has not seen it yet
            node.put("deliverAt", Instant.ofEpochMilli(d.getDeliverAt()).toString());
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
