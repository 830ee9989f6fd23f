package io.p13n.jobs.profile;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Birthday and signup-anniversary moments from the customer stage (README, Customer attributes,
 * birthdays and anniversaries): on the customer's local date, on the profile's one timer, once a
 * year across restarts and replays. T0 is 2026-11-01T10:00Z.
 */
class DateMomentsTest {
    /** 00:00 on 20 November 2026 in Tokyo (UTC+9). */
    private static final Instant TOKYO_BIRTHDAY = Instant.parse("2026-11-19T15:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> harness;

    private KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile>
            newHarness() throws Exception {
        // not ProcessFunctionTestHarnesses: it opens the harness, which a restore must precede
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new CustomerProfileFunction(
                                Duration.ofDays(400),
                                32,
                                Duration.ofDays(1),
                                ProfileSettings.defaults())),
                CustomerEvents::customerId,
                Types.STRING);
    }

    private void start() throws Exception {
        harness = newHarness();
        harness.open();
    }

    /** Restarts from a snapshot taken now: the state a checkpoint would restore. */
    private OperatorSubtaskState snapshot() throws Exception {
        return harness.snapshot(1L, 1L);
    }

    private void restoreFrom(OperatorSubtaskState snapshot) throws Exception {
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void send(Object payload) throws Exception {
        CustomerEvent event = new CustomerEvent(payload);
        harness.processElement(new StreamRecord<>(event, CustomerEvents.eventTimeMillis(event)));
    }

    private void advanceTo(Instant time) throws Exception {
        harness.processWatermark(new Watermark(time.toEpochMilli()));
    }

    private static CustomerAttributesEvent.Builder attributes(String id, Instant at) {
        return CustomerAttributesEvent.newBuilder()
                .setEventId(id)
                .setCustomerId("c1")
                .setEventTime(at);
    }

    private List<CustomerMoment> moments() {
        var queue = harness.getSideOutput(OutputTags.CUSTOMER_MOMENTS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    private CustomerProfile latest() {
        List<CustomerProfile> out = harness.extractOutputValues();
        return out.get(out.size() - 1);
    }

    /** c1 visits at T0 and states a birthday on 20 November, living in Tokyo. */
    private void tokyoBirthday() throws Exception {
        send(TestEvents.productView("c1", T0));
        send(
                attributes("a1", T0.plusSeconds(60))
                        .setBirthday("1990-11-20")
                        .setTimeZone("Asia/Tokyo")
                        .build());
    }

    @Test
    void shouldEmitOneBirthdayMomentWhenTheWatermarkPassesLocalMidnight() throws Exception {
        start();
        tokyoBirthday();
        assertThat(latest().getNextTimer())
                .as("the birthday is the profile's one timer")
                .isEqualTo(TOKYO_BIRTHDAY.toEpochMilli());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        advanceTo(TOKYO_BIRTHDAY.minusMillis(1));
        assertThat(moments()).isEmpty();

        advanceTo(TOKYO_BIRTHDAY);
        assertThat(moments())
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.getCustomerId()).isEqualTo("c1");
                            assertThat(m.getTrigger()).isEqualTo(TriggerType.BIRTHDAY);
                            assertThat(m.getEventTime()).isEqualTo(TOKYO_BIRTHDAY.toEpochMilli());
                            assertThat(m.getReason()).isEqualTo("birthday on 2026-11-20");
                        });
        CustomerProfile after = latest();
        assertThat(after.getBirthdayMomentYear()).isEqualTo(2026);
        assertThat(after.getNextTimer())
                .as("re-armed for next year")
                .isEqualTo(Instant.parse("2027-11-19T15:00:00Z").toEpochMilli());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        advanceTo(TOKYO_BIRTHDAY.plus(Duration.ofDays(3)));
        assertThat(moments()).as("a later watermark").hasSize(1);
    }

    @Test
    void shouldNotEmitASecondMomentAfterARestoreOrAReplayedEvent() throws Exception {
        start();
        tokyoBirthday();
        advanceTo(TOKYO_BIRTHDAY);
        assertThat(moments()).hasSize(1);

        restoreFrom(snapshot());
        // the same event again (a producer retry), and the same birthday stated anew
        send(
                attributes("a1", T0.plusSeconds(60))
                        .setBirthday("1990-11-20")
                        .setTimeZone("Asia/Tokyo")
                        .build());
        send(attributes("a2", TOKYO_BIRTHDAY.plusSeconds(60)).setBirthday("11-20").build());
        advanceTo(TOKYO_BIRTHDAY.plus(Duration.ofHours(2)));

        assertThat(moments()).as("after the restore").isEmpty();
        assertThat(latest().getBirthdayMomentYear()).isEqualTo(2026);
    }

    @Test
    void shouldEmitTheMomentOnceWhenRestoredFromBeforeIt() throws Exception {
        start();
        tokyoBirthday();
        OperatorSubtaskState before = snapshot();
        advanceTo(TOKYO_BIRTHDAY);
        assertThat(moments()).hasSize(1); // emitted, then the job fails before the next checkpoint

        restoreFrom(before);
        advanceTo(TOKYO_BIRTHDAY);
        advanceTo(TOKYO_BIRTHDAY.plusSeconds(1));

        assertThat(moments()).as("the restored timer fires it again, once").hasSize(1);
    }

    @Test
    void shouldEmitAgainNextYearThenStopHoldingATimerForASilentCustomer() throws Exception {
        start();
        tokyoBirthday();
        advanceTo(TOKYO_BIRTHDAY);
        advanceTo(Instant.parse("2027-11-19T15:00:00Z"));

        assertThat(moments())
                .extracting(CustomerMoment::getReason)
                .containsExactly("birthday on 2026-11-20", "birthday on 2027-11-20");
        // 2028's is more than state.customer-ttl (400 days) after c1's last sign of life
        assertThat(latest().getNextTimer()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        send(TestEvents.productView("c1", Instant.parse("2028-01-10T00:00:00Z")));
        assertThat(latest().getNextTimer())
                .as("back: armed again")
                .isEqualTo(Instant.parse("2028-11-19T15:00:00Z").toEpochMilli());
    }

    @Test
    void shouldStopAtTheHorizonWhenTheWatermarkReachesTheEndOfTime() throws Exception {
        start();
        tokyoBirthday();

        advanceTo(Instant.ofEpochMilli(Long.MAX_VALUE)); // a bounded input's last watermark

        assertThat(moments()).as("2026 and 2027, not every year until then").hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldEmitWithTheNextWatermarkForABirthdayStatedOnTheDayNotForOneStatedAfterIt()
            throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        // 1 November, 11:00 in London: today
        send(attributes("a1", T0.plusSeconds(3600)).setBirthday("11-01").build());
        assertThat(moments())
                .as("not with the event: a new customer's profile must reach the offers first")
                .isEmpty();

        advanceTo(T0.plusSeconds(3600));
        assertThat(moments())
                .singleElement()
                .satisfies(
                        m ->
                                assertThat(m.getEventTime())
                                        .as("the day's start")
                                        .isEqualTo(
                                                Instant.parse("2026-11-01T00:00:00Z")
                                                        .toEpochMilli()));

        // a signup anniversary that was yesterday (31 October) waits for next year
        send(attributes("a2", T0.plusSeconds(7200)).setSignupDate("2024-10-31").build());
        advanceTo(T0.plusSeconds(7200));
        assertThat(moments()).hasSize(1);
        assertThat(latest().getAnniversaryMomentYear()).isEqualTo(2026);
    }

    @Test
    void shouldEmitASignupAnniversaryFromTheFirstOne() throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        send(attributes("a1", T0.plusSeconds(60)).setSignupDate("2025-11-05").build());

        advanceTo(Instant.parse("2026-11-05T00:00:00Z"));

        assertThat(moments())
                .extracting(CustomerMoment::getTrigger, CustomerMoment::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                TriggerType.SIGNUP_ANNIVERSARY,
                                "signup anniversary (1 year) on 2026-11-05"));
    }

    @Test
    void shouldEmitNothingForACustomerWithoutConsentToProfiling() throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        send(TestEvents.consent("c1", ConsentPurpose.PERSONALIZATION, null, false, T0));
        send(attributes("a1", T0.plusSeconds(60)).setBirthday("11-01").build());
        send(TestEvents.productView("c1", T0.plusSeconds(120)));
        advanceTo(T0.plus(Duration.ofHours(1)));

        assertThat(moments()).isEmpty();
        assertThat(latest().getBirthday()).as("kept, as stated").isEqualTo("11-01");

        // consent given back while the birthday is still going on: its moment, once
        send(
                TestEvents.consent(
                        "c1", ConsentPurpose.PERSONALIZATION, null, true, T0.plusSeconds(7200)));
        send(TestEvents.productView("c1", T0.plusSeconds(7260)));
        send(TestEvents.productView("c1", T0.plusSeconds(7320)));
        advanceTo(T0.plusSeconds(7320));
        advanceTo(T0.plusSeconds(7400));
        assertThat(moments())
                .extracting(CustomerMoment::getReason)
                .containsExactly("birthday on 2026-11-01");
    }
}
