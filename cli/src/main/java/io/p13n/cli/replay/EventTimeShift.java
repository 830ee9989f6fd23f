package io.p13n.cli.replay;

import io.p13n.cli.traffic.EventFields;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Moves a whole data set in time so that its last event happens at a given instant, keeping every
 * gap between events. Old data then looks current to the engine, whose windows, timers and "days
 * since last seen" are measured from event time.
 */
final class EventTimeShift {
    private EventTimeShift() {}

    /**
     * @param events sorted by event time; the last one lands on {@code lastEventTime}
     */
    static List<SpecificRecordBase> soLastEventIsAt(
            List<SpecificRecordBase> events, Instant lastEventTime) {
        if (events.isEmpty()) {
            return events;
        }
        Duration shift =
                Duration.between(
                        EventFields.eventTime(events.get(events.size() - 1)), lastEventTime);
        return events.stream()
                .map(
                        event ->
                                EventFields.withEventTime(
                                        event, EventFields.eventTime(event).plus(shift)))
                .toList();
    }
}
