package io.p13n.jobs.offers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p13n.jobs.redis.RedisDelete;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisMapper;
import io.p13n.jobs.redis.RedisValueWrite;
import io.p13n.jobs.redis.RedisWrite;
import io.p13n.model.ActiveOffer;
import io.p13n.model.ActiveOffers;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A customer's active offers as the storefront reads them: one JSON document, replaced whole, that
 * expires with the last offer in it; no offers left deletes the key.
 *
 * <pre>
 * {"updatedAt": "...", "offers": [{"code": "P13N-7KQ2-M4XD", "couponId": "...", "campaign": "winback-q4",
 *   "variant": "A", "percentOff": 15, "minSpend": 30, "expiresAt": "...", "reason": "cart abandoned: ..."}]}
 * </pre>
 *
 * The TTL is counted in event time (last expiry minus the snapshot's time), so a replay writes the
 * same TTL as the live run did; live, that is exactly the time the last offer has left.
 */
public final class ActiveOffersRedisMapper implements RedisMapper<ActiveOffers> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisKeys keys;

    public ActiveOffersRedisMapper(RedisKeys keys) {
        this.keys = keys;
    }

    @Override
    public String keyOf(ActiveOffers offers) {
        return keys.activeOffers(offers.getCustomerId());
    }

    @Override
    public RedisWrite toWrite(ActiveOffers offers) {
        long lastExpiry = 0;
        for (ActiveOffer offer : offers.getOffers()) {
            lastExpiry = Math.max(lastExpiry, offer.getExpiresAt());
        }
        if (offers.getOffers().isEmpty() || lastExpiry <= offers.getUpdatedAt()) {
            return new RedisDelete(keyOf(offers));
        }
        return new RedisValueWrite(keyOf(offers), json(offers), lastExpiry - offers.getUpdatedAt());
    }

    static String json(ActiveOffers offers) {
        ObjectNode root = JSON.createObjectNode();
        root.put("updatedAt", Instant.ofEpochMilli(offers.getUpdatedAt()).toString());
        ArrayNode array = root.putArray("offers");
        for (ActiveOffer offer : offers.getOffers()) {
            ObjectNode node = array.addObject();
            node.put("code", offer.getCode());
            node.put("couponId", offer.getCouponId());
            node.put("campaign", offer.getCampaignId());
            node.put("variant", offer.getVariant());
            node.put("channel", offer.getChannel().name());
            if (offer.getPercentOff() != null) {
                node.put("percentOff", offer.getPercentOff());
            }
            if (offer.getAmountOff() != null) {
                node.put("amountOff", offer.getAmountOff());
            }
            if (offer.getMinSpend() != null) {
                node.put("minSpend", offer.getMinSpend());
            }
            if (offer.getMessage() != null) {
                node.put("message", offer.getMessage());
            }
            node.put("expiresAt", Instant.ofEpochMilli(offer.getExpiresAt()).toString());
            node.put("reason", offer.getReason());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
