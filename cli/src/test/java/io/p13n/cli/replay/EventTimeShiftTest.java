package io.p13n.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.traffic.EventFields;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class EventTimeShiftTest {

    @Test
    void movesTheLastEventToTheGivenTimeAndKeepsTheGaps() {
        List<SpecificRecordBase> events =
                List.of(
                        click("a", "2014-04-01T10:00:00Z"),
                        click("b", "2014-04-01T10:00:30Z"),
                        click("c", "2014-04-02T10:00:30Z"));

        List<SpecificRecordBase> shifted =
                EventTimeShift.soLastEventIsAt(events, Instant.parse("2026-01-10T12:00:00Z"));

        assertThat(shifted)
                .extracting(EventFields::eventTime)
                .containsExactly(
                        Instant.parse("2026-01-09T11:59:30Z"),
                        Instant.parse("2026-01-09T12:00:00Z"),
                        Instant.parse("2026-01-10T12:00:00Z"));
        assertThat(shifted)
                .extracting(e -> ((ClickEvent) e).getEventId())
                .containsExactly("a", "b", "c");
        // The input is left as it was.
        assertThat(EventFields.eventTime(events.get(2))).isEqualTo("2014-04-02T10:00:30Z");
    }

    private static ClickEvent click(String id, String time) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setCustomerId("s1")
                .setSessionId("1")
                .setType(ClickType.PRODUCT_VIEW)
                .setProductId("p")
                .setEventTime(Instant.parse(time))
                .build();
    }
}
