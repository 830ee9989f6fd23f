package io.p13n.jobs.offers;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.ActiveOffer;
import io.p13n.model.ActiveOffers;
import io.p13n.model.Budget;
import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.Erasure;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferLedgerInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ActiveOffersFunctionTest {
    private static final long DAY = Duration.ofDays(1).toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, OfferLedgerInput, ActiveOffers> harness;

    private void start(OfferSettings settings) throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ActiveOffersFunction(settings), OfferInputs::customerId, Types.STRING);
        harness.open();
    }

    private void start() throws Exception {
        start(TestOffers.settings(Map.of("offers.attribution-window", "7d")));
    }

    /** A decision for customer c1 (14-day validity, 10% off) at T0 + day days. */
    private static OfferDecision decision(String campaign, OfferOutcome outcome, int day) {
        OfferDecision d =
                CampaignBudgetFunctionTest.decision(new Budget(null, null), outcome, day, 1);
        d.setCampaignId(campaign);
        d.setDecisionId(CouponIds.decisionId("c1", campaign, d.getTrigger(), d.getIssuedAt()));
        d.setCouponCode(CouponIds.couponCode(d.getDecisionId()));
        return d;
    }

    private void send(OfferDecision d) throws Exception {
        harness.processElement(new StreamRecord<>(OfferInputs.ledger(d), d.getIssuedAt()));
    }

    private void send(OrderEvent o) throws Exception {
        harness.processElement(
                new StreamRecord<>(OfferInputs.ledger(o), o.getEventTime().toEpochMilli()));
    }

    private static OrderEvent order(int day, double total, String coupon) {
        return TestEvents.order(
                        "c1",
                        OrderStatus.PLACED,
                        Instant.ofEpochMilli(T0.toEpochMilli() + day * DAY + 3600_000),
                        total)
                .setCouponCode(coupon)
                .build();
    }

    private List<List<String>> snapshots() {
        return harness.extractOutputValues().stream()
                .map(a -> a.getOffers().stream().map(ActiveOffer::getCampaignId).toList())
                .toList();
    }

    private List<CampaignStatsDelta> deltas() {
        var queue = harness.getSideOutput(OfferOutputTags.STATS_DELTAS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void shouldEmitTheActiveOffersWhenAnOfferIsIssued() throws Exception {
        start();
        send(decision("a", OfferOutcome.SENT, 0));
        send(decision("b", OfferOutcome.SENT, 1));

        assertThat(snapshots()).containsExactly(List.of("a"), List.of("a", "b"));
        ActiveOffer a = harness.extractOutputValues().get(1).getOffers().get(0);
        assertThat(a.getPercentOff()).isEqualTo(10.0);
        assertThat(a.getAmountOff()).isNull();
        assertThat(a.getCode()).startsWith("P13N-");
        assertThat(a.getExpiresAt()).isEqualTo(T0.toEpochMilli() + 14 * DAY);
        assertThat(deltas())
                .extracting(d -> d.getCampaignId() + ":" + d.getArm() + ":" + d.getSent())
                .containsExactly("a:default:1", "b:default:1");
    }

    @Test
    void shouldIgnoreARepeatedDecision() throws Exception {
        start();
        send(decision("a", OfferOutcome.SENT, 0));
        send(decision("a", OfferOutcome.SENT, 0));

        assertThat(snapshots()).containsExactly(List.of("a"));
        assertThat(deltas()).hasSize(1);
    }

    @Test
    void shouldDropExpiredOffersAndForgetThemAfterTheAttributionWindow() throws Exception {
        start();
        send(decision("a", OfferOutcome.SENT, 0));
        long expires = T0.toEpochMilli() + 14 * DAY;

        harness.processWatermark(expires - 1);
        assertThat(snapshots()).hasSize(1);
        harness.processWatermark(expires);
        assertThat(snapshots()).containsExactly(List.of("a"), List.of());
        assertThat(harness.numKeyedStateEntries()).as("kept for attribution").isEqualTo(1);

        harness.processWatermark(expires + 7 * DAY);
        assertThat(harness.numKeyedStateEntries()).as("forgotten").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(snapshots()).as("no change visible to the storefront").hasSize(2);
    }

    @Test
    void shouldAttributeARedemptionAndAConversionToTheTreatedArm() throws Exception {
        start();
        OfferDecision sent = decision("a", OfferOutcome.SENT, 0);
        send(sent);
        send(order(3, 80.0, sent.getCouponCode().toLowerCase()));

        assertThat(snapshots())
                .as("redeemed: no longer active")
                .containsExactly(List.of("a"), List.of());
        CampaignStatsDelta d = deltas().get(1);
        assertThat(d.getArm()).isEqualTo("default");
        assertThat(d.getRedeemed()).isEqualTo(1);
        assertThat(d.getConverted()).isEqualTo(1);
        assertThat(d.getRevenue()).isEqualTo(80.0);

        send(order(4, 50.0, null));
        assertThat(deltas()).as("only the first order converts").hasSize(2);
    }

    /**
     * The decision comes through the budget stage, the order straight from the customer stage: an
     * order placed after the offer can arrive first, and still converts it (once).
     */
    @Test
    void shouldConvertAnOfferWhoseDecisionArrivesAfterTheOrderThatFollowedIt() throws Exception {
        start();
        send(order(-1, 10.0, null)); // before the offer: converts nothing
        send(order(2, 50.0, null)); // after it, but here first
        send(decision("a", OfferOutcome.SENT, 1));
        send(order(3, 70.0, null)); // a second order: no second conversion

        assertThat(deltas())
                .extracting(
                        d ->
                                d.getCampaignId()
                                        + ":sent="
                                        + d.getSent()
                                        + ":converted="
                                        + d.getConverted()
                                        + ":revenue="
                                        + d.getRevenue())
                .containsExactly(
                        "a:sent=1:converted=0:revenue=0.0", "a:sent=0:converted=1:revenue=50.0");
    }

    @Test
    void shouldCountAConversionWithoutTheCodeButNotAfterExpiry() throws Exception {
        start();
        send(decision("a", OfferOutcome.SENT, 0));
        send(decision("b", OfferOutcome.SENT, 0));
        send(order(20, 99.0, null)); // after a and b expired (day 14)
        assertThat(deltas()).hasSize(2);

        send(decision("c", OfferOutcome.SENT, 21));
        send(order(22, 40.0, null));
        CampaignStatsDelta d = deltas().get(3);
        assertThat(d.getCampaignId()).isEqualTo("c");
        assertThat(d.getConverted()).isEqualTo(1);
        assertThat(d.getRedeemed()).isZero();
        assertThat(d.getRevenue()).isEqualTo(40.0);
    }

    @Test
    void shouldMeasureControlCustomersWithoutShowingThemAnything() throws Exception {
        start();
        OfferDecision held = decision("a", OfferOutcome.HELD_OUT, 0);
        send(held);
        send(
                order(
                        2,
                        60.0,
                        held.getCouponCode())); // a guessed code does not redeem a held-out offer

        assertThat(harness.extractOutputValues()).as("held-out offers are never active").isEmpty();
        assertThat(deltas())
                .extracting(
                        d ->
                                d.getArm()
                                        + ":"
                                        + d.getHeldOut()
                                        + ":"
                                        + d.getRedeemed()
                                        + ":"
                                        + d.getConverted()
                                        + ":"
                                        + d.getRevenue())
                .containsExactly("control:1:0:0:0.0", "control:0:0:1:60.0");
    }

    @Test
    void shouldKeepAtMostTheConfiguredNumberOfOffers() throws Exception {
        start(TestOffers.settings(Map.of("offers.max-per-customer", "3")));
        for (int day = 0; day < 5; day++) {
            send(decision("k" + day, OfferOutcome.SENT, day));
        }
        assertThat(snapshots().get(snapshots().size() - 1)).containsExactly("k2", "k3", "k4");
    }

    private void sendConsent(io.p13n.model.MessageChannel channel, boolean granted, Instant at)
            throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        OfferInputs.ledger(
                                TestEvents.consent(
                                        "c1",
                                        io.p13n.model.ConsentPurpose.MARKETING,
                                        channel,
                                        granted,
                                        at)),
                        at.toEpochMilli()));
    }

    @Test
    void aWithdrawalOfMarketingConsentTakesThatChannelsOffersDown() throws Exception {
        start();
        OfferDecision email = decision("email", OfferOutcome.SENT, 0);
        email.setChannel(io.p13n.model.MessageChannel.EMAIL);
        send(email);
        send(decision("onsite", OfferOutcome.SENT, 0)); // ONSITE by default
        Instant day1 = Instant.ofEpochMilli(T0.toEpochMilli() + DAY);

        sendConsent(io.p13n.model.MessageChannel.EMAIL, false, day1);

        assertThat(snapshots()).hasSize(3);
        assertThat(snapshots().get(1)).containsExactlyInAnyOrder("email", "onsite");
        assertThat(snapshots().get(2)).containsExactly("onsite");
        assertThat(harness.extractOutputValues().get(2).getOffers().get(0).getChannel())
                .isEqualTo(io.p13n.model.MessageChannel.ONSITE);

        // Withdrawing every channel takes the rest; a grant afterwards brings nothing back.
        sendConsent(null, false, day1.plusSeconds(60));
        sendConsent(null, true, day1.plusSeconds(120));
        assertThat(snapshots()).hasSize(4).last().isEqualTo(List.of());
    }

    // ---- erasure --------------------------------------------------------------------------------

    @Test
    void anErasureEmptiesTheLedgerAndDropsDecisionsStillOnTheirWayForTheGracePeriod()
            throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ActiveOffersFunction(
                                TestOffers.settings(Map.of()), Duration.ofSeconds(30)),
                        OfferInputs::customerId,
                        Types.STRING);
        harness.open();
        harness.setProcessingTime(1_000);
        send(decision("welcome", OfferOutcome.SENT, 0));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processElement(
                new StreamRecord<>(
                        OfferInputs.ledger(new Erasure("c1", "req-1", T0.toEpochMilli(), 1)),
                        T0.toEpochMilli()));
        assertThat(snapshots()).as("the offers come off Redis").endsWith(List.of());
        assertThat(harness.numEventTimeTimers()).isZero();

        int deltas = deltas().size();
        send(decision("winback", OfferOutcome.SENT, 1)); // decided before the erasure, late
        assertThat(snapshots()).endsWith(List.of());
        assertThat(deltas()).as("not counted").hasSize(deltas);
        assertThat(harness.numKeyedStateEntries()).as("the marker").isEqualTo(1);

        harness.setProcessingTime(1_000 + 30_000);
        assertThat(harness.numKeyedStateEntries()).as("forgotten after the grace").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void revenueSquaresAreOfEachOffersTotalEvenWhenTwoOrdersPayIntoIt() throws Exception {
        start();
        OfferDecision offer = decision("a", OfferOutcome.SENT, 0);
        send(offer);
        String code = offer.getCouponCode();
        send(order(1, 30.0, null)); // converts (first order in the validity), no coupon
        send(order(2, 50.0, code)); // redeems the same offer later

        List<CampaignStatsDelta> attributed = deltas().subList(1, deltas().size());
        assertThat(attributed)
                .extracting(CampaignStatsDelta::getRevenue)
                .containsExactly(30.0, 50.0);
        // the offer's revenue is 80: its square 6400 = 30^2 + (80^2 - 30^2)
        assertThat(attributed)
                .extracting(CampaignStatsDelta::getRevenueSquares)
                .containsExactly(900.0, 6400.0 - 900.0);
        assertThat(deltas().get(0).getRevenueSquares()).isZero();
    }

    @Test
    void globalControlDecisionsCountInTheirOwnArmWithTheirDesignedShare() throws Exception {
        start();
        OfferDecision global = decision("a", OfferOutcome.HELD_OUT, 0);
        global.setGlobalControl(true);
        global.setArmShare(0.05);
        OfferDecision control = decision("b", OfferOutcome.HELD_OUT, 0);
        control.setArmShare(0.095);
        send(global);
        send(control);

        assertThat(deltas())
                .extracting(d -> d.getArm() + ":" + d.getHeldOut() + ":" + d.getExpectedShare())
                .containsExactly("global-control:1:0.05", "control:1:0.095");
        assertThat(snapshots()).as("nothing shown to held-out customers").isEmpty();
    }
}
