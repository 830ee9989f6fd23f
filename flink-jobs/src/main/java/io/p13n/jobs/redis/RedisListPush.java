package io.p13n.jobs.redis;

/**
 * Prepends one entry to a capped list: {@code LPUSH key value}, {@code LTRIM key 0 maxLength-1},
 * {@code PEXPIRE key ttl}, in that order in one pipeline. The engine uses it for the per-customer
 * display histories (segment changes, recent offer decisions), newest first.
 *
 * <p>Unlike the other writes it is not idempotent: applied twice, the entry is in the list twice.
 * The sinks that write it are at-least-once, so a restart can repeat the entries of the epoch it
 * replays (the README says so); the cap bounds the list whatever happens, and the TTL removes it
 * once the customer is gone.
 */
public record RedisListPush(String key, String value, int maxLength, long ttlMillis)
        implements RedisWrite {
    public RedisListPush {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (value == null) {
            throw new IllegalArgumentException("value must not be null (key " + key + ")");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException(
                    "a capped list needs maxLength >= 1; got " + maxLength + " for " + key);
        }
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException(
                    "every key needs a TTL; got " + ttlMillis + " ms for " + key);
        }
    }

    /** LPUSH, LTRIM and PEXPIRE. */
    @Override
    public int commands() {
        return 3;
    }
}
