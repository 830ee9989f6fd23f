package io.p13n.cli.traffic;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Gives simulated events their identity and time: event, session and order ids that are unique
 * within a run (a run id prefix and a counter, so the same seed and run id reproduce the same ids),
 * and the time source's current instant as event time.
 */
final class EventStamper {
    private final String runId;
    private final Clock clock;
    private long events;
    private long sessions;
    private long orders;
    private long identifications;
    private long guests;

    EventStamper(String runId, Clock clock) {
        this.runId = runId;
        this.clock = clock;
    }

    /**
     * Now, cut to milliseconds: the event time travels as Avro {@code timestamp-millis}, so a finer
     * instant would not survive a round trip through Kafka.
     */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    String nextSessionId() {
        return runId + "-s" + Long.toString(sessions++, 36);
    }

    String nextOrderId() {
        return runId + "-o" + Long.toString(orders++, 36);
    }

    String nextIdentifyId() {
        return runId + "-i" + Long.toString(identifications++, 36);
    }

    /** A guest's anonymous id (a cookie or device id), unique within the run. */
    String nextGuestId() {
        return runId + "-guest-" + Long.toString(guests++, 36);
    }

    /** A click builder with id, customer, session, type, channel and event time already set. */
    ClickEvent.Builder click(String customerId, String sessionId, ClickType type, Channel channel) {
        return ClickEvent.newBuilder()
                .setEventId(runId + "-e" + Long.toString(events++, 36))
                .setCustomerId(customerId)
                .setSessionId(sessionId)
                .setType(type)
                .setChannel(channel)
                .setEventTime(now());
    }
}
