package io.p13n.cli.traffic;

import io.p13n.model.CatalogEvent;
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.ReviewEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link StorefrontSimulator}'s traffic to Kafka at a target rate, mixing in bad records at
 * a given share for the dead-letter demo. {@link #run} blocks the calling thread until the time or
 * event limit is reached or {@link #stop()} is called (from any thread), then flushes. The counters
 * count records the broker acknowledged and can be read from any thread while it runs.
 *
 * <p>Typical use in the background:
 *
 * <pre>{@code
 * var simulator = new StorefrontSimulator(42, 10_000, 5_000, 50, Clock.systemUTC(), "demo-1");
 * var traffic = new TrafficProducer(simulator, EventProducers.create(bootstrap, "demo-traffic"),
 *     new EventTopics("clicks", "orders"), 500, 0.01);
 * Thread thread = new Thread(() -> traffic.run(null, 0), "traffic");
 * thread.start();
 * ... traffic.clicksSent(), traffic.ordersSent(), traffic.badRecordsSent() ...
 * traffic.stop();
 * thread.join();
 * traffic.close();
 * }</pre>
 *
 * <p>The simulator must not be used by anyone else meanwhile: it is not thread-safe.
 */
public final class TrafficProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficProducer.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final StorefrontSimulator simulator;
    private final Producer<String, byte[]> producer;
    private final EventTopics topics;
    private final double eventsPerSecond;
    private final double badRecordRate;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final LongAdder clicksSent = new LongAdder();
    private final LongAdder ordersSent = new LongAdder();
    private final LongAdder catalogChangesSent = new LongAdder();
    private final LongAdder identificationsSent = new LongAdder();
    private final LongAdder attributesSent = new LongAdder();
    private final LongAdder reviewsSent = new LongAdder();
    private final LongAdder badRecordsSent = new LongAdder();
    private final AtomicLong failures = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<String> firstFailure =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * @param simulator source of events, used only by the thread that calls {@link #run}
     * @param producer where to send; closed by {@link #close()}
     * @param topics topic per event kind
     * @param eventsPerSecond target rate of all records, bad ones included; 0 for as fast as
     *     possible
     * @param badRecordRate share of records that are bad, 0 to 1
     */
    public TrafficProducer(
            StorefrontSimulator simulator,
            Producer<String, byte[]> producer,
            EventTopics topics,
            double eventsPerSecond,
            double badRecordRate) {
        if (badRecordRate < 0 || badRecordRate > 1) {
            throw new IllegalArgumentException(
                    "bad record rate must be within 0..1, was " + badRecordRate);
        }
        if (eventsPerSecond < 0 || Double.isNaN(eventsPerSecond)) {
            throw new IllegalArgumentException(
                    "rate must be 0 (unlimited) or positive, was " + eventsPerSecond);
        }
        this.simulator = simulator;
        this.producer = producer;
        this.topics = topics;
        this.eventsPerSecond = eventsPerSecond;
        this.badRecordRate = badRecordRate;
    }

    /**
     * Sends until {@code maxDuration} has passed, {@code maxEvents} records were sent, or {@link
     * #stop()} is called, whichever comes first; then flushes, so that when it returns every record
     * is acknowledged or counted as failed. Interrupting the thread stops it too. A stopped
     * producer does not start again: calling this after {@link #stop()} returns at once.
     *
     * @param maxDuration how long to send; {@code null} for no limit
     * @param maxEvents how many records to send, bad ones included; 0 or less for no limit
     */
    public void run(Duration maxDuration, long maxEvents) {
        long deadline = maxDuration == null ? 0 : System.nanoTime() + maxDuration.toNanos();
        RatePacer pacer = new RatePacer(eventsPerSecond);
        long submitted = 0;
        boolean interrupted = false;
        try {
            while (!stopped.get()
                    && (maxEvents <= 0 || submitted < maxEvents)
                    && (maxDuration == null || System.nanoTime() - deadline < 0)) {
                sendOne();
                submitted++;
                pacer.eventSent(() -> !stopped.get());
            }
        } catch (InterruptedException e) {
            stopped.set(true);
            interrupted = true;
        }
        // Restore the interrupt only after flushing: an interrupted thread cannot wait for the
        // flush.
        try {
            producer.flush();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks {@link #run} to finish; safe from any thread, including a shutdown hook. */
    public void stop() {
        stopped.set(true);
    }

    /** Click events acknowledged by the broker. */
    public long clicksSent() {
        return clicksSent.sum();
    }

    /** Order events (placed, cancelled, refunded) acknowledged by the broker. */
    public long ordersSent() {
        return ordersSent.sum();
    }

    /** Catalog changes acknowledged by Kafka (only with the simulator's catalog changes on). */
    public long catalogChangesSent() {
        return catalogChangesSent.sum();
    }

    /** Guests' logins acknowledged by Kafka (only with the simulator's guest sessions on). */
    public long identificationsSent() {
        return identificationsSent.sum();
    }

    /** Customer attributes acknowledged by Kafka (only with the simulator's attributes on). */
    public long attributesSent() {
        return attributesSent.sum();
    }

    /** Reviews acknowledged by Kafka (only with the simulator's reviews on). */
    public long reviewsSent() {
        return reviewsSent.sum();
    }

    /** Bad records acknowledged by the broker. */
    public long badRecordsSent() {
        return badRecordsSent.sum();
    }

    /** All records acknowledged by the broker. */
    public long recordsSent() {
        return clicksSent()
                + ordersSent()
                + catalogChangesSent()
                + identificationsSent()
                + attributesSent()
                + reviewsSent()
                + badRecordsSent();
    }

    /** Records the producer gave up on (the first failure is logged with its cause). */
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

    /** Stops sending and closes the Kafka producer, waiting up to 10 s for records in flight. */
    @Override
    public void close() {
        stop();
        producer.close(CLOSE_TIMEOUT);
    }

    private void sendOne() {
        Optional<BadRecord> bad = simulator.nextBadRecord(badRecordRate);
        if (bad.isPresent()) {
            send(topics.recordFor(bad.get()), badRecordsSent);
            return;
        }
        SpecificRecordBase event = simulator.next();
        send(
                topics.recordFor(event),
                event instanceof OrderEvent
                        ? ordersSent
                        : event instanceof CatalogEvent
                                ? catalogChangesSent
                                : event instanceof IdentifyEvent
                                        ? identificationsSent
                                        : event instanceof CustomerAttributesEvent
                                                ? attributesSent
                                                : event instanceof ReviewEvent
                                                        ? reviewsSent
                                                        : clicksSent);
    }

    private void send(ProducerRecord<String, byte[]> record, LongAdder onSuccess) {
        Callback callback =
                (metadata, exception) -> {
                    if (exception == null) {
                        onSuccess.increment();
                        return;
                    }
                    if (failures.incrementAndGet() == 1) {
                        firstFailure.compareAndSet(null, exception.toString());
                        LOG.warn(
                                "sending to {} failed; further failures are only counted",
                                record.topic(),
                                exception);
                    }
                };
        producer.send(record, callback);
    }
}
