package io.p13n.cli.bench;

import io.p13n.cli.traffic.EventFields;
import io.p13n.cli.traffic.EventTopics;
import io.p13n.cli.traffic.StorefrontSimulator;
import io.p13n.model.CatalogEvent;
import io.p13n.model.ClickEvent;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.OrderEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The synthetic backlog the throughput phases drain: {@code events} events of the storefront
 * simulator ({@code seed}, {@code customers}, {@code products}, {@code categories}, {@code
 * sessions} shopping sessions open at once), with event times spread evenly over {@code span} and
 * ending at {@code endMillis}, so profiles see days pass, activity windows roll and
 * cart-abandonment timers fire, as in production. The same seed and sizes give the same events in
 * the same order; only the absolute times move with {@code endMillis}.
 */
record Workload(
        long events,
        int customers,
        int products,
        int categories,
        long seed,
        Duration span,
        int sessions,
        Signals signals) {

    /**
     * What the backlog mixes in beyond clicks and orders ({@link StorefrontSimulator}): catalog
     * changes (a share of the simulator's events; they go to the catalog stage, not the customer
     * stage), guest sessions that log in mid-session (an identification each, and an identity merge
     * with its hand-off round trip), reviews of a share of the placed orders, and the attributes a
     * share of the customers state on their first visit.
     */
    record Signals(
            double catalogChangeRate,
            double guestShare,
            double reviewRate,
            double attributesShare) {
        /** Clicks and orders only: the workload of the benchmarks before issue 11. */
        static final Signals NONE = new Signals(0, 0, 0, 0);

        /**
         * The demo's mix: a price or stock change every ~500 events (a catalog of 50,000 products
         * changing a few times a day at ~100 events/s), a fifth of sessions starting as guests,
         * three orders in ten reviewed, half the customers stating attributes.
         */
        static final Signals REALISTIC = new Signals(0.002, 0.2, 0.3, 0.5);

        boolean any() {
            return catalogChangeRate > 0 || guestShare > 0 || reviewRate > 0 || attributesShare > 0;
        }
    }

    /** Clicks and orders only. */
    Workload(
            long events,
            int customers,
            int products,
            int categories,
            long seed,
            Duration span,
            int sessions) {
        this(events, customers, products, categories, seed, span, sessions, Signals.NONE);
    }

    Workload {
        if (events < 1) {
            throw new IllegalArgumentException("events must be >= 1, was " + events);
        }
        if (customers < 1 || products < 1 || categories < 1) {
            throw new IllegalArgumentException("customers, products and categories must be >= 1");
        }
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be >= 1, was " + sessions);
        }
        if (span.isNegative()) {
            throw new IllegalArgumentException("span must not be negative, was " + span);
        }
        if (signals == null) {
            throw new IllegalArgumentException("signals must not be null (Signals.NONE: none)");
        }
    }

    /** Run id of the backlog's event ids: fixed per seed, so a rerun gives identical records. */
    String runId() {
        return "bench" + seed;
    }

    /** Event time of the {@code i}-th event (0-based) of a backlog ending at {@code endMillis}. */
    long eventTime(long i, long endMillis) {
        if (events == 1) {
            return endMillis;
        }
        long spanMillis = span.toMillis();
        return endMillis - spanMillis + (long) Math.floor((double) spanMillis * i / (events - 1));
    }

    /**
     * What the pre-fill wrote. {@code catalogChanges} go to the catalog stage; every other event
     * (clicks, orders, {@code identifications}, {@code otherSignals}) reaches the customer stage.
     */
    record Written(
            long events,
            long clicks,
            long orders,
            long catalogChanges,
            long identifications,
            long otherSignals,
            long distinctCustomers,
            long valueBytes,
            long firstEventTime,
            long lastEventTime,
            double seconds) {
        double eventsPerSecond() {
            return seconds > 0 ? events / seconds : 0;
        }

        /** The events the customer stage receives from the event topics. */
        long customerStageEvents() {
            return events - catalogChanges;
        }
    }

    /** A producer for bulk loading: leader-only acks, big lz4 batches. */
    static Producer<String, byte[]> bulkProducer(String bootstrapServers) {
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "p13n-bench-prefill",
                        ProducerConfig.ACKS_CONFIG,
                        "1",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        false,
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        512 * 1024,
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        128L * 1024 * 1024,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Produces the backlog and waits until the broker has acknowledged all of it.
     *
     * @param progress called now and then with the number of events sent so far
     */
    Written prefill(
            Producer<String, byte[]> producer,
            EventTopics topics,
            long endMillis,
            LongConsumer progress) {
        ManualClock clock = new ManualClock(eventTime(0, endMillis));
        StorefrontSimulator simulator =
                new StorefrontSimulator(
                                seed, customers, products, categories, clock, runId(), sessions)
                        .withCatalogChanges(signals.catalogChangeRate())
                        .withGuestSessions(signals.guestShare())
                        // no extra birthdays on the bench's day: the dates fall as in life
                        .withCustomerAttributes(signals.attributesShare(), 0)
                        .withReviews(signals.reviewRate());
        Set<String> seen = new HashSet<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong failed = new AtomicLong();
        long clicks = 0;
        long orders = 0;
        long catalogChanges = 0;
        long identifications = 0;
        long otherSignals = 0;
        long bytes = 0;
        long started = System.nanoTime();
        for (long i = 0; i < events; i++) {
            clock.set(eventTime(i, endMillis));
            SpecificRecordBase event = simulator.next();
            ProducerRecord<String, byte[]> record = topics.recordFor(event);
            if (event instanceof ClickEvent || event instanceof OrderEvent) {
                seen.add(EventFields.customerId(event));
            }
            if (event instanceof OrderEvent) {
                orders++;
            } else if (event instanceof ClickEvent) {
                clicks++;
            } else if (event instanceof CatalogEvent) {
                catalogChanges++;
            } else if (event instanceof IdentifyEvent) {
                identifications++;
            } else {
                otherSignals++;
            }
            bytes += record.value().length;
            producer.send(
                    record,
                    (metadata, e) -> {
                        if (e != null && failed.incrementAndGet() == 1) {
                            failure.set(e);
                        }
                    });
            if ((i & 0xFFFF) == 0) {
                progress.accept(i);
            }
        }
        producer.flush();
        progress.accept(events);
        if (failed.get() > 0) {
            throw new IllegalStateException(
                    failed.get() + " of " + events + " events could not be written to Kafka",
                    failure.get());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Written(
                events,
                clicks,
                orders,
                catalogChanges,
                identifications,
                otherSignals,
                seen.size(),
                bytes,
                eventTime(0, endMillis),
                eventTime(events - 1, endMillis),
                seconds);
    }
}
