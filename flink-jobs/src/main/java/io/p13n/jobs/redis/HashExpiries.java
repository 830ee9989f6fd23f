package io.p13n.jobs.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * When each recently written hash key last had its TTL set, so that a hash rewritten every few
 * seconds (a customer's profile, once per click) costs one HSET instead of HSET and PEXPIRE. A
 * key's PEXPIRE is skipped only while its last one is younger than {@link #refreshIntervalMillis}
 * <em>and</em> the HSET created no field: a reply above zero means the key may be new (Redis was
 * emptied, the key was evicted), and then the sender sets the TTL at once. So every key still has a
 * TTL, at most {@code refreshIntervalMillis} shorter than a write-every-time PEXPIRE would give.
 *
 * <p>Heap only, per sink subtask: after a restart every key is refreshed once. Bounded to {@link
 * #MAX_KEYS} keys, least recently written forgotten first (a forgotten key is refreshed on its next
 * write); not thread-safe, used from the sink's mailbox thread.
 */
final class HashExpiries {
    /**
     * Keys remembered per subtask: the customers active within a few refresh intervals of one
     * subtask at store scale; about 100 bytes each, so some 10 MiB of heap at most.
     */
    static final int MAX_KEYS = 100_000;

    /**
     * At most an hour: a key's TTL (days, for profiles) is then at most an hour short of what it
     * would be with a PEXPIRE on every write.
     */
    static final long MAX_REFRESH_INTERVAL_MILLIS = 3_600_000;

    private final LongSupplier clock;

    private final LinkedHashMap<String, Long> refreshedAt =
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > MAX_KEYS;
                }
            };

    /**
     * @param clock milliseconds: the sink's processing time
     */
    HashExpiries(LongSupplier clock) {
        this.clock = clock;
    }

    long now() {
        return clock.getAsLong();
    }

    /** A hundredth of the TTL, at most {@link #MAX_REFRESH_INTERVAL_MILLIS}. */
    static long refreshIntervalMillis(long ttlMillis) {
        return Math.min(MAX_REFRESH_INTERVAL_MILLIS, ttlMillis / 100);
    }

    /**
     * Whether the TTL of {@code key}, set to {@code ttlMillis} before, is still fresh at {@code
     * now}.
     */
    boolean fresh(String key, long ttlMillis, long now) {
        Long at = refreshedAt.get(key);
        return at != null && now - at < refreshIntervalMillis(ttlMillis);
    }

    void refreshed(String key, long now) {
        refreshedAt.put(key, now);
    }

    int size() {
        return refreshedAt.size();
    }
}
