package io.p13n.jobs.redis;

import java.util.Map;

/**
 * One hash to write: HSET of {@code fields} on {@code key}, then the key's TTL set to {@code
 * ttlMillis}. Every key the engine writes expires, so Redis stays bounded even for customers who
 * never come back.
 */
public record RedisHashWrite(String key, Map<String, String> fields, long ttlMillis)
        implements RedisWrite {
    public RedisHashWrite {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException(
                    "a hash write needs at least one field (key " + key + ")");
        }
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException(
                    "every key needs a TTL; got " + ttlMillis + " ms for " + key);
        }
    }

    /** HSET and PEXPIRE. */
    @Override
    public int commands() {
        return 2;
    }
}
