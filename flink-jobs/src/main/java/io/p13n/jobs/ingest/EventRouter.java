package io.p13n.jobs.ingest;

import io.p13n.jobs.privacy.Pseudonyms;
import io.p13n.jobs.privacy.SearchQueries;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.ConsentEvent;
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.CustomerEvent;
import io.p13n.model.DeadLetter;
import io.p13n.model.DeadLetterKind;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.ReviewEvent;
import java.util.EnumMap;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * The entrance stage's routing, shared by its one-input and its erasure-aware form: decoded events
 * become {@link CustomerEvent}s, dead letters go to their output; counts events in by type and dead
 * letters by kind.
 */
final class EventRouter {
    private final EnumMap<ClickType, Counter> clicksIn = new EnumMap<>(ClickType.class);
    private final EnumMap<OrderStatus, Counter> ordersIn = new EnumMap<>(OrderStatus.class);
    private final EnumMap<DeadLetterKind, Counter> deadLetters =
            new EnumMap<>(DeadLetterKind.class);
    private final Counter consentsIn;
    private final Counter identificationsIn;
    private final Counter reviewsIn;
    private final Counter attributesIn;
    private final Pseudonyms pseudonyms;
    private final SearchQueries searchQueries;

    /**
     * @param pseudonymizationKey null: ids pass as they are; else each customer id is replaced by
     *     its pseudonym ({@link Pseudonyms}) before anything else sees it
     */
    EventRouter(MetricGroup group, String pseudonymizationKey) {
        this.pseudonyms = pseudonymizationKey == null ? null : new Pseudonyms(pseudonymizationKey);
        this.searchQueries = new SearchQueries(pseudonymizationKey);
        for (ClickType type : ClickType.values()) {
            clicksIn.put(type, group.addGroup("type", type.name()).counter("eventsIn"));
        }
        for (OrderStatus status : OrderStatus.values()) {
            ordersIn.put(
                    status, group.addGroup("type", "ORDER_" + status.name()).counter("eventsIn"));
        }
        consentsIn = group.addGroup("type", "CONSENT").counter("eventsIn");
        identificationsIn = group.addGroup("type", "IDENTIFY").counter("eventsIn");
        reviewsIn = group.addGroup("type", "REVIEW").counter("eventsIn");
        attributesIn = group.addGroup("type", "CUSTOMER_ATTRIBUTES").counter("eventsIn");
        for (DeadLetterKind kind : DeadLetterKind.values()) {
            deadLetters.put(kind, group.addGroup("kind", kind.name()).counter("deadLetters"));
        }
    }

    /** The customer id of a decoded event, null for a dead letter. */
    static String customerIdOf(Object payload) {
        if (payload instanceof ClickEvent click) {
            return click.getCustomerId();
        }
        if (payload instanceof OrderEvent order) {
            return order.getCustomerId();
        }
        if (payload instanceof ConsentEvent consent) {
            return consent.getCustomerId();
        }
        if (payload instanceof IdentifyEvent identify) {
            return identify.getAnonymousId();
        }
        if (payload instanceof ReviewEvent review) {
            return review.getCustomerId();
        }
        if (payload instanceof CustomerAttributesEvent attributes) {
            return attributes.getCustomerId();
        }
        return null;
    }

    /**
     * Replaces the customer id of a decoded event by its pseudonym, when pseudonymization is on.
     * The event is the decoder's own fresh object, so it may be changed. A search's text is
     * replaced by its keyed token whether or not ids are pseudonymized: it goes no further than
     * here (README, Searches).
     */
    void pseudonymize(Object payload) {
        if (payload instanceof ClickEvent click && click.getSearchQuery() != null) {
            click.setSearchQuery(searchQueries.token(click.getSearchQuery()));
        }
        if (pseudonyms == null) {
            return;
        }
        if (payload instanceof ClickEvent click) {
            click.setCustomerId(pseudonyms.of(click.getCustomerId()));
        } else if (payload instanceof OrderEvent order) {
            order.setCustomerId(pseudonyms.of(order.getCustomerId()));
        } else if (payload instanceof ConsentEvent consent) {
            consent.setCustomerId(pseudonyms.of(consent.getCustomerId()));
        } else if (payload instanceof IdentifyEvent identify) {
            identify.setAnonymousId(pseudonyms.of(identify.getAnonymousId()));
            identify.setCustomerId(pseudonyms.of(identify.getCustomerId()));
        } else if (payload instanceof ReviewEvent review) {
            review.setCustomerId(pseudonyms.of(review.getCustomerId()));
        } else if (payload instanceof CustomerAttributesEvent attributes) {
            attributes.setCustomerId(pseudonyms.of(attributes.getCustomerId()));
        }
    }

    /** The id the stages after the entrance know the customer by. */
    String customerIdFor(String raw) {
        return pseudonyms == null ? raw : pseudonyms.of(raw);
    }

    void route(Object payload, Collector<CustomerEvent> out, Consumer<DeadLetter> deadLetterOut) {
        if (payload instanceof ClickEvent click) {
            clicksIn.get(click.getType()).inc();
            out.collect(new CustomerEvent(payload));
        } else if (payload instanceof OrderEvent order) {
            ordersIn.get(order.getStatus()).inc();
            out.collect(new CustomerEvent(payload));
        } else if (payload instanceof ConsentEvent) {
            consentsIn.inc();
            out.collect(new CustomerEvent(payload));
        } else if (payload instanceof IdentifyEvent) {
            identificationsIn.inc();
            out.collect(new CustomerEvent(payload));
        } else if (payload instanceof ReviewEvent) {
            reviewsIn.inc();
            out.collect(new CustomerEvent(payload));
        } else if (payload instanceof CustomerAttributesEvent) {
            attributesIn.inc();
            out.collect(new CustomerEvent(payload));
        } else {
            deadLetter((DeadLetter) payload, deadLetterOut);
        }
    }

    void deadLetter(DeadLetter letter, Consumer<DeadLetter> deadLetterOut) {
        deadLetters.get(letter.getKind()).inc();
        deadLetterOut.accept(letter);
    }
}
