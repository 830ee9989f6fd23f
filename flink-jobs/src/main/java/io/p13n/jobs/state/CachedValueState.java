package io.p13n.jobs.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed {@link ValueState} with a bounded heap cache of decoded values in front of it, written
 * back: a read of a cached key costs a hash lookup instead of a RocksDB get and an Avro decode, and
 * an update only marks the entry dirty. Dirty entries reach the backend when they are evicted
 * (least recently used first) and, all of them, when the operator {@link StateCaches#flush flushes}
 * before every checkpoint barrier, so a checkpoint holds exactly what the function wrote.
 *
 * <p>A customer's events come in bursts (a session is minutes of clicks), and a popular item is
 * viewed many times a second: most reads and writes hit the cache and a key costs one backend write
 * per checkpoint instead of one per event.
 *
 * <p>The function must treat the value as it would with RocksDB: a change it does not {@link
 * #update} is not a change (it would survive in the cache until eviction and then vanish). Clean
 * entries older than {@code maxAgeMillis} are read again, so a cached value can outlive the state's
 * own TTL by at most that much.
 */
final class CachedValueState<T> implements ValueState<T> {
    private final ValueState<T> backend;
    private final StateCaches.KeyContext keys;
    private final int maxEntries;
    private final long maxAgeMillis;
    private final LinkedHashMap<Object, Entry<T>> entries;
    private long hits;
    private long misses;
    private long writes;

    private static final class Entry<T> {
        T value;
        boolean dirty;
        long loadedAt;

        Entry(T value, boolean dirty, long loadedAt) {
            this.value = value;
            this.dirty = dirty;
            this.loadedAt = loadedAt;
        }
    }

    CachedValueState(
            ValueState<T> backend, StateCaches.KeyContext keys, int maxEntries, long maxAgeMillis) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
        }
        this.backend = backend;
        this.keys = keys;
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAgeMillis;
        // Access order: the eldest entry is the least recently used one.
        this.entries =
                new LinkedHashMap<>(Math.min(maxEntries, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Object, Entry<T>> eldest) {
                        if (size() <= CachedValueState.this.maxEntries) {
                            return false;
                        }
                        if (eldest.getValue().dirty) {
                            writeBack(eldest.getKey(), eldest.getValue());
                        }
                        return true;
                    }
                };
    }

    @Override
    public T value() throws IOException {
        return entry(keys.currentKey()).value;
    }

    @Override
    public void update(T value) throws IOException {
        Object key = keys.currentKey();
        Entry<T> entry = entries.get(key);
        if (entry == null) {
            entries.put(key, new Entry<>(value, true, keys.now()));
        } else {
            entry.value = value;
            entry.dirty = true;
        }
    }

    @Override
    public void clear() {
        // A cleared value is a cached null that must reach the backend as a delete.
        Object key = keys.currentKey();
        Entry<T> entry = entries.get(key);
        if (entry == null) {
            entries.put(key, new Entry<>(null, true, keys.now()));
        } else {
            entry.value = null;
            entry.dirty = true;
        }
    }

    private Entry<T> entry(Object key) throws IOException {
        Entry<T> entry = entries.get(key);
        long now = keys.now();
        if (entry != null && (entry.dirty || now - entry.loadedAt <= maxAgeMillis)) {
            hits++;
            return entry;
        }
        misses++;
        T loaded = backend.value();
        if (entry == null) {
            entry = new Entry<>(loaded, false, now);
            entries.put(key, entry);
        } else {
            entry.value = loaded;
            entry.loadedAt = now;
        }
        return entry;
    }

    /** Writes every dirty entry to the backend; the entries stay cached, clean. */
    void flush() {
        long now = keys.now();
        Iterator<Map.Entry<Object, Entry<T>>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Object, Entry<T>> e = it.next();
            Entry<T> entry = e.getValue();
            if (entry.dirty) {
                writeBack(e.getKey(), entry);
                entry.loadedAt = now; // the write refreshed the backend's TTL as well
                if (entry.value == null) {
                    it.remove(); // nothing worth keeping: a later read loads null again
                }
            }
        }
    }

    private void writeBack(Object key, Entry<T> entry) {
        T value = entry.value;
        keys.runAs(
                key,
                () -> {
                    try {
                        if (value == null) {
                            backend.clear();
                        } else {
                            backend.update(value);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        entry.dirty = false;
        writes++;
    }

    int size() {
        return entries.size();
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    long writes() {
        return writes;
    }
}
