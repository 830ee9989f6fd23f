package io.p13n.jobs.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.p13n.jobs.privacy.Erasures;
import io.p13n.jobs.redis.RedisDelete;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisListPush;
import io.p13n.jobs.redis.RedisMapper;
import io.p13n.jobs.redis.RedisWrite;
import io.p13n.model.SegmentChange;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A customer's segment history as the storefront and the console read it: a Redis list ({@link
 * RedisKeys#segmentHistory}), newest first, one JSON entry per change, capped at {@link
 * #MAX_ENTRIES}.
 *
 * <pre>
 * {"from": "ACTIVE", "to": "AT_RISK", "at": "2026-12-07T21:00:00Z", "reasons": ["no visit for 21 days"]}
 * </pre>
 *
 * An erasure's or identity merge's tombstone ({@link Erasures#segmentTombstone}) deletes the list.
 * It travels on the same side output of the customer stage as the changes, so it reaches this sink
 * after them.
 */
public final class SegmentHistoryRedisMapper implements RedisMapper<SegmentChange> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * 20 changes: a customer changes segment a few times a year (new, active, at risk, churned,
     * back), so 20 covers years of history, and the list stays a few KiB at most.
     */
    public static final int MAX_ENTRIES = 20;

    private final RedisKeys keys;
    private final long ttlMillis;

    /**
     * @param ttl the profile's TTL ({@code redis.profile-ttl}): the history describes the profile,
     *     so it lives as long as the profile and goes with it when the customer stops coming back
     */
    public SegmentHistoryRedisMapper(RedisKeys keys, Duration ttl) {
        this.keys = keys;
        this.ttlMillis = ttl.toMillis();
    }

    /** Each change its own entry (a list push adds, it does not replace); a tombstone the key. */
    @Override
    public String keyOf(SegmentChange change) {
        String key = keys.segmentHistory(change.getCustomerId());
        return Erasures.isTombstone(change) ? key : key + "#" + change.getChangeId();
    }

    @Override
    public RedisWrite toWrite(SegmentChange change) {
        String key = keys.segmentHistory(change.getCustomerId());
        if (Erasures.isTombstone(change)) {
            return new RedisDelete(key);
        }
        return new RedisListPush(key, json(change), MAX_ENTRIES, ttlMillis);
    }

    static String json(SegmentChange change) {
        ObjectNode node = JSON.createObjectNode();
        node.put("from", change.getFrom().name());
        node.put("to", change.getTo().name());
        node.put("at", change.getEventTime().toString());
        var reasons = node.putArray("reasons");
        change.getReasons().forEach(reasons::add);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
