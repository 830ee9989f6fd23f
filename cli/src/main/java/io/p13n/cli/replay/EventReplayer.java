package io.p13n.cli.replay;

import io.p13n.cli.traffic.EventFields;
import io.p13n.cli.traffic.EventTopics;
import io.p13n.model.ClickEvent;
import io.p13n.model.OrderEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to Kafka in the order given (event-time order), either as fast as possible or paced
 * by their event times compressed by a speed-up factor: with speed-up 60, an hour of data is sent
 * in a minute, each event at its scaled offset from the first. Counts acknowledged events per type
 * ({@code PRODUCT_VIEW}, {@code ORDER_PLACED}, ...). {@link #stop()} may be called from any thread.
 */
public final class EventReplayer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventReplayer.class);
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<String, byte[]> producer;
    private final EventTopics topics;
    private final double speedup;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<String, LongAdder> sentByType = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<String> firstFailure =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * @param producer where to send; closed by {@link #close()}
     * @param topics topic per event kind
     * @param speedup event-time gaps are divided by this when sending; 0 sends as fast as possible
     */
    public EventReplayer(Producer<String, byte[]> producer, EventTopics topics, double speedup) {
        if (speedup < 0 || Double.isNaN(speedup) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException(
                    "speed-up must be 0 (as fast as possible) or positive, was " + speedup);
        }
        this.producer = producer;
        this.topics = topics;
        this.speedup = speedup;
    }

    /**
     * Sends the events, blocking until all are sent and flushed or {@link #stop()} is called. When
     * the thread is interrupted it throws at once, without flushing: {@link #close()} still sends
     * what was handed to the producer.
     *
     * @param events sorted by event time
     */
    public void replay(List<SpecificRecordBase> events) throws InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        long wallStart = System.nanoTime();
        long firstMillis = EventFields.eventTime(events.get(0)).toEpochMilli();
        for (SpecificRecordBase event : events) {
            if (speedup > 0) {
                long offsetMillis = EventFields.eventTime(event).toEpochMilli() - firstMillis;
                sleepUntil(wallStart + (long) (offsetMillis * 1e6 / speedup));
            }
            if (stopped.get()) {
                break;
            }
            send(event);
        }
        producer.flush();
    }

    /** Asks {@link #replay} to finish after the event in hand; safe from any thread. */
    public void stop() {
        stopped.set(true);
    }

    /** Acknowledged events per type, in name order: click types and {@code ORDER_<status>}. */
    public Map<String, Long> sentByType() {
        Map<String, Long> counts = new TreeMap<>();
        sentByType.forEach((type, count) -> counts.put(type, count.sum()));
        return counts;
    }

    /** Events the producer gave up on (the first failure is logged with its cause). */
    public long failures() {
        return failures.get();
    }

    /**
     * Why the first failed record failed (the producer's exception, e.g. an authentication
     * failure), or null if none did. Kafka's messages name the problem, never a credential.
     */
    public String firstFailure() {
        return firstFailure.get();
    }

    /** Stops and closes the Kafka producer, waiting up to 10 s for records in flight. */
    @Override
    public void close() {
        stop();
        producer.close(CLOSE_TIMEOUT);
    }

    private void sleepUntil(long dueNanos) throws InterruptedException {
        for (long wait = dueNanos - System.nanoTime();
                wait > 0 && !stopped.get();
                wait = dueNanos - System.nanoTime()) {
            // Slices, so that a stop request does not wait for a long gap in the data.
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, MAX_SLEEP_NANOS));
        }
    }

    private void send(SpecificRecordBase event) {
        String type = typeOf(event);
        var record = topics.recordFor(event);
        producer.send(
                record,
                (metadata, exception) -> {
                    if (exception == null) {
                        sentByType.computeIfAbsent(type, t -> new LongAdder()).increment();
                    } else if (failures.incrementAndGet() == 1) {
                        firstFailure.compareAndSet(null, exception.toString());
                        LOG.warn(
                                "sending to {} failed; further failures are only counted",
                                record.topic(),
                                exception);
                    }
                });
    }

    private static String typeOf(SpecificRecordBase event) {
        if (event instanceof ClickEvent click) {
            return click.getType().name();
        }
        return "ORDER_" + ((OrderEvent) event).getStatus().name();
    }
}
