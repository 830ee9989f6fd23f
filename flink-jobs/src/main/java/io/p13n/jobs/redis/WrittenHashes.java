package io.p13n.jobs.redis;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * What a sink last wrote to each recently written hash key, so that a hash rewritten every few
 * seconds (a customer's profile, once per click) costs one HSET of the fields that changed, instead
 * of an HSET of all 50 fields and a PEXPIRE. Measured on the bench (README, Benchmark): the full
 * profile write (mapping and HSET) was half of the customer stage's time and most of the bytes
 * Redis received.
 *
 * <p>Per key it keeps when the TTL was last set and a 64-bit digest of each field (name and value)
 * as last written. A key's PEXPIRE is skipped only while its last one is younger than {@link
 * #refreshIntervalMillis}, and only then is the write cut down to its changed fields; once the
 * interval is over the whole hash is written again with its TTL. Either way a reply saying the HSET
 * created a field means the key may be new (Redis was emptied, the key was evicted or expired), and
 * the sender writes the whole hash and its TTL at once. So every key still has every field and a
 * TTL at most {@code refreshIntervalMillis} shorter than a write-every-time PEXPIRE would give; a
 * digest collision (2^-64 per changed field) would leave one field stale until the next full write,
 * at most that interval later.
 *
 * <p>Heap only, per sink subtask: after a restart every key is written whole once. Bounded to
 * {@link #MAX_KEYS} keys, least recently written forgotten first (a forgotten key is written whole
 * on its next write); not thread-safe, used from the sink's mailbox thread.
 */
final class WrittenHashes {
    /**
     * Keys remembered per subtask: the customers active within a few refresh intervals of one
     * subtask at store scale. A profile's entry is about 500 bytes (50 digests), so some 25 MiB of
     * heap at most; a customer beyond it costs a full write, as before digests existed.
     */
    static final int MAX_KEYS = 50_000;

    /**
     * At most an hour: a key's TTL (days, for profiles) is then at most an hour short of what it
     * would be with a PEXPIRE on every write, and a field Redis lost alone is back within the hour.
     */
    static final long MAX_REFRESH_INTERVAL_MILLIS = 3_600_000;

    private static final long NEVER = Long.MIN_VALUE;

    private static final class Written {
        long ttlSetAt = NEVER;
        long[] digests;
    }

    private final LongSupplier clock;

    private final LinkedHashMap<String, Written> written =
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
                    return size() > MAX_KEYS;
                }
            };

    /**
     * @param clock milliseconds: the sink's processing time
     */
    WrittenHashes(LongSupplier clock) {
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
        Written w = written.get(key);
        return w != null
                && w.ttlSetAt != NEVER
                && now - w.ttlSetAt < refreshIntervalMillis(ttlMillis);
    }

    /**
     * The fields of a write whose digests differ from what was last written to {@code key} in the
     * same position (all of them when nothing is known); empty when nothing changed.
     */
    Map<String, String> changed(String key, Map<String, String> fields, long[] digests) {
        Written w = written.get(key);
        long[] before = w == null ? null : w.digests;
        if (before == null || before.length != digests.length) {
            return fields;
        }
        Map<String, String> changed = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (before[i] != digests[i]) {
                changed.put(field.getKey(), field.getValue());
            }
            i++;
        }
        return changed;
    }

    /** Records what Redis now holds for {@code key}, once its write was acknowledged. */
    void written(String key, long[] digests) {
        written.computeIfAbsent(key, k -> new Written()).digests = digests;
    }

    /** Records that the TTL of {@code key} was set at {@code now}. */
    void refreshed(String key, long now) {
        written.computeIfAbsent(key, k -> new Written()).ttlSetAt = now;
    }

    /** Forgets {@code key}, deleted from Redis: its next write is a whole one. */
    void forget(String key) {
        written.remove(key);
    }

    int size() {
        return written.size();
    }

    /** One digest per field, in the map's order: the field's name and value, 64 bits. */
    static long[] digests(Map<String, String> fields) {
        long[] digests = new long[fields.size()];
        int i = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            // The value with a real 64-bit hash; the name's String hash (cached for the mappers'
            // literals) only has to tell two layouts of one key apart, which cannot collide on
            // both at once in practice.
            long value =
                    MurmurHash3.hash128x64(field.getValue().getBytes(StandardCharsets.UTF_8))[0];
            digests[i++] = value * 0x9E3779B97F4A7C15L + field.getKey().hashCode();
        }
        return digests;
    }
}
