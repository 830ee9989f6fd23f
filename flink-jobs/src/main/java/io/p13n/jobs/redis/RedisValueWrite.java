package io.p13n.jobs.redis;

/**
 * Replaces a whole value: {@code SET key value PX ttl}. One command, so a reader sees the old
 * document or the new one, never a mix; the engine uses it for every list the storefront reads
 * (recommendations, similar items, trending, active offers), serialised as one JSON document.
 */
public record RedisValueWrite(String key, String value, long ttlMillis) implements RedisWrite {
    public RedisValueWrite {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (value == null) {
            throw new IllegalArgumentException(
                    "value must not be null (key " + key + "); delete the key instead");
        }
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException(
                    "every key needs a TTL; got " + ttlMillis + " ms for " + key);
        }
    }

    @Override
    public int commands() {
        return 1;
    }
}
