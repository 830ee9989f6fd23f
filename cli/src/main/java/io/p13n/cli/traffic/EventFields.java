package io.p13n.cli.traffic;

import io.p13n.model.ClickEvent;
import io.p13n.model.OrderEvent;
import java.time.Instant;
import java.util.Comparator;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads and replaces the fields that clicks and orders share (customer id, event time), so that
 * code handling both kinds of event does not repeat the type switch.
 */
public final class EventFields {
    private EventFields() {}

    public static String customerId(SpecificRecordBase event) {
        if (event instanceof ClickEvent click) {
            return click.getCustomerId();
        }
        if (event instanceof OrderEvent order) {
            return order.getCustomerId();
        }
        throw unsupported(event);
    }

    public static Instant eventTime(SpecificRecordBase event) {
        if (event instanceof ClickEvent click) {
            return click.getEventTime();
        }
        if (event instanceof OrderEvent order) {
            return order.getEventTime();
        }
        throw unsupported(event);
    }

    /** Orders events by event time; with a stable sort, ties keep their order. */
    public static Comparator<SpecificRecordBase> byEventTime() {
        return Comparator.comparing(EventFields::eventTime);
    }

    /** A copy of the event with another event time; the original is left unchanged. */
    public static SpecificRecordBase withEventTime(SpecificRecordBase event, Instant eventTime) {
        if (event instanceof ClickEvent click) {
            return ClickEvent.newBuilder(click).setEventTime(eventTime).build();
        }
        if (event instanceof OrderEvent order) {
            return OrderEvent.newBuilder(order).setEventTime(eventTime).build();
        }
        throw unsupported(event);
    }

    private static IllegalArgumentException unsupported(SpecificRecordBase event) {
        return new IllegalArgumentException(
                "not a click or order: " + event.getSchema().getFullName());
    }
}
