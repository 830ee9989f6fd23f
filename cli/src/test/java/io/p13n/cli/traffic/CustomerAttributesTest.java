package io.p13n.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.MessageChannel;
import io.p13n.serde.EventValidator;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class CustomerAttributesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final int CUSTOMERS = 20_000;

    private static List<CustomerAttributesEvent> stated(
            double share, double todayShare, long seed) {
        CustomerAttributes attributes =
                new CustomerAttributes(new Random(seed), "run", FIXED, CUSTOMERS)
                        .shares(share, todayShare);
        List<CustomerAttributesEvent> events = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            CustomerAttributesEvent e = attributes.onVisit(c, "c" + c);
            if (e != null) {
                events.add(e);
            }
            assertThat(attributes.onVisit(c, "c" + c)).as("only on the first visit").isNull();
        }
        return events;
    }

    @Test
    void shouldStateValidAttributesForAShareOfCustomers() {
        List<CustomerAttributesEvent> events = stated(0.5, 0, 1);

        assertThat(events.size()).isBetween(9_600, 10_400);
        EventValidator validator = new EventValidator(60_000);
        Set<String> ids = new HashSet<>();
        for (CustomerAttributesEvent e : events) {
            assertThat(validator.problemWith(e, NOW.toEpochMilli())).as(e.toString()).isNull();
            assertThat(ids.add(e.getEventId())).isTrue();
            assertThat(e.getEventTime()).isEqualTo(NOW);
            if (e.getSignupDate() != null) {
                LocalDate signup = LocalDate.parse(e.getSignupDate());
                assertThat(signup)
                        .isBefore(LocalDate.of(2026, 3, 1))
                        .isAfter(LocalDate.of(2020, 2, 1));
            }
        }
        long birthdays = events.stream().filter(e -> e.getBirthday() != null).count();
        long zones = events.stream().filter(e -> e.getTimeZone() != null).count();
        long signups = events.stream().filter(e -> e.getSignupDate() != null).count();
        assertThat(birthdays).isBetween(8_200L, 8_800L);
        assertThat(zones).isBetween(7_200L, 7_800L);
        assertThat(signups).isBetween(8_700L, 9_300L);
        assertThat(events.stream().map(CustomerAttributesEvent::getTimeZone).distinct().count())
                .as("a mix of zones, and none")
                .isGreaterThan(10);
        Map<MessageChannel, Integer> channels = new EnumMap<>(MessageChannel.class);
        events.stream()
                .map(CustomerAttributesEvent::getPreferredChannel)
                .filter(Objects::nonNull)
                .forEach(c -> channels.merge(c, 1, Integer::sum));
        assertThat(channels.keySet())
                .containsExactlyInAnyOrder(
                        MessageChannel.EMAIL,
                        MessageChannel.PUSH,
                        MessageChannel.SMS,
                        MessageChannel.ONSITE);
        assertThat(channels.get(MessageChannel.EMAIL))
                .isGreaterThan(channels.get(MessageChannel.PUSH));
        assertThat(channels.get(MessageChannel.PUSH))
                .isGreaterThan(channels.get(MessageChannel.ONSITE));
    }

    @Test
    void shouldSpreadBirthdaysOverTheYearAndSometimesGiveTheYear() {
        List<MonthDay> birthdays = new ArrayList<>();
        long withYear = 0;
        for (CustomerAttributesEvent e : stated(1, 0, 2)) {
            if (e.getBirthday() != null) {
                birthdays.add(EventValidator.birthday(e.getBirthday()));
                withYear += e.getBirthday().length() == 10 ? 1 : 0;
            }
        }
        assertThat(birthdays.stream().map(MonthDay::getMonth).distinct().count()).isEqualTo(12);
        assertThat(birthdays.stream().distinct().count())
                .as("most days of the year")
                .isGreaterThan(350);
        long today = birthdays.stream().filter(MonthDay.of(3, 1)::equals).count();
        assertThat(today).as("about one in 365").isLessThan(birthdays.size() / 100);
        assertThat(withYear).isBetween(birthdays.size() * 35L / 100, birthdays.size() * 45L / 100);
    }

    @Test
    void shouldPutAShareOfBirthdaysAndAnniversariesOnTodayInTheCustomersZone() {
        Clock lateEvening = Clock.fixed(Instant.parse("2026-03-01T23:30:00Z"), ZoneOffset.UTC);
        CustomerAttributes attributes =
                new CustomerAttributes(new Random(3), "run", lateEvening, CUSTOMERS).shares(1, 0.5);
        int todays = 0;
        int birthdays = 0;
        int anniversaries = 0;
        for (int c = 0; c < CUSTOMERS; c++) {
            CustomerAttributesEvent e = attributes.onVisit(c, "c" + c);
            ZoneId zone = e.getTimeZone() == null ? ZoneOffset.UTC : ZoneId.of(e.getTimeZone());
            LocalDate today = lateEvening.instant().atZone(zone).toLocalDate();
            if (e.getBirthday() != null) {
                birthdays++;
                if (EventValidator.birthday(e.getBirthday()).equals(MonthDay.from(today))) {
                    todays++;
                }
            }
            if (e.getSignupDate() != null
                    && MonthDay.from(LocalDate.parse(e.getSignupDate()))
                            .equals(MonthDay.from(today))) {
                anniversaries++;
                assertThat(LocalDate.parse(e.getSignupDate()).getYear())
                        .isLessThan(today.getYear());
            }
        }
        // Berlin is already on 2 March at 23:30 UTC, New York still on 1 March: their own today
        assertThat(todays).isBetween(birthdays * 45 / 100, birthdays * 55 / 100);
        assertThat(anniversaries).isGreaterThan(CUSTOMERS * 40 / 100);
    }

    @Test
    void shouldBeDeterministicForASeed() {
        assertThat(stated(0.3, 0.1, 9)).isEqualTo(stated(0.3, 0.1, 9));
        assertThat(stated(0.3, 0.1, 9)).isNotEqualTo(stated(0.3, 0.1, 10));
    }

    @Test
    void shouldRefuseSharesOutsideZeroToOne() {
        assertThatThrownBy(
                        () -> new CustomerAttributes(new Random(1), "r", FIXED, 1).shares(1.5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new CustomerAttributes(new Random(1), "r", FIXED, 1)
                                        .shares(0.5, -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldComeFromTheSimulatorOncePerCustomerAfterTheirFirstEventLeavingTheRestAsTheyWere() {
        StorefrontSimulator plain = new StorefrontSimulator(5, 500, 200, 10, FIXED);
        StorefrontSimulator with =
                new StorefrontSimulator(5, 500, 200, 10, FIXED).withCustomerAttributes(0.6, 0.1);
        List<SpecificRecordBase> events = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            events.add(with.next());
        }

        Set<String> seen = new HashSet<>();
        Set<String> stated = new HashSet<>();
        List<SpecificRecordBase> others = new ArrayList<>();
        for (SpecificRecordBase e : events) {
            if (e instanceof CustomerAttributesEvent a) {
                assertThat(seen).as("after a first event of theirs").contains(a.getCustomerId());
                assertThat(stated.add(a.getCustomerId())).as("once per customer").isTrue();
            } else {
                seen.add(EventFields.customerId(e));
                others.add(e);
            }
        }
        assertThat(stated.size()).isBetween(seen.size() * 50 / 100, seen.size() * 70 / 100);
        List<SpecificRecordBase> reference = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            reference.add(plain.next());
        }
        assertThat(others).as("the clicks and orders of the seed").isEqualTo(reference);
    }
}
