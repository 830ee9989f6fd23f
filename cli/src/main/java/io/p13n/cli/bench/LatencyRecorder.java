package io.p13n.cli.bench;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches events sent to their Redis writes. The sender registers each measured event's time (its
 * event time, which is also its Kafka record timestamp) under its customer; when Redis reports a
 * write of that customer's profile at {@code writtenAt}, whose {@code updatedAt} field is {@code
 * updatedAt}, every registered event of the customer with an event time at or before {@code
 * updatedAt} is in that write: its latency is {@code writtenAt - eventTime}.
 *
 * <p>Thread-safe: one thread sends, another resolves writes.
 */
final class LatencyRecorder {
    private final ConcurrentHashMap<String, ArrayDeque<Long>> pending = new ConcurrentHashMap<>();
    private final Percentiles latencies = new Percentiles();

    /** Event time and latency of every observed event, for attributing the tail to checkpoints. */
    private final java.util.List<long[]> pairs = new java.util.ArrayList<>();

    private final AtomicLong registered = new AtomicLong();
    private final AtomicLong observed = new AtomicLong();

    /** An event of {@code customer} sent at (and stamped with) {@code eventTime}. */
    void sent(String customer, long eventTime) {
        ArrayDeque<Long> queue = pending.computeIfAbsent(customer, c -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addLast(eventTime);
        }
        registered.incrementAndGet();
    }

    /**
     * Redis wrote {@code customer}'s profile with {@code updatedAt} at {@code writtenAt} (millis).
     */
    void written(String customer, long updatedAt, long writtenAt) {
        ArrayDeque<Long> queue = pending.get(customer);
        if (queue == null) {
            return; // no measured event of this customer (yet): a warm-up event or a timer's write
        }
        synchronized (queue) {
            while (!queue.isEmpty() && queue.peekFirst() <= updatedAt) {
                long eventTime = queue.pollFirst();
                synchronized (latencies) {
                    long latency = Math.max(0, writtenAt - eventTime);
                    latencies.add(latency);
                    pairs.add(new long[] {eventTime, latency});
                }
                observed.incrementAndGet();
            }
        }
    }

    long registered() {
        return registered.get();
    }

    long observed() {
        return observed.get();
    }

    /** The latencies so far (a snapshot copy is not needed: read it after sending has stopped). */
    Percentiles latencies() {
        synchronized (latencies) {
            return latencies;
        }
    }

    /**
     * Latencies of the events sent outside the given windows ({@code [from, to]} in event-time
     * millis, e.g. around checkpoints): what the tail looks like without them.
     */
    Percentiles latenciesOutside(java.util.List<long[]> windows) {
        Percentiles outside = new Percentiles();
        synchronized (latencies) {
            for (long[] pair : pairs) {
                boolean inside = false;
                for (long[] w : windows) {
                    if (pair[0] >= w[0] && pair[0] <= w[1]) {
                        inside = true;
                        break;
                    }
                }
                if (!inside) {
                    outside.add(pair[1]);
                }
            }
        }
        return outside;
    }

    /** The customer id inside a profile key {@code PREFIX:{c:ID}:profile}, or null. */
    static String customerOfKey(String key) {
        int open = key.indexOf("{c:");
        int close = open < 0 ? -1 : key.indexOf('}', open);
        return close < 0 ? null : key.substring(open + 3, close);
    }
}
