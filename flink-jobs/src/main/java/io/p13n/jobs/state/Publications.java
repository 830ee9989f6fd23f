package io.p13n.jobs.state;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.util.OutputTag;

/**
 * At most one publication per key per interval of wall-clock time, kept on the heap of the operator
 * ({@link CachingKeyedProcessOperator}) instead of in keyed state with a timer per key. The first
 * change of a key after a quiet interval goes out at once (leading edge: a click is visible in
 * Redis within the sink's batch delay); later changes within the interval are folded into one
 * publication when it ends (trailing edge), which the operator makes with the key's latest state.
 *
 * <p>Wall-clock, not event time: when the job catches up on a backlog (a restart, a replay), a
 * key's events of hours arrive within seconds and are folded into one publication instead of one
 * per event.
 *
 * <p>Why not keyed state and timers (the previous design, {@code PublishThrottle}): every change
 * read and wrote a four-long state per key and registered or deleted a processing-time timer and an
 * end-of-input event-time timer, all in RocksDB, on the hottest stages (native profile of the
 * realistic benchmark: timers and throttle ~6 % of all CPU, plus a state record and two timers per
 * item and per active customer in every checkpoint). Nothing here needs to be in a checkpoint:
 * before every barrier, and when the input ends, every pending publication is made, so a
 * checkpoint's downstream effects already contain it, and a restore starts with nothing pending (a
 * key's first change after a restore is published at once). The cost of that: a key can be
 * published twice within one interval around a checkpoint, at most once more per checkpoint.
 *
 * <p>Bound: one entry per key changed or published within the last interval, per subtask (about 80
 * heap bytes, plus the pending payload if the function passes one): at 10,000 changed keys per
 * second and the default 5 s interval, 50,000 entries, ~4 MB. Entries of keys quiet for an interval
 * are dropped on the next tick.
 */
public final class Publications<OUT> {

    /** A function whose changes are published through the operator's publications. */
    public interface User<OUT> {
        /** At most one publication per key per this many milliseconds of wall-clock time. */
        long publicationIntervalMillis();

        /** Called once, before {@code open}. */
        void usePublications(Publications<OUT> publications);

        /**
         * Publish the current key now: its latest change was at {@code eventTime}, with the {@code
         * payload} passed to the last {@link #changed} (null if none was). Runs with the key as the
         * current key, so keyed state reads see it.
         */
        void publish(Object payload, long eventTime, Emitter<OUT> out) throws Exception;
    }

    /** Where a publication goes: the operator's main output or one of its side outputs. */
    public interface Emitter<OUT> {
        void collect(OUT value);

        <X> void output(OutputTag<X> tag, X value);
    }

    /** What the operator provides: the current key, switching to a key, and wall-clock time. */
    interface Host {
        Object currentKey();

        void runAs(Object key, ThrowingRunnable action) throws Exception;

        long now();

        /** Calls {@link #tick} at {@code time} (processing time). */
        void scheduleTick(long time);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static final class Entry {
        long nextAllowed; // processing time at which the key may be published again
        boolean pending;
        long eventTime;
        Object payload;
    }

    /** Outside the operator (a plain operator, a function test): every change is published now. */
    private static final Publications<?> IMMEDIATE = new Publications<>(null, null, 1, null);

    private final Host host;
    private final User<OUT> user;
    private final long intervalMillis;
    private final Emitter<OUT> emitter;
    private final Map<Object, Entry> entries = new HashMap<>();
    // Ticks run at most this often: each one walks the entries.
    private final long minTickGapMillis;
    private long nextTick = Long.MIN_VALUE;
    private int pendingCount;
    private long published;
    private long coalesced;

    Publications(Host host, User<OUT> user, long intervalMillis, Emitter<OUT> emitter) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("interval must be >= 1 ms, was " + intervalMillis);
        }
        this.host = host;
        this.user = user;
        this.intervalMillis = intervalMillis;
        this.emitter = emitter;
        this.minTickGapMillis = Math.max(1, intervalMillis / 20);
    }

    /** {@code publications}, or one that publishes every change at once when there are none. */
    @SuppressWarnings("unchecked")
    public static <OUT> Publications<OUT> orImmediate(Publications<OUT> publications) {
        return publications == null ? (Publications<OUT>) IMMEDIATE : publications;
    }

    /**
     * The current key changed at {@code eventTime}. True: the caller publishes now. False: the
     * operator publishes at the end of the key's interval, handing back {@code payload} (the latest
     * one passed), or earlier before a checkpoint barrier.
     */
    public boolean changed(long eventTime, Object payload) {
        if (host == null) {
            return true;
        }
        long now = host.now();
        Object key = host.currentKey();
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry();
            e.eventTime = eventTime;
            entries.put(key, e);
        } else {
            e.eventTime = Math.max(e.eventTime, eventTime);
        }
        if (now >= e.nextAllowed) {
            if (e.pending) {
                e.pending = false;
                e.payload = null;
                pendingCount--;
            }
            e.nextAllowed = now + intervalMillis;
            published++;
            return true;
        }
        coalesced++;
        e.payload = payload;
        if (!e.pending) {
            e.pending = true;
            pendingCount++;
            schedule(e.nextAllowed, now);
        }
        return false;
    }

    /**
     * Forgets the current key: a pending publication is dropped, not made (its subject is gone, as
     * after an erasure), and the key's next change goes out at once.
     */
    public void forget() {
        if (host == null) {
            return;
        }
        Entry e = entries.remove(host.currentKey());
        if (e != null && e.pending) {
            pendingCount--;
        }
    }

    private void schedule(long due, long now) {
        long at = Math.max(due, now + minTickGapMillis);
        if (nextTick > now && nextTick <= at) {
            return; // an earlier tick is coming and will reschedule
        }
        nextTick = at;
        host.scheduleTick(at);
    }

    /**
     * Publishes the keys whose interval has ended and drops entries of quiet keys; schedules the
     * next tick for the earliest still pending.
     */
    void tick() throws Exception {
        long now = host.now();
        if (nextTick <= now) {
            nextTick = Long.MIN_VALUE;
        }
        long earliest = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Object, Entry>> it = entries.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Object, Entry> m = it.next();
            Entry e = m.getValue();
            if (e.nextAllowed > now) {
                if (e.pending) {
                    earliest = Math.min(earliest, e.nextAllowed);
                }
            } else if (e.pending) {
                publish(m.getKey(), e, now);
            } else {
                it.remove(); // quiet for an interval: its next change goes out at once anyway
            }
        }
        if (earliest != Long.MAX_VALUE) {
            schedule(earliest, now);
        }
    }

    /** Publishes every pending key now: before a checkpoint barrier and at end of input. */
    void publishAll() throws Exception {
        if (pendingCount == 0) {
            return;
        }
        long now = host.now();
        for (Map.Entry<Object, Entry> m : entries.entrySet()) {
            if (m.getValue().pending) {
                publish(m.getKey(), m.getValue(), now);
            }
        }
    }

    private void publish(Object key, Entry e, long now) throws Exception {
        Object payload = e.payload;
        e.pending = false;
        e.payload = null;
        e.nextAllowed = now + intervalMillis;
        pendingCount--;
        published++;
        long eventTime = e.eventTime;
        host.runAs(key, () -> user.publish(payload, eventTime, emitter));
    }

    int pending() {
        return pendingCount;
    }

    int entries() {
        return entries.size();
    }

    long published() {
        return published;
    }

    long coalesced() {
        return coalesced;
    }
}
