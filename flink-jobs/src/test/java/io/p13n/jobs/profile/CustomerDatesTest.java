package io.p13n.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerDatesTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Duration TTL = Duration.ofDays(400);

    private final CustomerDates dates = new CustomerDates(UTC, 0, TTL);

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static CustomerProfile customer(String birthday, String zone, String signup) {
        return CustomerProfile.newBuilder()
                .setCustomerId("c1")
                .setBirthday(birthday)
                .setTimeZone(zone)
                .setSignupDay(signup == null ? 0 : LocalDate.parse(signup).toEpochDay())
                .build();
    }

    /** The customer states the attributes at {@code now} (their last event then). */
    private static CustomerProfile stated(CustomerDates dates, CustomerProfile p, String now) {
        p.setLastEventTime(at(now));
        dates.restated(p, at(now), at(now));
        return p;
    }

    private static CustomerProfile stated(CustomerProfile p, String now) {
        return stated(new CustomerDates(UTC, 0, TTL), p, now);
    }

    private static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    // ---- local midnight, either side of UTC, year roll-over ------------------------------------

    @Test
    void shouldFireABirthdayAtLocalMidnightEastOfUtcOnceAYear() {
        CustomerProfile p =
                stated(customer("03-14", "Europe/Berlin", null), "2026-01-10T12:00:00Z");
        // 00:00 CET (UTC+1) on 14 March is 23:00 UTC on the 13th
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2026-03-13T23:00:00Z");
        assertThat(dates.due(p, at("2026-03-13T22:59:59.999Z"))).isEmpty();

        List<CustomerMoment> moments = dates.due(p, at("2026-03-13T23:00:00Z"));

        assertThat(moments)
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.getCustomerId()).isEqualTo("c1");
                            assertThat(m.getTrigger()).isEqualTo(TriggerType.BIRTHDAY);
                            assertThat(instant(m.getEventTime())).isEqualTo("2026-03-13T23:00:00Z");
                            assertThat(m.getReason()).isEqualTo("birthday on 2026-03-14");
                            assertThat(m.getProductId()).isNull();
                            assertThat(m.getCategoryId()).isNull();
                        });
        assertThat(p.getBirthdayMomentYear()).isEqualTo(2026);
        assertThat(dates.due(p, at("2026-03-14T12:00:00Z"))).as("the same day again").isEmpty();
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2027-03-13T23:00:00Z");
        assertThat(dates.due(p, at("2027-03-13T23:00:00Z")))
                .extracting(CustomerMoment::getReason)
                .containsExactly("birthday on 2027-03-14");
    }

    @Test
    void shouldFireABirthdayAtLocalMidnightWestOfUtcInSummerTime() {
        CustomerProfile p =
                stated(customer("07-04", "America/Los_Angeles", null), "2026-01-10T12:00:00Z");
        // PDT is UTC-7
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2026-07-04T07:00:00Z");
        assertThat(dates.due(p, at("2026-07-04T06:59:00Z"))).isEmpty();
        assertThat(dates.due(p, at("2026-07-04T07:00:00Z"))).hasSize(1);
    }

    @Test
    void shouldRollOverTheYearInTheCustomersZone() {
        // New Year's Day in Auckland (UTC+13 in summer) starts at 11:00 UTC on 31 December
        CustomerProfile p =
                stated(customer("01-01", "Pacific/Auckland", null), "2026-06-01T00:00:00Z");
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2026-12-31T11:00:00Z");

        List<CustomerMoment> moments = dates.due(p, at("2026-12-31T11:00:00Z"));

        assertThat(moments)
                .extracting(CustomerMoment::getReason)
                .containsExactly("birthday on 2027-01-01");
        assertThat(p.getBirthdayMomentYear()).as("the birthday's year, not UTC's").isEqualTo(2027);
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2027-12-31T11:00:00Z");
    }

    @Test
    void shouldFireOnNewYearsEveWestOfUtcInTheSameYear() {
        // 31 December in Honolulu (UTC-10) lasts until 10:00 UTC on 1 January
        CustomerProfile p =
                stated(customer("12-31", "Pacific/Honolulu", null), "2026-12-31T12:00:00Z");
        List<CustomerMoment> moments = dates.due(p, at("2027-01-01T09:59:00Z"));

        assertThat(moments)
                .as("stated on the birthday itself, local time")
                .extracting(CustomerMoment::getReason)
                .containsExactly("birthday on 2026-12-31");
        assertThat(p.getBirthdayMomentYear()).isEqualTo(2026);
    }

    @Test
    void shouldUseTheDefaultZoneForCustomersWhoStatedNone() {
        CustomerDates tokyo = new CustomerDates(ZoneId.of("Asia/Tokyo"), 0, TTL);
        CustomerProfile p = stated(tokyo, customer("05-05", null, null), "2026-01-01T00:00:00Z");
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2026-05-04T15:00:00Z");

        CustomerProfile unknownZone =
                stated(tokyo, customer("05-05", "Mars/Olympus_Mons", null), "2026-01-01T00:00:00Z");
        assertThat(instant(unknownZone.getNextDateMoment()))
                .as("a zone this JVM does not know")
                .isEqualTo("2026-05-04T15:00:00Z");
    }

    // ---- February 29 ---------------------------------------------------------------------------

    @Test
    void shouldCelebrateFebruary29OnFebruary28InCommonYears() {
        CustomerProfile p = stated(customer("02-29", "UTC", null), "2026-06-01T00:00:00Z");
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2027-02-28T00:00:00Z");

        assertThat(dates.due(p, at("2027-02-28T00:00:00Z")))
                .extracting(CustomerMoment::getReason)
                .containsExactly("birthday on 2027-02-28");
        assertThat(instant(p.getNextDateMoment()))
                .as("a leap year has the day itself")
                .isEqualTo("2028-02-29T00:00:00Z");
        assertThat(dates.due(p, at("2028-02-28T12:00:00Z"))).isEmpty();
        assertThat(dates.due(p, at("2028-02-29T00:00:00Z"))).hasSize(1);
    }

    @Test
    void shouldGiveASignupOnFebruary29ItsAnniversaryOnFebruary28() {
        CustomerProfile p = stated(customer(null, "UTC", "2024-02-29"), "2024-03-01T00:00:00Z");
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2025-02-28T00:00:00Z");
        assertThat(dates.due(p, at("2025-02-28T00:00:00Z")))
                .extracting(CustomerMoment::getTrigger, CustomerMoment::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                TriggerType.SIGNUP_ANNIVERSARY,
                                "signup anniversary (1 year) on 2025-02-28"));
    }

    // ---- daylight saving time -----------------------------------------------------------------

    @Test
    void shouldStartADayWhoseMidnightDaylightSavingSkipsAtItsFirstInstant() {
        // São Paulo began summer time at midnight on 4 November 2018: the day started at 01:00
        // (-02:00), 03:00 UTC
        CustomerProfile p =
                stated(customer("11-04", "America/Sao_Paulo", null), "2018-06-01T00:00:00Z");
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2018-11-04T03:00:00Z");
        assertThat(dates.due(p, at("2018-11-04T03:00:00Z"))).hasSize(1);
    }

    @Test
    void shouldCountA25HourDayToItsEnd() {
        // Berlin leaves summer time on 25 October 2026: that day lasts 25 hours, 22:00 to 23:00 UTC
        CustomerProfile stillTheDay =
                stated(customer("10-25", "Europe/Berlin", null), "2026-10-25T22:30:00Z");
        assertThat(dates.due(stillTheDay, at("2026-10-25T22:30:00Z")))
                .extracting(m -> instant(m.getEventTime()))
                .containsExactly("2026-10-24T22:00:00Z");

        CustomerProfile dayOver =
                stated(customer("10-25", "Europe/Berlin", null), "2026-10-25T23:00:00Z");
        assertThat(dates.due(dayOver, at("2026-10-25T23:00:00Z"))).isEmpty();
        assertThat(instant(dayOver.getNextDateMoment())).isEqualTo("2027-10-24T22:00:00Z");
    }

    // ---- attributes that arrive late ------------------------------------------------------------

    @Test
    void shouldFireAtOnceForABirthdayStatedWhileItsDayIsGoingOn() {
        CustomerProfile p = stated(customer("11-01", "UTC", null), "2026-11-01T15:00:00Z");

        assertThat(dates.due(p, at("2026-11-01T15:00:00Z")))
                .singleElement()
                .satisfies(
                        m ->
                                assertThat(instant(m.getEventTime()))
                                        .as("the moment keeps the day's start")
                                        .isEqualTo("2026-11-01T00:00:00Z"));
        assertThat(dates.due(p, at("2026-11-01T16:00:00Z"))).isEmpty();
    }

    @Test
    void shouldNotFireABirthdayWhoseDayWasOverWhenItWasStated() {
        CustomerProfile p = stated(customer("10-31", "UTC", null), "2026-11-01T00:00:00Z");

        assertThat(dates.due(p, at("2026-11-01T00:00:00Z"))).isEmpty();
        assertThat(p.getBirthdayMomentYear()).as("past, never to fire").isEqualTo(2026);
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2027-10-31T00:00:00Z");
    }

    @Test
    void shouldNotFireTwiceInAYearWhenTheBirthdayIsMovedLaterAfterItFired() {
        CustomerProfile p = stated(customer("03-01", "UTC", null), "2026-01-01T00:00:00Z");
        assertThat(dates.due(p, at("2026-03-01T00:00:00Z"))).hasSize(1);

        p.setBirthday("06-01"); // corrected in April
        dates.restated(p, at("2026-04-01T00:00:00Z"), at("2026-04-01T00:00:00Z"));

        assertThat(dates.due(p, at("2026-06-01T00:00:00Z"))).isEmpty();
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2027-06-01T00:00:00Z");
    }

    @Test
    void shouldNotFireAPastBirthdayWhenItIsMovedEarlierBeforeItFired() {
        CustomerProfile p = stated(customer("06-01", "UTC", null), "2026-01-01T00:00:00Z");

        p.setBirthday("02-01"); // corrected in April: February is over
        dates.restated(p, at("2026-04-01T00:00:00Z"), at("2026-04-01T00:00:00Z"));

        assertThat(dates.due(p, at("2026-04-01T00:00:00Z"))).isEmpty();
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2027-02-01T00:00:00Z");
    }

    @Test
    void shouldFireAKnownBirthdayFoundLateButNotOneFoundLongAfter() {
        CustomerProfile p = stated(customer("03-01", "UTC", "2020-03-01"), "2026-01-01T00:00:00Z");

        // the engine was down over the day: the next event comes three days after it
        assertThat(dates.due(p, at("2026-03-04T12:00:00Z")))
                .extracting(m -> instant(m.getEventTime()))
                .containsExactly("2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z");

        // a year later, found only a month after
        assertThat(dates.due(p, at("2027-04-01T00:00:00Z"))).isEmpty();
        assertThat(p.getBirthdayMomentYear()).as("skipped, not pending").isEqualTo(2027);
        assertThat(p.getAnniversaryMomentYear()).isEqualTo(2027);
    }

    // ---- anniversaries --------------------------------------------------------------------------

    @Test
    void shouldStartAnniversariesFromTheFirstOne() {
        CustomerProfile p = stated(customer(null, "UTC", "2026-03-14"), "2026-03-14T10:00:00Z");

        assertThat(dates.due(p, at("2026-03-14T10:00:00Z"))).as("the signup day itself").isEmpty();
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2027-03-14T00:00:00Z");
        assertThat(dates.due(p, at("2027-03-14T00:00:00Z")))
                .extracting(CustomerMoment::getTrigger, CustomerMoment::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                TriggerType.SIGNUP_ANNIVERSARY,
                                "signup anniversary (1 year) on 2027-03-14"));
        assertThat(dates.due(p, at("2029-03-13T00:00:00Z")))
                .as("2028's found late: more than a week after its day")
                .isEmpty();
        assertThat(p.getAnniversaryMomentYear()).isEqualTo(2028);
        assertThat(dates.due(p, at("2029-03-14T00:00:00Z")))
                .extracting(CustomerMoment::getReason)
                .containsExactly("signup anniversary (3 years) on 2029-03-14");
    }

    @Test
    void shouldFireBirthdayAndAnniversaryOfTheSameDayTogether() {
        CustomerProfile p = stated(customer("05-05", "UTC", "2023-05-05"), "2026-01-01T00:00:00Z");

        assertThat(dates.due(p, at("2026-05-05T00:00:00Z")))
                .extracting(CustomerMoment::getTrigger, CustomerMoment::getReason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                TriggerType.BIRTHDAY, "birthday on 2026-05-05"),
                        org.assertj.core.groups.Tuple.tuple(
                                TriggerType.SIGNUP_ANNIVERSARY,
                                "signup anniversary (3 years) on 2026-05-05"));
    }

    // ---- lead, horizon -------------------------------------------------------------------------

    @Test
    void shouldFireABirthdayLeadDaysEarlierAndAtOnceWithinTheLead() {
        CustomerDates early = new CustomerDates(UTC, 3, TTL);
        CustomerProfile p =
                stated(early, customer("03-14", "UTC", "2020-03-14"), "2026-01-01T00:00:00Z");
        assertThat(instant(p.getNextDateMoment())).isEqualTo("2026-03-11T00:00:00Z");
        assertThat(early.due(p, at("2026-03-11T00:00:00Z")))
                .extracting(CustomerMoment::getTrigger, CustomerMoment::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                TriggerType.BIRTHDAY, "birthday on 2026-03-14"));
        assertThat(instant(p.getNextDateMoment()))
                .as("the anniversary has no lead")
                .isEqualTo("2026-03-14T00:00:00Z");

        CustomerProfile late =
                stated(early, customer("03-14", "UTC", null), "2026-03-13T08:00:00Z");
        assertThat(early.due(late, at("2026-03-13T08:00:00Z"))).hasSize(1);
    }

    @Test
    void shouldArmOnlyOccasionsWithinTheHorizonOfTheLastEvent() {
        CustomerDates month = new CustomerDates(UTC, 0, Duration.ofDays(30));
        CustomerProfile p = stated(month, customer("03-14", "UTC", null), "2026-01-10T00:00:00Z");
        assertThat(month.deadline(p, at("2026-01-10T00:00:00Z")))
                .as("two months ahead")
                .isEqualTo(Long.MAX_VALUE);

        p.setLastEventTime(at("2026-03-01T00:00:00Z")); // back in March
        assertThat(instant(month.deadline(p, at("2026-03-01T00:00:00Z"))))
                .isEqualTo("2026-03-14T00:00:00Z");

        CustomerProfile none = customer(null, null, null);
        assertThat(month.deadline(none, at("2026-03-01T00:00:00Z"))).isEqualTo(Long.MAX_VALUE);
        assertThat(month.due(none, at("2026-03-14T00:00:00Z"))).isEmpty();
    }

    @Test
    void shouldAskForTheTimerAtOnceForAnOccasionAlreadyDue() {
        CustomerProfile p = stated(customer("11-01", "UTC", null), "2026-11-01T15:00:00Z");

        assertThat(instant(dates.deadline(p, at("2026-11-01T15:00:00Z"))))
                .as("the moment comes from the timer, not with the event")
                .isEqualTo("2026-11-01T15:00:00Z");
        assertThat(dates.due(p, at("2026-11-01T15:00:00Z"))).hasSize(1);
        assertThat(instant(dates.deadline(p, at("2026-11-01T15:00:00Z"))))
                .isEqualTo("2027-11-01T00:00:00Z");
    }

    @Test
    void shouldScheduleDatesFoundOnAProfileNeverScheduled() {
        // e.g. merged in from another id: what is past stays past
        CustomerProfile p = customer("01-05", "UTC", null);
        p.setLastEventTime(at("2026-02-01T00:00:00Z"));

        assertThat(instant(dates.deadline(p, at("2026-02-01T00:00:00Z"))))
                .isEqualTo("2027-01-05T00:00:00Z");
        assertThat(dates.due(p, at("2026-02-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void shouldRefuseBadSettings() {
        assertThatThrownBy(() -> new CustomerDates(UTC, -1, TTL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CustomerDates(UTC, CustomerDates.MAX_LEAD_DAYS + 1, TTL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CustomerDates(null, 0, TTL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CustomerDates(UTC, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
