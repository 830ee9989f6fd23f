package io.p13n.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.config.DailyWindow;
import io.p13n.model.MessageChannel;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final DailyWindow NIGHT = DailyWindow.parse("21:00-08:00");

    private static final QuietHours PUSH_AT_NIGHT =
            new QuietHours(Map.of(MessageChannel.PUSH, NIGHT), ZoneId.of("UTC"));

    private static long at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant().toEpochMilli();
    }

    private static String local(long millis, ZoneId zone) {
        return Instant.ofEpochMilli(millis).atZone(zone).toLocalDateTime().toString();
    }

    @Test
    void shouldHoldAnOfferDecidedBeforeMidnightUntilTheNextMorning() {
        long decided = at("2026-12-07T23:50", BERLIN);

        long delivered = PUSH_AT_NIGHT.deliverAt(MessageChannel.PUSH, decided, "Europe/Berlin");

        assertThat(local(delivered, BERLIN)).isEqualTo("2026-12-08T08:00");
    }

    @Test
    void shouldHoldAnOfferDecidedAfterMidnightUntilTheSameMorning() {
        long decided = at("2026-12-08T03:10", BERLIN);

        assertThat(
                        local(
                                PUSH_AT_NIGHT.deliverAt(
                                        MessageChannel.PUSH, decided, "Europe/Berlin"),
                                BERLIN))
                .isEqualTo("2026-12-08T08:00");
    }

    @Test
    void shouldDeliverAtOnceOutsideTheWindowAndAtItsEdges() {
        long morning = at("2026-12-08T08:00", BERLIN);
        long evening = at("2026-12-08T20:59:59", BERLIN);

        assertThat(PUSH_AT_NIGHT.deliverAt(MessageChannel.PUSH, morning, "Europe/Berlin"))
                .as("the end is outside the window")
                .isEqualTo(morning);
        assertThat(PUSH_AT_NIGHT.deliverAt(MessageChannel.PUSH, evening, "Europe/Berlin"))
                .isEqualTo(evening);
        long nine = at("2026-12-08T21:00", BERLIN);
        assertThat(
                        local(
                                PUSH_AT_NIGHT.deliverAt(MessageChannel.PUSH, nine, "Europe/Berlin"),
                                BERLIN))
                .as("the start is inside")
                .isEqualTo("2026-12-09T08:00");
    }

    @Test
    void shouldReadTheWindowInTheCustomersZone() {
        // 23:50 in Berlin is 17:50 in New York: quiet for one, not for the other.
        long decided = at("2026-12-07T23:50", BERLIN);

        assertThat(PUSH_AT_NIGHT.deliverAt(MessageChannel.PUSH, decided, "America/New_York"))
                .isEqualTo(decided);
        assertThat(
                        local(
                                PUSH_AT_NIGHT.deliverAt(
                                        MessageChannel.PUSH, decided, "Europe/Berlin"),
                                BERLIN))
                .isEqualTo("2026-12-08T08:00");
    }

    @Test
    void shouldUseTheDefaultZoneForACustomerWithoutOneOrWithAnUnknownOne() {
        QuietHours berlinByDefault = new QuietHours(Map.of(MessageChannel.PUSH, NIGHT), BERLIN);
        long decided = at("2026-12-07T23:50", BERLIN);

        assertThat(local(berlinByDefault.deliverAt(MessageChannel.PUSH, decided, null), BERLIN))
                .isEqualTo("2026-12-08T08:00");
        assertThat(local(berlinByDefault.deliverAt(MessageChannel.PUSH, decided, " "), BERLIN))
                .isEqualTo("2026-12-08T08:00");
        assertThat(
                        local(
                                berlinByDefault.deliverAt(
                                        MessageChannel.PUSH, decided, "Mars/Olympus"),
                                BERLIN))
                .isEqualTo("2026-12-08T08:00");
        assertThat(berlinByDefault.zoneOf("America/New_York")).isEqualTo(NEW_YORK);
    }

    @Test
    void shouldNeverHoldAChannelWithoutQuietHours() {
        long decided = at("2026-12-07T23:50", ZoneId.of("UTC"));

        assertThat(PUSH_AT_NIGHT.deliverAt(MessageChannel.EMAIL, decided, null)).isEqualTo(decided);
        assertThat(PUSH_AT_NIGHT.deliverAt(MessageChannel.ONSITE, decided, null))
                .isEqualTo(decided);
        assertThat(PUSH_AT_NIGHT.deliverAt(null, decided, null)).isEqualTo(decided);
        assertThat(QuietHours.none().any()).isFalse();
        assertThatThrownBy(
                        () ->
                                new QuietHours(
                                        Map.of(MessageChannel.ONSITE, NIGHT), ZoneId.of("UTC")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ONSITE");
    }

    @Test
    void shouldHoldAWindowWithinOneDay() {
        QuietHours lunch =
                new QuietHours(
                        Map.of(MessageChannel.SMS, DailyWindow.parse("12:00-14:00")),
                        ZoneId.of("UTC"));

        assertThat(
                        local(
                                lunch.deliverAt(
                                        MessageChannel.SMS,
                                        at("2026-12-08T13:59", ZoneId.of("UTC")),
                                        null),
                                ZoneId.of("UTC")))
                .isEqualTo("2026-12-08T14:00");
        long evening = at("2026-12-08T23:00", ZoneId.of("UTC"));
        assertThat(lunch.deliverAt(MessageChannel.SMS, evening, null)).isEqualTo(evening);
    }

    @Test
    void shouldCountTheNightInWallClockHoursOnTheSpringForwardNight() {
        // Europe/Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST. The night 21:00-08:00 is one
        // hour shorter, and ends at 08:00 CEST = 06:00 UTC (08:00 CET the day before = 07:00 UTC).
        long decided = at("2026-03-28T23:50", BERLIN);

        long delivered = PUSH_AT_NIGHT.deliverAt(MessageChannel.PUSH, decided, "Europe/Berlin");

        assertThat(local(delivered, BERLIN)).isEqualTo("2026-03-29T08:00");
        assertThat(Instant.ofEpochMilli(delivered))
                .isEqualTo(Instant.parse("2026-03-29T06:00:00Z"));
    }

    @Test
    void shouldOpenAtTheJumpWhenTheWindowEndsInTheSkippedHour() {
        // 02:30 does not exist on 2026-03-29 in Berlin: the clock goes from 01:59:59 to 03:00,
        // which is when a window ending at 02:30 is over.
        QuietHours early =
                new QuietHours(
                        Map.of(MessageChannel.PUSH, DailyWindow.parse("22:00-02:30")), BERLIN);
        long decided = at("2026-03-29T01:15", BERLIN);

        long delivered = early.deliverAt(MessageChannel.PUSH, decided, null);

        assertThat(local(delivered, BERLIN)).isEqualTo("2026-03-29T03:00");
        assertThat(Instant.ofEpochMilli(delivered))
                .isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    }

    @Test
    void shouldOpenAtTheNextOccurrenceOfAnEndTheFallBackClockShowsTwice() {
        // America/New_York, 2026-11-01: 02:00 EDT becomes 01:00 EST, so 01:30 is shown twice.
        QuietHours early =
                new QuietHours(
                        Map.of(MessageChannel.PUSH, DailyWindow.parse("22:00-01:30")), NEW_YORK);

        long beforeMidnight = at("2026-10-31T23:00", NEW_YORK);
        assertThat(Instant.ofEpochMilli(early.deliverAt(MessageChannel.PUSH, beforeMidnight, null)))
                .as("the first 01:30 (EDT)")
                .isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));

        // 01:15 the second time (EST): the first 01:30 is past, the second one is next.
        long secondPass =
                ZonedDateTime.ofStrict(
                                LocalDateTime.parse("2026-11-01T01:15"),
                                java.time.ZoneOffset.ofHours(-5),
                                NEW_YORK)
                        .toInstant()
                        .toEpochMilli();
        assertThat(Instant.ofEpochMilli(early.deliverAt(MessageChannel.PUSH, secondPass, null)))
                .isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
    }

    @Test
    void shouldHoldTheFallBackNightForItsLongerWallClockLength() {
        // Europe/Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET; 08:00 CET is 07:00 UTC.
        long decided = at("2026-10-24T22:00", BERLIN); // 20:00 UTC

        long delivered = PUSH_AT_NIGHT.deliverAt(MessageChannel.PUSH, decided, "Europe/Berlin");

        assertThat(Instant.ofEpochMilli(delivered))
                .isEqualTo(Instant.parse("2026-10-25T07:00:00Z"));
        assertThat(delivered - decided)
                .as("11 hours: 10 of clock plus the repeated one")
                .isEqualTo(11 * 3_600_000L);
    }

    @Test
    void shouldParseAndRefuseWindows() {
        assertThat(DailyWindow.parse("21:00-08:00").wrapsMidnight()).isTrue();
        assertThat(DailyWindow.parse(" 9:30 - 17:00 ").toString()).isEqualTo("09:30-17:00");
        assertThat(DailyWindow.parse("00:00-06:00").wrapsMidnight()).isFalse();
        assertThat(DailyWindow.parse("22:00-00:00").wrapsMidnight())
                .as("until midnight ends on the next day")
                .isTrue();
        for (String bad :
                new String[] {
                    "21:00",
                    "21-08",
                    "25:00-08:00",
                    "21:00-08:60",
                    "08:00-08:00",
                    "",
                    "21:00-08:00-09:00",
                    "24:00-06:00"
                }) {
            assertThatThrownBy(() -> DailyWindow.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
