package io.p13n.jobs.offers;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.config.DailyWindow;
import io.p13n.model.Budget;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.Erasure;
import io.p13n.model.MessageChannel;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferLedgerInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuietHoursHoldFunctionTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final Duration GRACE = Duration.ofSeconds(30);

    /** Push and SMS quiet 21:00-08:00 UTC, the documented defaults. */
    private static final QuietHours NIGHTS =
            new QuietHours(
                    Map.of(
                            MessageChannel.PUSH, DailyWindow.parse("21:00-08:00"),
                            MessageChannel.SMS, DailyWindow.parse("21:00-08:00")),
                    ZoneId.of("UTC"));

    /** T0 is 10:00 UTC: 23:50 the same day. */
    private static final long LATE_EVENING = T0.toEpochMilli() + 13 * HOUR + 50 * 60_000;

    private static final long NEXT_MORNING = T0.toEpochMilli() + 22 * HOUR; // 08:00 the next day

    private KeyedOneInputStreamOperatorTestHarness<String, OfferLedgerInput, OfferDecision> harness;

    private static KeyedOneInputStreamOperatorTestHarness<String, OfferLedgerInput, OfferDecision>
            newHarness() throws Exception {
        // Not ProcessFunctionTestHarnesses: it opens the harness, and a restore must come first.
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new QuietHoursHoldFunction(GRACE)),
                OfferInputs::customerId,
                Types.STRING);
    }

    private void start() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /**
     * Customer c1's decision on {@code channel} at {@code at}, scheduled by the trigger stage's
     * rule (deliverAt and expiresAt set in quiet hours).
     */
    private static OfferDecision decision(
            String campaign, MessageChannel channel, OfferOutcome outcome, long at) {
        OfferDecision d =
                CampaignBudgetFunctionTest.decision(new Budget(null, null), outcome, 0, 1);
        d.setCampaignId(campaign);
        d.setChannel(channel);
        d.setIssuedAt(at);
        d.setExpiresAt(at + 14 * 24 * HOUR);
        d.setDecisionId(CouponIds.decisionId("c1", campaign, d.getTrigger(), at));
        d.setCouponCode(CouponIds.couponCode(d.getDecisionId()));
        NIGHTS.schedule(d, null);
        return d;
    }

    private static OfferDecision push(String campaign, long at) {
        return decision(campaign, MessageChannel.PUSH, OfferOutcome.SENT, at);
    }

    private void send(OfferDecision d) throws Exception {
        harness.processElement(new StreamRecord<>(OfferInputs.ledger(d), d.getIssuedAt()));
    }

    private List<String> released() {
        return harness.extractOutputValues().stream().map(OfferDecision::getCampaignId).toList();
    }

    @Test
    void shouldHoldAPushOfferDecidedAtTenToMidnightUntilEightInTheMorning() throws Exception {
        start();
        OfferDecision d = push("night", LATE_EVENING);
        assertThat(d.getDeliverAt()).isEqualTo(NEXT_MORNING);
        assertThat(d.getExpiresAt())
                .as("expiry counts from delivery")
                .isEqualTo(NEXT_MORNING + 14 * 24 * HOUR);

        send(d);
        harness.processWatermark(LATE_EVENING);
        harness.processWatermark(NEXT_MORNING - 1);
        assertThat(released()).as("held through the night").isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(NEXT_MORNING);
        assertThat(harness.extractOutputValues()).containsExactly(d);
        assertThat(
                        harness.getOutput().stream()
                                .filter(r -> r instanceof StreamRecord<?>)
                                .map(r -> ((StreamRecord<?>) r).getTimestamp()))
                .as("stamped with the delivery time")
                .contains(NEXT_MORNING);
        assertThat(harness.numKeyedStateEntries()).as("nothing left behind").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldPassOffersOutsideQuietHoursAndOnChannelsWithoutThemAtOnce() throws Exception {
        start();
        OfferDecision daytime = push("day", T0.toEpochMilli());
        OfferDecision email =
                decision("mail", MessageChannel.EMAIL, OfferOutcome.SENT, LATE_EVENING);
        OfferDecision onsite =
                decision("site", MessageChannel.ONSITE, OfferOutcome.SENT, LATE_EVENING);

        send(daytime);
        send(email);
        send(onsite);

        assertThat(released()).containsExactly("day", "mail", "site");
        assertThat(email.getDeliverAt()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldHoldHeldOutDecisionsLikeSentOnesSoBothArmsStartAtDelivery() throws Exception {
        start();
        send(decision("a", MessageChannel.PUSH, OfferOutcome.HELD_OUT, LATE_EVENING));
        send(decision("b", MessageChannel.SMS, OfferOutcome.SENT, LATE_EVENING + 60_000));

        harness.processWatermark(NEXT_MORNING - 1);
        assertThat(released()).isEmpty();
        harness.processWatermark(NEXT_MORNING);
        assertThat(released()).as("earliest decided first").containsExactly("a", "b");
    }

    @Test
    void shouldReleaseAHeldOfferExactlyOnceAfterARestore() throws Exception {
        start();
        OfferDecision d = push("night", LATE_EVENING);
        send(d);
        harness.processWatermark(LATE_EVENING);
        OperatorSubtaskState holding = harness.snapshot(1L, 1L);
        // The job fails after the checkpoint; what the old instance did since is lost with it.
        harness.processWatermark(NEXT_MORNING);
        assertThat(released()).containsExactly("night");
        harness.close();

        harness = newHarness();
        harness.initializeState(holding);
        harness.open();
        assertThat(harness.numKeyedStateEntries())
                .as("the held offer is in the checkpoint")
                .isOne();
        assertThat(harness.numEventTimeTimers()).as("and so is its timer").isOne();
        harness.processWatermark(NEXT_MORNING - 1);
        assertThat(released()).isEmpty();
        harness.processWatermark(NEXT_MORNING);
        harness.processWatermark(NEXT_MORNING + 24 * HOUR);
        assertThat(harness.extractOutputValues()).as("released once").containsExactly(d);

        // A checkpoint after the release holds nothing: a restore from it releases nothing again.
        OperatorSubtaskState released = harness.snapshot(2L, 2L);
        harness.close();
        harness = newHarness();
        harness.initializeState(released);
        harness.open();
        harness.processWatermark(NEXT_MORNING + 48 * HOUR);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldDeliverAtOnceAnOfferWhoseWindowEndedBehindTheWatermark() throws Exception {
        start();
        harness.processWatermark(NEXT_MORNING + HOUR);

        send(push("late", LATE_EVENING)); // decided last night, arriving after the morning

        assertThat(released()).containsExactly("late");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldHoldTheSameDecisionOnce() throws Exception {
        start();
        send(push("night", LATE_EVENING));
        send(push("night", LATE_EVENING));

        harness.processWatermark(NEXT_MORNING);
        assertThat(released()).containsExactly("night");
    }

    @Test
    void shouldDropTheHeldOffersOfAWithdrawnChannelOnly() throws Exception {
        start();
        send(push("push", LATE_EVENING));
        send(decision("sms", MessageChannel.SMS, OfferOutcome.HELD_OUT, LATE_EVENING));
        harness.processElement(
                new StreamRecord<>(
                        OfferInputs.ledger(
                                TestEvents.consent(
                                        "c1",
                                        ConsentPurpose.MARKETING,
                                        MessageChannel.SMS,
                                        false,
                                        Instant.ofEpochMilli(LATE_EVENING + HOUR))),
                        LATE_EVENING + HOUR));
        harness.processElement(
                new StreamRecord<>(
                        OfferInputs.ledger(
                                TestEvents.consent(
                                        "c1",
                                        ConsentPurpose.PERSONALIZATION,
                                        null,
                                        false,
                                        Instant.ofEpochMilli(LATE_EVENING + HOUR))),
                        LATE_EVENING + HOUR));

        harness.processWatermark(NEXT_MORNING);
        assertThat(released())
                .as("the SMS one (held out or not) is dropped; personalization changes nothing")
                .containsExactly("push");
    }

    @Test
    void shouldDropHeldOffersOfAnErasedCustomerAndTheDecisionsStillOnTheirWay() throws Exception {
        start();
        send(push("before", LATE_EVENING));
        harness.processElement(
                new StreamRecord<>(
                        OfferInputs.ledger(new Erasure("c1", "req-1", LATE_EVENING, 1)),
                        LATE_EVENING));
        send(push("after", LATE_EVENING + 60_000)); // queued in the budget stage meanwhile
        harness.processWatermark(NEXT_MORNING + HOUR);

        assertThat(released()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("the erasure marker").isOne();

        harness.setProcessingTime(GRACE.toMillis());
        assertThat(harness.numKeyedStateEntries()).as("forgotten after the grace").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldReleaseTheEarliestDecidedAtOncePastTheBound() throws Exception {
        start();
        for (int i = 0; i <= QuietHoursHoldFunction.MAX_HELD; i++) {
            send(push("c" + i, LATE_EVENING + i * 60_000L));
        }

        assertThat(released()).as("a safety valve, not a loss").containsExactly("c0");
        harness.processWatermark(NEXT_MORNING);
        assertThat(released()).hasSize(QuietHoursHoldFunction.MAX_HELD + 1).doesNotHaveDuplicates();
    }
}
