package io.p13n.jobs.profile;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.churn.BgNbdModel;
import io.p13n.jobs.churn.BgNbdParameters;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.jobs.privacy.Erasures;
import io.p13n.jobs.testing.TestProfiles;
import io.p13n.model.ChurnSignal;
import io.p13n.model.ChurnSignalType;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerProfile;
import io.p13n.model.Erasure;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import io.p13n.model.Segment;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class CustomerProfileFunctionTest {
    private static final Duration DAY = Duration.ofDays(1);

    private KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> harness;

    private void start(ProfileSettings settings) throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new CustomerProfileFunction(
                                Duration.ofDays(400), 32, Duration.ofDays(1), settings),
                        CustomerEvents::customerId,
                        Types.STRING);
        harness.open();
    }

    private void start() throws Exception {
        start(ProfileSettings.defaults());
    }

    private void send(Object payload) throws Exception {
        CustomerEvent event = new CustomerEvent(payload);
        harness.processElement(new StreamRecord<>(event, CustomerEvents.eventTimeMillis(event)));
    }

    private void advanceTo(Instant time) throws Exception {
        harness.processWatermark(new Watermark(time.toEpochMilli()));
    }

    private CustomerProfile latest() {
        List<CustomerProfile> out = harness.extractOutputValues();
        return out.get(out.size() - 1);
    }

    private List<String> segmentChanges() {
        var queue = harness.getSideOutput(OutputTags.SEGMENT_CHANGES);
        return queue == null
                ? List.of()
                : queue.stream()
                        .map(StreamRecord::getValue)
                        .map(c -> c.getFrom() + ">" + c.getTo())
                        .toList();
    }

    private List<ChurnSignal> signals() {
        var queue = harness.getSideOutput(OutputTags.CHURN_SIGNALS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    private static OrderEvent order(Instant at, double total, String product, String category) {
        return TestEvents.order("c1", OrderStatus.PLACED, at, total)
                .setLines(
                        List.of(
                                OrderLine.newBuilder()
                                        .setProductId(product)
                                        .setCategoryId(category)
                                        .setQuantity(1)
                                        .setUnitPrice(total)
                                        .build()))
                .build();
    }

    private static ClickEvent cartAdd(Instant at, String product, double price) {
        return TestEvents.click("c1", ClickType.ADD_TO_CART, at)
                .setProductId(product)
                .setPrice(price)
                .build();
    }

    // ---- activity and lifetime counts ----------------------------------------------------------

    @Test
    void shouldCountClicksByTypeAndSessions() throws Exception {
        start();
        send(TestEvents.click("c1", ClickType.PAGE_VIEW, T0).setSessionId("s1").build());
        send(
                TestEvents.click("c1", ClickType.PRODUCT_VIEW, T0.plusSeconds(10))
                        .setSessionId("s1")
                        .build());
        send(
                TestEvents.click("c1", ClickType.SEARCH, T0.plusSeconds(20))
                        .setSessionId("s1")
                        .build());
        send(
                TestEvents.click("c1", ClickType.ADD_TO_CART, T0.plusSeconds(30))
                        .setSessionId("s1")
                        .build());
        send(
                TestEvents.click("c1", ClickType.REMOVE_FROM_CART, T0.plusSeconds(40))
                        .setSessionId("s1")
                        .build());
        send(
                TestEvents.click("c1", ClickType.WISHLIST, T0.plusSeconds(50))
                        .setSessionId("s2")
                        .build());

        CustomerProfile p = latest();
        assertThat(p.getPageViews()).isEqualTo(1);
        assertThat(p.getProductViews()).isEqualTo(1);
        assertThat(p.getSearches()).isEqualTo(1);
        assertThat(p.getCartAdds()).isEqualTo(1);
        assertThat(p.getCartRemoves()).isEqualTo(1);
        assertThat(p.getWishlistAdds()).isEqualTo(1);
        assertThat(p.getSessions()).isEqualTo(2);
        assertThat(p.getCart()).as("added, then removed").isEmpty();
        assertThat(p.getSegment()).isEqualTo(Segment.PROSPECT);
        assertThat(segmentChanges()).as("becoming a prospect is not a change").isEmpty();
    }

    @Test
    void shouldKeepStatedAttributesAndNotCountThemAsActivity() throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        send(
                io.p13n.model.CustomerAttributesEvent.newBuilder()
                        .setEventId("a1")
                        .setCustomerId("c1")
                        .setBirthday("1992-02-29")
                        .setTimeZone("Europe/Berlin")
                        .setSignupDate("2024-05-01")
                        .setPreferredChannel(io.p13n.model.MessageChannel.PUSH)
                        .setEventTime(T0.plus(DAY))
                        .build());
        // a later statement of the zone alone keeps the rest
        send(
                io.p13n.model.CustomerAttributesEvent.newBuilder()
                        .setEventId("a2")
                        .setCustomerId("c1")
                        .setTimeZone("America/New_York")
                        .setEventTime(T0.plus(DAY.multipliedBy(2)))
                        .build());

        CustomerProfile p = latest();
        assertThat(p.getBirthday()).isEqualTo("02-29");
        assertThat(p.getTimeZone()).isEqualTo("America/New_York");
        assertThat(p.getSignupDay()).isEqualTo(java.time.LocalDate.of(2024, 5, 1).toEpochDay());
        assertThat(p.getPreferredChannel()).isEqualTo(io.p13n.model.MessageChannel.PUSH);
        assertThat(p.getLastSeen()).as("a statement is not a visit").isEqualTo(T0.toEpochMilli());
        assertThat(p.getProductViews()).isEqualTo(1);
        var toOffers = harness.getSideOutput(OutputTags.OFFER_PROFILES);
        assertThat(toOffers)
                .as("the offer stage's copy follows the attributes (quiet hours, birthdays)")
                .hasSize(3);
    }

    @Test
    void shouldForwardAttributesStatedUnderAnIdMergedAwayToTheCustomer() throws Exception {
        start();
        send(TestEvents.productView("guest-1", T0));
        send(
                io.p13n.model.IdentifyEvent.newBuilder()
                        .setEventId("login-1")
                        .setAnonymousId("guest-1")
                        .setCustomerId("c1")
                        .setSource("login")
                        .setEventTime(T0.plusSeconds(10))
                        .build());
        send(
                io.p13n.model.CustomerAttributesEvent.newBuilder()
                        .setEventId("a1")
                        .setCustomerId("guest-1")
                        .setTimeZone("Asia/Tokyo")
                        .setEventTime(T0.plusSeconds(20))
                        .build());

        var handOffs = harness.getSideOutput(OutputTags.IDENTITY_HAND_OFFS);
        assertThat(handOffs.stream().map(r -> r.getValue().getPayload()))
                .filteredOn(p -> p instanceof io.p13n.model.CustomerAttributesEvent)
                .singleElement()
                .satisfies(
                        p -> {
                            var moved = (io.p13n.model.CustomerAttributesEvent) p;
                            assertThat(moved.getCustomerId()).isEqualTo("c1");
                            assertThat(moved.getTimeZone()).isEqualTo("Asia/Tokyo");
                        });
    }

    @Test
    void shouldCountActivityInOneSevenAndThirtyDayWindows() throws Exception {
        start();
        for (int day : new int[] {0, 3, 20, 40, 40}) {
            send(TestEvents.productView("c1", T0.plus(DAY.multipliedBy(day))));
        }

        CustomerProfile p = latest();
        long asOf = Math.floorDiv(T0.plus(DAY.multipliedBy(40)).toEpochMilli(), DAY.toMillis());
        var views = io.p13n.jobs.profile.ActivityWindows.Metric.PRODUCT_VIEWS;
        assertThat(io.p13n.jobs.profile.ActivityWindows.count(p, views, asOf, 1)).isEqualTo(2);
        assertThat(io.p13n.jobs.profile.ActivityWindows.count(p, views, asOf, 7)).isEqualTo(2);
        assertThat(io.p13n.jobs.profile.ActivityWindows.count(p, views, asOf, 30)).isEqualTo(3);
        assertThat(p.getProductViews()).as("lifetime").isEqualTo(5);
    }

    @Test
    void shouldKeepEveryListBounded() throws Exception {
        start();
        for (int i = 0; i < 60; i++) {
            send(
                    TestEvents.click("c1", ClickType.PRODUCT_VIEW, T0.plusSeconds(i))
                            .setProductId("p" + i)
                            .setCategoryId("cat" + (i % 15))
                            .build());
            send(cartAdd(T0.plusSeconds(i), "p" + i, 1.0));
        }

        CustomerProfile p = latest();
        assertThat(p.getRecentlyViewed()).hasSize(20).startsWith("p59", "p58");
        assertThat(p.getCart()).hasSize(50);
        assertThat(p.getCart())
                .extracting(i -> i.getProductId())
                .doesNotContain("p0", "p9")
                .contains("p10", "p59");
        assertThat(p.getCategories()).hasSize(10);
    }

    @Test
    void shouldRankCategoriesByDecayedWeightedInterest() throws Exception {
        start();
        // Five old views of "books" against one recent add-to-cart of "shoes" (weight 3).
        for (int i = 0; i < 5; i++) {
            send(
                    TestEvents.click("c1", ClickType.PRODUCT_VIEW, T0.plusSeconds(i))
                            .setCategoryId("books")
                            .build());
        }
        send(
                TestEvents.click("c1", ClickType.ADD_TO_CART, T0.plus(DAY.multipliedBy(30)))
                        .setCategoryId("shoes")
                        .build());

        var top =
                io.p13n.jobs.profile.CategoryAffinity.top(
                        latest(),
                        T0.plus(DAY.multipliedBy(30)).toEpochMilli(),
                        Duration.ofDays(14).toMillis());
        assertThat(top.get(0).getCategoryId()).isEqualTo("shoes");
        // 5 × 2^(-30/14) ≈ 1.14 < 3
        assertThat(top.get(1).getScore())
                .isCloseTo(5 * Math.pow(0.5, 30.0 / 14), org.assertj.core.data.Offset.offset(0.01));
    }

    // ---- orders, points, tiers -----------------------------------------------------------------

    @Test
    void shouldAddPlacedOrdersAndReverseCancelledAndRefundedOnes() throws Exception {
        start();
        OrderEvent first = TestEvents.placed("c1", T0, 100);
        OrderEvent second = TestEvents.placed("c1", T0.plusSeconds(3600), 50);
        send(first);
        send(second);
        send(
                OrderEvent.newBuilder(second)
                        .setStatus(OrderStatus.CANCELLED)
                        .setEventTime(T0.plusSeconds(3700))
                        .build());
        send(
                OrderEvent.newBuilder(first)
                        .setStatus(OrderStatus.REFUNDED)
                        .setTotal(40)
                        .setEventTime(T0.plusSeconds(7200))
                        .build());

        CustomerProfile p = latest();
        assertThat(p.getOrders()).isEqualTo(2);
        assertThat(p.getTotalSpend()).isEqualTo(60.0);
        assertThat(p.getPoints()).as("100 + 50 - 50 - 40").isEqualTo(60);
        assertThat(p.getPurchaseDays()).as("same-day orders merge").isEqualTo(1);
    }

    @Test
    void shouldMoveTiersUpWithSpendAndDownOnRefundAndWhenSpendAgesOut() throws Exception {
        start();
        send(TestEvents.placed("c1", T0, 300));
        assertThat(latest().getTier()).isEqualTo(LoyaltyTier.SILVER);
        OrderEvent big = TestEvents.placed("c1", T0.plusSeconds(60), 800);
        send(big);
        assertThat(latest().getTier()).isEqualTo(LoyaltyTier.GOLD);
        send(
                OrderEvent.newBuilder(big)
                        .setStatus(OrderStatus.REFUNDED)
                        .setEventTime(T0.plusSeconds(120))
                        .build());
        assertThat(latest().getTier()).isEqualTo(LoyaltyTier.SILVER);
        assertThat(latest().getPoints()).isEqualTo(300);

        // Gone for good: churned after 180 days, then the spend leaves the rolling year.
        advanceTo(T0.plus(DAY.multipliedBy(400)));

        assertThat(latest().getSegment()).isEqualTo(Segment.CHURNED);
        assertThat(latest().getTier()).isEqualTo(LoyaltyTier.BRONZE);
        assertThat(latest().getPoints()).as("points do not expire").isEqualTo(300);
        assertThat(harness.numEventTimeTimers()).as("nothing left to wait for").isZero();
    }

    // ---- lifecycle and inactivity timers -------------------------------------------------------

    @Test
    void shouldMoveAOneTimeBuyerThroughNewActiveAtRiskChurnedOnTimers() throws Exception {
        start();
        send(TestEvents.placed("c1", T0, 50));
        assertThat(latest().getSegment()).isEqualTo(Segment.NEW);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        advanceTo(T0.plus(DAY.multipliedBy(59)));
        assertThat(latest().getSegment()).isEqualTo(Segment.ACTIVE);
        advanceTo(T0.plus(DAY.multipliedBy(60)));
        assertThat(latest().getSegment()).isEqualTo(Segment.AT_RISK);
        advanceTo(T0.plus(DAY.multipliedBy(180)));
        assertThat(latest().getSegment()).isEqualTo(Segment.CHURNED);
        assertThat(latest().getChurnReasons())
                .contains("no visit in 180 days, one purchase so far");
        assertThat(latest().getChurnRisk()).isEqualTo(1.0);

        assertThat(segmentChanges())
                .containsExactly("UNKNOWN>NEW", "NEW>ACTIVE", "ACTIVE>AT_RISK", "AT_RISK>CHURNED");
        assertThat(signals())
                .extracting(ChurnSignal::getType)
                .containsExactly(ChurnSignalType.AT_RISK, ChurnSignalType.CHURNED);
        advanceTo(T0.plus(DAY.multipliedBy(500)));
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldPostponeInactivityOnAnyActivity() throws Exception {
        start();
        send(TestEvents.placed("c1", T0, 50));
        advanceTo(T0.plus(DAY.multipliedBy(50)));
        send(TestEvents.productView("c1", T0.plus(DAY.multipliedBy(55))));

        advanceTo(T0.plus(DAY.multipliedBy(114)));
        assertThat(latest().getSegment()).as("59 days after the visit").isEqualTo(Segment.ACTIVE);
        advanceTo(T0.plus(DAY.multipliedBy(115)));
        assertThat(latest().getSegment()).isEqualTo(Segment.AT_RISK);
        assertThat(harness.numEventTimeTimers())
                .as("one timer per customer, the old deadline replaced")
                .isEqualTo(1);
    }

    @Test
    void shouldSignalReactivationWhenAnAtRiskCustomerComesBack() throws Exception {
        start();
        send(TestEvents.placed("c1", T0, 50));
        advanceTo(T0.plus(DAY.multipliedBy(61)));
        send(TestEvents.productView("c1", T0.plus(DAY.multipliedBy(62))));

        assertThat(latest().getSegment()).isEqualTo(Segment.ACTIVE);
        assertThat(signals())
                .extracting(ChurnSignal::getType)
                .containsExactly(ChurnSignalType.AT_RISK, ChurnSignalType.REACTIVATED);
    }

    @Test
    void shouldScaleInactivityToTheCustomersOwnPurchaseRhythm() throws Exception {
        // P(alive) off, to see the silence rule alone: buys every 10 days -> at risk after 25,
        // churned after 50.
        start(TestProfiles.settings(Map.of("churn.p-alive-at-risk", "0")));
        for (int day : new int[] {0, 10, 20}) {
            send(TestEvents.placed("c1", T0.plus(DAY.multipliedBy(day)), 20));
        }
        assertThat(latest().getSegment()).isEqualTo(Segment.LOYAL);

        advanceTo(T0.plus(DAY.multipliedBy(20 + 24)));
        assertThat(latest().getSegment()).isEqualTo(Segment.LOYAL);
        advanceTo(T0.plus(DAY.multipliedBy(20 + 25)));
        assertThat(latest().getSegment()).isEqualTo(Segment.AT_RISK);
        assertThat(latest().getChurnReasons())
                .contains("no visit in 25 days, usually buys every 10");
        advanceTo(T0.plus(DAY.multipliedBy(20 + 50)));
        assertThat(latest().getSegment()).isEqualTo(Segment.CHURNED);
    }

    @Test
    void shouldFlagARepeatBuyerWhoseProbabilityOfBeingAliveFalls() throws Exception {
        // Silence rules pushed far out, so only P(alive) (published CDNOW parameters) can act.
        start(
                TestProfiles.settings(
                        Map.of("segment.at-risk-factor", "90", "segment.churn-factor", "100")));
        send(TestEvents.placed("c1", T0, 20));
        send(TestEvents.placed("c1", T0.plus(DAY.multipliedBy(7)), 20));
        BgNbdModel model = new BgNbdModel(BgNbdParameters.PUBLISHED_CDNOW);

        advanceTo(T0.plus(DAY.multipliedBy(7 * 15)));
        assertThat(latest().getSegment()).isNotEqualTo(Segment.AT_RISK);
        // Scored at the last weekly re-score: x = 1 repeat, t_x = 1 week, T = weeks since the
        // first.
        double ageWeeks = (latest().getScoredAt() - T0.toEpochMilli()) / (7.0 * DAY.toMillis());
        assertThat(ageWeeks).isBetween(14.0, 15.0);
        assertThat(latest().getPAlive())
                .isCloseTo(
                        model.probabilityAlive(1, 1, ageWeeks),
                        org.assertj.core.data.Offset.offset(1e-9));
        advanceTo(T0.plus(DAY.multipliedBy(7 * 30)));

        CustomerProfile p = latest();
        assertThat(p.getSegment()).isEqualTo(Segment.AT_RISK);
        assertThat(p.getPAlive()).isLessThan(0.3);
        assertThat(p.getChurnReasons()).anyMatch(r -> r.startsWith("P(alive) 0."));
        assertThat(p.getExpectedPurchases30d()).isPositive().isLessThan(1.0);
    }

    @Test
    void shouldTurnALoyalHighSpenderIntoHighValue() throws Exception {
        start();
        send(TestEvents.placed("c1", T0, 400));
        send(TestEvents.placed("c1", T0.plus(DAY.multipliedBy(3)), 400));
        assertThat(latest().getSegment()).isEqualTo(Segment.NEW);
        send(TestEvents.placed("c1", T0.plus(DAY.multipliedBy(6)), 400));

        assertThat(latest().getSegment()).isEqualTo(Segment.HIGH_VALUE);
        assertThat(latest().getTier()).isEqualTo(LoyaltyTier.GOLD);
    }

    // ---- cart abandonment ----------------------------------------------------------------------

    @Test
    void shouldSignalCartAbandonmentOnceWithTheItemsLeft() throws Exception {
        start();
        send(cartAdd(T0, "p1", 10));
        send(cartAdd(T0.plusSeconds(60), "p2", 5));
        advanceTo(T0.plusSeconds(60 + 3599));
        assertThat(signals()).isEmpty();

        advanceTo(T0.plusSeconds(60 + 3600));
        advanceTo(T0.plus(DAY));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.getType()).isEqualTo(ChurnSignalType.CART_ABANDONED);
                            assertThat(s.getCartItems()).containsExactly("p1", "p2");
                            assertThat(s.getCartValue()).isEqualTo(15.0);
                            assertThat(s.getEventTime()).isEqualTo(T0.plusSeconds(60 + 3600));
                        });
        assertThat(harness.numEventTimeTimers())
                .as("a prospect with a signalled cart waits for nothing")
                .isZero();
    }

    @Test
    void shouldNotSignalAbandonmentWhenTheCartIsBought() throws Exception {
        start();
        send(cartAdd(T0, "p1", 10));
        send(order(T0.plusSeconds(600), 10, "p1", "category-1"));
        advanceTo(T0.plus(DAY));

        assertThat(signals())
                .extracting(ChurnSignal::getType)
                .doesNotContain(ChurnSignalType.CART_ABANDONED);
        assertThat(latest().getCart()).isEmpty();
        assertThat(latest().getPurchasedProducts()).containsExactly("p1");
    }

    @Test
    void shouldTreatAnAddToCartReadAfterTheOrderThatBoughtItAsSettled() throws Exception {
        start();
        send(order(T0.plusSeconds(600), 10, "p1", "category-1"));
        send(cartAdd(T0, "p1", 10)); // earlier in event time, read later (the clicks topic lagged)
        advanceTo(T0.plus(DAY));

        assertThat(latest().getCart()).isEmpty();
        assertThat(signals())
                .extracting(ChurnSignal::getType)
                .doesNotContain(ChurnSignalType.CART_ABANDONED);
    }

    @Test
    void shouldNotSignalAbandonmentWhenTheCartIsEmptied() throws Exception {
        start();
        send(cartAdd(T0, "p1", 10));
        send(
                TestEvents.click("c1", ClickType.REMOVE_FROM_CART, T0.plusSeconds(60))
                        .setProductId("p1")
                        .build());
        advanceTo(T0.plus(DAY));

        assertThat(signals()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldSignalAgainWhenAnAbandonedCartChanges() throws Exception {
        start();
        send(cartAdd(T0, "p1", 10));
        advanceTo(T0.plusSeconds(7200));
        send(cartAdd(T0.plusSeconds(8000), "p2", 10));
        advanceTo(T0.plus(DAY));

        assertThat(signals())
                .extracting(ChurnSignal::getType)
                .containsExactly(ChurnSignalType.CART_ABANDONED, ChurnSignalType.CART_ABANDONED);
    }

    // ---- order independence, late events, state lifetime ---------------------------------------

    @Test
    void shouldGiveTheSameProfileWhateverTheArrivalOrder() throws Exception {
        start();
        Instant later = T0.plusSeconds(600);
        send(TestEvents.placed("c1", later, 20));
        send(TestEvents.productView("c1", T0));

        CustomerProfile p = latest();
        assertThat(p.getFirstSeen()).isEqualTo(T0.toEpochMilli());
        assertThat(p.getLastSeen()).isEqualTo(later.toEpochMilli());
        assertThat(p.getLastOrderTime()).isEqualTo(later.toEpochMilli());
    }

    @Test
    void shouldStillApplyALateEvent() throws Exception {
        start();
        advanceTo(T0.plusSeconds(3600));
        send(TestEvents.productView("c1", T0));

        assertThat(latest().getProductViews()).isEqualTo(1);
    }

    @Test
    void shouldKeepCustomersApart() throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        send(TestEvents.productView("c2", T0));
        send(TestEvents.productView("c2", T0));

        assertThat(latest().getCustomerId()).isEqualTo("c2");
        assertThat(latest().getProductViews()).isEqualTo(2);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void shouldExpireTheProfileOfACustomerGoneLongerThanTheTtl() throws Exception {
        var h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new CustomerProfileFunction(
                                Duration.ofDays(1),
                                32,
                                Duration.ofDays(1),
                                ProfileSettings.defaults()),
                        CustomerEvents::customerId,
                        Types.STRING);
        h.open();
        h.setStateTtlProcessingTime(0);
        h.processElement(
                new StreamRecord<>(
                        new CustomerEvent(TestEvents.productView("c1", T0)), T0.toEpochMilli()));

        h.setStateTtlProcessingTime(Duration.ofDays(2).toMillis());
        h.processElement(
                new StreamRecord<>(
                        new CustomerEvent(TestEvents.productView("c1", T0.plusSeconds(1))),
                        T0.toEpochMilli()));

        List<CustomerProfile> out = h.extractOutputValues();
        assertThat(out.get(1).getProductViews()).isEqualTo(1);
        assertThat(out.get(1).getFirstSeen()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
    }

    private int offerProfiles() {
        var queue = harness.getSideOutput(OutputTags.OFFER_PROFILES);
        return queue == null ? 0 : queue.size();
    }

    @Test
    void shouldSendOnlyOfferRelevantChangesToTheOfferStage() throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        assertThat(offerProfiles()).as("a new customer's first profile").isEqualTo(1);

        send(TestEvents.productView("c1", T0.plusSeconds(60)));
        send(TestEvents.productView("c1", T0.plusSeconds(120)));
        assertThat(offerProfiles()).as("views change nothing an offer reacts to").isEqualTo(1);

        send(TestEvents.placed("c1", T0.plusSeconds(180), 80));
        assertThat(offerProfiles())
                .as("an order changes points, orders and the segment")
                .isEqualTo(2);
    }

    // ---- consent --------------------------------------------------------------------------------

    private List<CustomerEvent> uniqueEvents() {
        var queue = harness.getSideOutput(OutputTags.UNIQUE_EVENTS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void withoutPersonalizationConsentNothingBehaviouralIsKeptButOrdersStillEarnPoints()
            throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        send(cartAdd(T0.plusSeconds(10), "p1", 20.0));
        assertThat(latest().getRecentlyViewed()).isNotEmpty();

        send(
                TestEvents.consent(
                        "c1",
                        io.p13n.model.ConsentPurpose.PERSONALIZATION,
                        null,
                        false,
                        T0.plusSeconds(20)));
        CustomerProfile withdrawn = latest();
        assertThat(withdrawn.getRecentlyViewed()).isEmpty();
        assertThat(withdrawn.getCart()).isEmpty();
        assertThat(withdrawn.getCategories()).isEmpty();
        assertThat(withdrawn.getProductViews()).isZero();
        assertThat(withdrawn.getConsents()).hasSize(1);

        int before = uniqueEvents().size();
        send(TestEvents.productView("c1", T0.plusSeconds(30)));
        assertThat(uniqueEvents())
                .as("a click goes nowhere, not even the item models")
                .hasSize(before);
        assertThat(latest()).as("and changes nothing").isEqualTo(withdrawn);

        send(order(T0.plusSeconds(40), 100.0, "p2", "shoes"));
        CustomerProfile afterOrder = latest();
        assertThat(afterOrder.getOrders()).isEqualTo(1);
        assertThat(afterOrder.getPoints()).as("the loyalty programme is owed").isPositive();
        assertThat(afterOrder.getPurchasedProducts()).isEmpty();
        assertThat(afterOrder.getCategories()).isEmpty();
        assertThat(afterOrder.getSegment()).isEqualTo(Segment.UNKNOWN);
        assertThat(uniqueEvents()).as("the order reaches the offer ledger").hasSize(before + 1);

        send(
                TestEvents.consent(
                        "c1",
                        io.p13n.model.ConsentPurpose.PERSONALIZATION,
                        null,
                        true,
                        T0.plusSeconds(50)));
        send(TestEvents.productView("c1", T0.plusSeconds(60)));
        assertThat(latest().getProductViews()).as("profiled again from the grant on").isEqualTo(1);
    }

    @Test
    void underAnOptInDefaultNoCustomerIsProfiledUntilTheyGrantIt() throws Exception {
        start(
                ProfileSettings.from(
                        io.p13n.config.EngineConfig.fromMap(
                                java.util.Map.of(
                                        "kafka.bootstrap-servers", "localhost:9092",
                                        "privacy.personalization-consent-default", "denied"),
                                java.util.Map.of())));
        send(TestEvents.productView("c1", T0));
        assertThat(harness.extractOutputValues()).isEmpty();

        send(
                TestEvents.consent(
                        "c1",
                        io.p13n.model.ConsentPurpose.PERSONALIZATION,
                        null,
                        true,
                        T0.plusSeconds(5)));
        send(TestEvents.productView("c1", T0.plusSeconds(10)));
        assertThat(latest().getProductViews()).isEqualTo(1);
    }

    // ---- erasure --------------------------------------------------------------------------------

    private static Erasure erasure(String customer, int copies) {
        return new Erasure(customer, "req-1", T0.plus(DAY).toEpochMilli(), copies);
    }

    @Test
    void anErasureForgetsTheCustomerAndTellsEveryStageAfterIt() throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        send(cartAdd(T0.plusSeconds(10), "p1", 20.0));
        send(TestEvents.placed("c1", T0.plusSeconds(60), 80));
        send(TestEvents.productView("c2", T0));
        assertThat(harness.numEventTimeTimers()).as("c1's next deadline").isPositive();
        int profilesBefore = harness.extractOutputValues().size();
        int uniqueBefore = uniqueEvents().size();

        send(erasure("c1", 2));

        CustomerProfile erased = latest();
        assertThat(harness.extractOutputValues()).hasSize(profilesBefore + 1);
        assertThat(erased.getErased()).isTrue();
        assertThat(erased.getCustomerId()).isEqualTo("c1");
        assertThat(erased.getOrders()).as("nothing but the id").isZero();
        assertThat(uniqueEvents()).hasSize(uniqueBefore + 1);
        assertThat(uniqueEvents().get(uniqueBefore).getPayload()).isInstanceOf(Erasure.class);
        var offerProfiles = harness.getSideOutput(OutputTags.OFFER_PROFILES);
        assertThat(List.copyOf(offerProfiles).get(offerProfiles.size() - 1).getValue().getErased())
                .isTrue();
        var segment = harness.getSideOutput(OutputTags.SEGMENT_CHANGES);
        assertThat(Erasures.isTombstone(List.copyOf(segment).get(segment.size() - 1).getValue()))
                .isTrue();
        var churn = harness.getSideOutput(OutputTags.CHURN_SIGNALS);
        assertThat(Erasures.isTombstone(List.copyOf(churn).get(churn.size() - 1).getValue()))
                .isTrue();

        // Until the last copy, what still arrives of c1 is dropped.
        send(TestEvents.productView("c1", T0.plusSeconds(120)));
        assertThat(harness.extractOutputValues()).hasSize(profilesBefore + 1);
        assertThat(harness.numProcessingTimeTimers()).as("the give-up timer").isEqualTo(1);

        send(erasure("c1", 2));
        assertThat(harness.extractOutputValues())
                .as("the second copy only ends the wait")
                .hasSize(profilesBefore + 1);
        assertThat(harness.numEventTimeTimers()).as("c2 has no deadline after one view").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("c2's profile alone").isEqualTo(1);
    }

    @Test
    void anErasureWhoseCopiesGoMissingIsForgottenByItsTimer() throws Exception {
        start();
        send(TestEvents.productView("c1", T0));
        harness.setProcessingTime(1_000);
        send(erasure("c1", 2));
        assertThat(harness.numKeyedStateEntries()).as("the wait for the second copy").isEqualTo(1);

        harness.setProcessingTime(1_000 + CustomerProfileFunction.ERASURE_WAIT.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void anErasureOfACustomerNeverSeenStillDeletesTheirKeys() throws Exception {
        start();
        send(erasure("ghost", 1));
        assertThat(latest().getErased()).isTrue();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
