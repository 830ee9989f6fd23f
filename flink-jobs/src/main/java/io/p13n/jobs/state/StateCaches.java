package io.p13n.jobs.state;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.MetricGroup;

/**
 * The write-back caches of one operator's keyed value states ({@link CachedValueState}). A function
 * that implements {@link User} and runs in a {@link CachingKeyedProcessOperator} wraps its states
 * with {@link #cache}; anywhere else (a plain {@code KeyedProcessOperator}, a test harness) {@link
 * #NONE} hands the states back unchanged, so the function behaves the same either way.
 */
public final class StateCaches {
    /**
     * How long a clean cached value is trusted before it is read again: short next to every cached
     * state's TTL (a day and more), so expiry is late by at most this; long next to a session's
     * burst of clicks, which is what the cache is for.
     */
    public static final Duration MAX_AGE = Duration.ofMinutes(1);

    /** No caching: {@link #cache} returns the state itself. */
    public static final StateCaches NONE = new StateCaches(null, new Settings(0, Duration.ZERO));

    /** What a function needs to be handed its operator's caches. */
    public interface User {
        void useStateCaches(StateCaches caches);
    }

    /** Switches the operator's current key, for writing back entries of other keys. */
    interface KeyContext {
        Object currentKey();

        void runAs(Object key, Runnable action);

        long now();
    }

    /**
     * Entries per cached state per subtask, and how long a clean entry is trusted. Zero entries
     * turns caching off.
     */
    public record Settings(int maxEntries, Duration maxAge) implements Serializable {
        public Settings {
            if (maxEntries < 0) {
                throw new IllegalArgumentException("maxEntries must be >= 0, was " + maxEntries);
            }
        }
    }

    private final KeyContext keys;
    private final Settings settings;
    private final List<CachedValueState<?>> states = new ArrayList<>();
    private MetricGroup metrics;

    StateCaches(KeyContext keys, Settings settings) {
        this.keys = keys;
        this.settings = settings;
    }

    /** {@code caches}, or {@link #NONE} when the function was not handed any. */
    public static StateCaches orNone(StateCaches caches) {
        return caches == null ? NONE : caches;
    }

    void reportTo(MetricGroup group) {
        this.metrics = group;
    }

    /** {@code state} behind a write-back cache, or {@code state} itself when caching is off. */
    public <T> ValueState<T> cache(String name, ValueState<T> state) {
        if (keys == null || settings.maxEntries() == 0) {
            return state;
        }
        CachedValueState<T> cached =
                new CachedValueState<>(
                        state, keys, settings.maxEntries(), settings.maxAge().toMillis());
        states.add(cached);
        if (metrics != null) {
            MetricGroup group = metrics.addGroup("stateCache", name);
            group.gauge("hits", cached::hits);
            group.gauge("misses", cached::misses);
            group.gauge("writes", cached::writes);
            group.gauge("entries", cached::size);
        }
        return cached;
    }

    /** Writes every dirty entry of every cached state to the backend. */
    void flush() {
        for (CachedValueState<?> state : states) {
            state.flush();
        }
    }

    int cachedStates() {
        return states.size();
    }
}
