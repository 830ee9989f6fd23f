package io.p13n.jobs.ingest;

import io.p13n.model.CatalogEvent;
import io.p13n.model.ClickEvent;
import io.p13n.model.ConsentEvent;
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.CustomerEvent;
import io.p13n.model.DeadLetter;
import io.p13n.model.Erasure;
import io.p13n.model.ErasureRequest;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.IdentityHandOff;
import io.p13n.model.OrderEvent;
import io.p13n.model.ReviewEvent;
import io.p13n.model.SourceRecord;

/** Field access across the event types a {@link CustomerEvent} may carry. */
public final class CustomerEvents {
    private CustomerEvents() {}

    public static String customerId(CustomerEvent event) {
        Object payload = event.getPayload();
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
            // handled where the id merged away is kept (the checked event's anonymousId)
            return identify.getAnonymousId();
        }
        if (payload instanceof IdentityHandOff handOff) {
            return handOff.getReturned() ? handOff.getAnonymousId() : handOff.getCustomerId();
        }
        if (payload instanceof ReviewEvent review) {
            return review.getCustomerId();
        }
        if (payload instanceof CustomerAttributesEvent attributes) {
            return attributes.getCustomerId();
        }
        return ((Erasure) payload).getCustomerId();
    }

    public static long eventTimeMillis(CustomerEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof ClickEvent click) {
            return click.getEventTime().toEpochMilli();
        }
        if (payload instanceof OrderEvent order) {
            return order.getEventTime().toEpochMilli();
        }
        if (payload instanceof ConsentEvent consent) {
            return consent.getEventTime().toEpochMilli();
        }
        if (payload instanceof IdentifyEvent identify) {
            return identify.getEventTime().toEpochMilli();
        }
        if (payload instanceof IdentityHandOff handOff) {
            return handOff.getEventTime();
        }
        if (payload instanceof ReviewEvent review) {
            return review.getEventTime().toEpochMilli();
        }
        if (payload instanceof CustomerAttributesEvent attributes) {
            return attributes.getEventTime().toEpochMilli();
        }
        return ((Erasure) payload).getRequestedAt();
    }

    /**
     * The identity duplicates share. Clicks carry an event id; an order has one event per
     * life-cycle step, so (order id, status) identifies it — a re-sent "placed" is a duplicate, its
     * later "cancelled" is not.
     */
    public static String deduplicationKey(CustomerEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof ClickEvent) {
            return "c:" + ((ClickEvent) payload).getEventId();
        }
        if (payload instanceof ConsentEvent) {
            return "k:" + ((ConsentEvent) payload).getEventId();
        }
        if (payload instanceof Erasure erasure) {
            return "e:" + erasure.getRequestId();
        }
        if (payload instanceof IdentifyEvent identify) {
            return "i:" + identify.getEventId();
        }
        if (payload instanceof IdentityHandOff handOff) {
            return (handOff.getReturned() ? "r:" : "h:") + handOff.getIdentifyEventId();
        }
        if (payload instanceof ReviewEvent review) {
            return "v:" + review.getEventId();
        }
        if (payload instanceof CustomerAttributesEvent attributes) {
            return "a:" + attributes.getEventId();
        }
        OrderEvent order = (OrderEvent) payload;
        return "o:" + order.getOrderId() + ":" + order.getStatus();
    }

    /**
     * Event time for watermarking. Dead letters get {@code Long.MIN_VALUE} so they never move the
     * watermark: a garbage record stamped "now" in the middle of a historical replay would
     * otherwise make every later replayed event late.
     */
    public static long timestampOf(SourceRecord record) {
        Object payload = record.getPayload();
        if (payload instanceof ClickEvent) {
            return ((ClickEvent) payload).getEventTime().toEpochMilli();
        }
        if (payload instanceof OrderEvent) {
            return ((OrderEvent) payload).getEventTime().toEpochMilli();
        }
        if (payload instanceof ConsentEvent) {
            return ((ConsentEvent) payload).getEventTime().toEpochMilli();
        }
        if (payload instanceof ErasureRequest request) {
            return request.getRequestedAt().toEpochMilli();
        }
        if (payload instanceof IdentifyEvent identify) {
            return identify.getEventTime().toEpochMilli();
        }
        if (payload instanceof CatalogEvent change) {
            return change.getEventTime().toEpochMilli();
        }
        if (payload instanceof ReviewEvent review) {
            return review.getEventTime().toEpochMilli();
        }
        if (payload instanceof CustomerAttributesEvent attributes) {
            return attributes.getEventTime().toEpochMilli();
        }
        assert payload instanceof DeadLetter;
        return Long.MIN_VALUE;
    }
}
