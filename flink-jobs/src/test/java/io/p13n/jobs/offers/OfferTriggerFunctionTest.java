package io.p13n.jobs.offers;

import static io.p13n.jobs.testing.TestOffers.campaign;
import static io.p13n.jobs.testing.TestOffers.copy;
import static io.p13n.jobs.testing.TestOffers.in;
import static io.p13n.jobs.testing.TestOffers.profile;
import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.p13n.jobs.privacy.Erasures;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.Audience;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.CartItem;
import io.p13n.model.CustomerProfile;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import io.p13n.model.Variant;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OfferTriggerFunctionTest {
    private static final Duration DAY = Duration.ofDays(1);

    private KeyedBroadcastOperatorTestHarness<String, OfferInput, Campaign, OfferDecision> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, OfferInput, Campaign, OfferDecision>
            newHarness(OfferSettings settings) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new OfferTriggerFunction(settings),
                        List.of(OfferStateDescriptors.CAMPAIGNS)),
                OfferInputs::customerId,
                Types.STRING,
                1,
                1,
                0);
    }

    private void start(OfferSettings settings) throws Exception {
        harness = newHarness(settings);
        harness.open();
    }

    private void start() throws Exception {
        start(TestOffers.settings());
    }

    /** Restarts from a snapshot of the current harness with other settings (same state). */
    private void restart(OfferSettings settings) throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness = newHarness(settings);
        harness.initializeState(snapshot);
        harness.open();
    }

    private void campaigns(Campaign... campaigns) throws Exception {
        for (Campaign c : campaigns) {
            harness.processBroadcastElement(c, 0L);
        }
    }

    private void send(CustomerProfile.Builder profile) throws Exception {
        CustomerProfile p = profile.build();
        harness.processElement(
                new StreamRecord<>(in(p), Math.max(p.getLastEventTime(), p.getScoredAt())));
    }

    private void send(OrderEvent order) throws Exception {
        harness.processElement(new StreamRecord<>(in(order), order.getEventTime().toEpochMilli()));
    }

    private List<OfferDecision> decisions() {
        return harness.extractOutputValues();
    }

    private List<OfferDecision> suppressed() {
        var queue = harness.getSideOutput(OfferOutputTags.SUPPRESSED);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    private static Instant day(int n) {
        return T0.plus(DAY.multipliedBy(n));
    }

    // ---- moments --------------------------------------------------------------------------------

    @Test
    void shouldNotFireOnTheFirstProfileOfACustomer() throws Exception {
        start();
        campaigns(
                campaign("risk", TriggerType.AT_RISK).build(),
                campaign("cart", TriggerType.CART_ABANDONED).build());

        send(profile("c1", Segment.AT_RISK, day(0)).setCartAbandonedSignalled(true));

        assertThat(decisions()).as("the first profile is the baseline, not a change").isEmpty();
    }

    @Test
    void shouldOfferAtRiskCampaignOnlyToCustomersWhoHadBeenActive() throws Exception {
        start();
        campaigns(campaign("risk", TriggerType.AT_RISK).build());

        send(profile("loyal", Segment.LOYAL, day(0)));
        send(profile("loyal", Segment.AT_RISK, day(1)));
        send(profile("new", Segment.NEW, day(0)));
        send(profile("new", Segment.AT_RISK, day(1)));

        assertThat(decisions()).extracting(OfferDecision::getCustomerId).containsExactly("loyal");
        OfferDecision d = decisions().get(0);
        assertThat(d.getOutcome()).isEqualTo(OfferOutcome.SENT);
        assertThat(d.getTrigger()).isEqualTo(TriggerType.AT_RISK);
        assertThat(d.getCampaignId()).isEqualTo("risk");
        assertThat(d.getIssuedAt()).isEqualTo(day(1).toEpochMilli());
        assertThat(d.getExpiresAt()).isEqualTo(day(15).toEpochMilli());
        assertThat(d.getReason()).contains("became at risk (was LOYAL)");
        assertThat(d.getCouponCode()).matches("P13N-[0-9A-Z]{4}-[0-9A-Z]{4}");
    }

    @Test
    void shouldFireAtRiskWhenChurnRiskCrossesTheThresholdWhileStillActive() throws Exception {
        start(TestOffers.settings(Map.of("offers.at-risk.churn-risk", "0.6")));
        campaigns(campaign("risk", TriggerType.AT_RISK).build());

        send(profile("c1", Segment.ACTIVE, day(0)).setChurnRisk(0.5));
        send(profile("c1", Segment.ACTIVE, day(1)).setChurnRisk(0.65));
        send(profile("c1", Segment.ACTIVE, day(2)).setChurnRisk(0.7));
        send(profile("c1", Segment.AT_RISK, day(3)).setChurnRisk(0.8));

        assertThat(decisions()).as("one crossing, however many profiles stay past it").hasSize(1);
        assertThat(decisions().get(0).getReason()).contains("churn risk 0.65");
    }

    @Test
    void shouldOfferWhenACartIsAbandoned() throws Exception {
        start();
        campaigns(campaign("cart", TriggerType.CART_ABANDONED).build());
        List<CartItem> cart =
                List.of(
                        CartItem.newBuilder()
                                .setProductId("p1")
                                .setQuantity(2)
                                .setUnitPrice(40.00)
                                .build(),
                        CartItem.newBuilder()
                                .setProductId("p2")
                                .setQuantity(1)
                                .setUnitPrice(49.90)
                                .build());

        send(profile("c1", Segment.ACTIVE, day(0)).setCart(cart));
        assertThat(decisions()).isEmpty();
        send(
                profile("c1", Segment.ACTIVE, day(0).plusSeconds(3600))
                        .setCart(cart)
                        .setCartAbandonedSignalled(true));
        send(
                profile("c1", Segment.ACTIVE, day(0).plusSeconds(7200))
                        .setCart(cart)
                        .setCartAbandonedSignalled(true));

        assertThat(decisions()).hasSize(1);
        assertThat(decisions().get(0).getTrigger()).isEqualTo(TriggerType.CART_ABANDONED);
        assertThat(decisions().get(0).getReason()).isEqualTo("cart abandoned: 3 items, 129.90");
    }

    @Test
    void shouldOfferWinBackWhenACustomerChurns() throws Exception {
        start();
        campaigns(campaign("winback", TriggerType.WIN_BACK).build());

        send(profile("c1", Segment.AT_RISK, day(0)));
        send(profile("c1", Segment.AT_RISK, day(50)));
        assertThat(decisions()).isEmpty();
        send(profile("c1", Segment.CHURNED, day(100)));

        assertThat(decisions())
                .extracting(OfferDecision::getTrigger)
                .containsExactly(TriggerType.WIN_BACK);
    }

    @Test
    void shouldOfferOnATierUpgradeButNotADowngrade() throws Exception {
        start();
        campaigns(campaign("gold", TriggerType.TIER_UPGRADE).build());

        send(profile("c1", Segment.LOYAL, day(0)).setTier(LoyaltyTier.SILVER));
        send(profile("c1", Segment.LOYAL, day(1)).setTier(LoyaltyTier.BRONZE));
        assertThat(decisions()).isEmpty();
        send(profile("c1", Segment.LOYAL, day(2)).setTier(LoyaltyTier.GOLD));

        assertThat(decisions()).hasSize(1);
        assertThat(decisions().get(0).getReason()).isEqualTo("tier up: BRONZE to GOLD");
    }

    @Test
    void shouldOfferEachTimePointsPassAMilestone() throws Exception {
        start(
                TestOffers.settings(
                        Map.of(
                                "offers.points-milestone-step",
                                "1000",
                                "offers.frequency-cap",
                                "0s",
                                "offers.default-cooldown",
                                "0s")));
        campaigns(campaign("points", TriggerType.POINTS_MILESTONE).build());

        send(profile("c1", Segment.LOYAL, day(0)).setPoints(900));
        send(profile("c1", Segment.LOYAL, day(1)).setPoints(1100));
        send(profile("c1", Segment.LOYAL, day(2)).setPoints(1900));
        send(profile("c1", Segment.LOYAL, day(3)).setPoints(2050));
        send(profile("c1", Segment.LOYAL, day(4)).setPoints(1950)); // a cancellation
        send(profile("c1", Segment.LOYAL, day(5)).setPoints(2100));

        assertThat(decisions())
                .as("a milestone passed again after a dip is not new")
                .extracting(OfferDecision::getReason)
                .containsExactly("passed 1000 points", "passed 2000 points");
    }

    @Test
    void shouldRemindLeadDaysBeforeTheAnniversaryOfAPurchaseInACategory() throws Exception {
        start(TestOffers.settings(Map.of("offers.seasonal.lead-days", "14")));
        campaigns(
                campaign("season", TriggerType.SEASONAL_REPURCHASE)
                        .setAudience(Audience.newBuilder().setCategoryId("garden").build())
                        .build());
        Instant bought = Instant.parse("2026-03-10T12:00:00Z");
        // a strong garden affinity must not make the apparel anniversary a garden moment
        send(
                profile("c1", Segment.ACTIVE, bought.minusSeconds(60))
                        .setCategories(TestOffers.categories("garden", 0.9)));
        send(
                TestEvents.order("c1", OrderStatus.PLACED, bought, 80)
                        .setLines(
                                List.of(
                                        OrderLine.newBuilder()
                                                .setProductId("seeds")
                                                .setCategoryId("garden")
                                                .setUnitPrice(20)
                                                .build(),
                                        OrderLine.newBuilder()
                                                .setProductId("hat")
                                                .setCategoryId("apparel")
                                                .setUnitPrice(60)
                                                .build()))
                        .build());

        assertThat(harness.numEventTimeTimers()).as("one timer per customer").isEqualTo(1);
        long due =
                LocalDate.of(2027, 2, 24).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        harness.watermark(due - 1);
        assertThat(decisions()).isEmpty();
        harness.watermark(due);

        assertThat(decisions())
                .as("only the garden anniversary matches the campaign's category")
                .hasSize(1);
        assertThat(suppressed())
                .as("the apparel one matched nothing (else the cap would show it here)")
                .isEmpty();
        OfferDecision d = decisions().get(0);
        assertThat(d.getTrigger()).isEqualTo(TriggerType.SEASONAL_REPURCHASE);
        assertThat(d.getIssuedAt()).isEqualTo(due);
        assertThat(d.getReason()).isEqualTo("buys garden around 2027-03-10");
        assertThat(harness.numEventTimeTimers())
                .as("both reminders fired at the same deadline")
                .isZero();

        harness.watermark(due + 400 * DAY.toMillis());
        assertThat(decisions()).as("a reminder fires once").hasSize(1);
    }

    @Test
    void shouldMoveTheSeasonalReminderToTheLatestPurchase() throws Exception {
        start();
        campaigns(campaign("season", TriggerType.SEASONAL_REPURCHASE).build());
        send(
                TestEvents.order(
                                "c1", OrderStatus.PLACED, Instant.parse("2026-03-10T12:00:00Z"), 20)
                        .build());
        send(
                TestEvents.order(
                                "c1", OrderStatus.PLACED, Instant.parse("2026-05-10T12:00:00Z"), 20)
                        .build());

        harness.watermark(Instant.parse("2027-04-25T23:59:59Z").toEpochMilli());
        assertThat(decisions())
                .as("the March anniversary (due 24 Feb) was superseded by the May purchase")
                .isEmpty();
        harness.watermark(Instant.parse("2027-04-26T00:00:00Z").toEpochMilli()); // 10 May - 14 days
        assertThat(decisions()).hasSize(1);
        assertThat(decisions().get(0).getIssuedAt())
                .isEqualTo(
                        OfferTriggerFunction.reminderDue(
                                (int) LocalDate.of(2026, 5, 10).toEpochDay(), 14));
    }

    // ---- choosing a campaign --------------------------------------------------------------------

    @Test
    void shouldOfferNothingWhenNoCampaignMatches() throws Exception {
        start();
        campaigns(
                campaign("other-trigger", TriggerType.WIN_BACK).build(),
                campaign("not-yet", TriggerType.CART_ABANDONED)
                        .setStartsAt(day(30).toEpochMilli())
                        .build(),
                campaign("over", TriggerType.CART_ABANDONED)
                        .setEndsAt(day(1).toEpochMilli())
                        .build(),
                campaign("paused", TriggerType.CART_ABANDONED)
                        .setStatus(CampaignStatus.PAUSED)
                        .build());

        send(profile("c1", Segment.ACTIVE, day(0)));
        send(profile("c1", Segment.ACTIVE, day(2)).setCartAbandonedSignalled(true));

        assertThat(decisions()).isEmpty();
        assertThat(suppressed()).isEmpty();
    }

    @Test
    void shouldMatchTheAudienceOnEveryCondition() throws Exception {
        start();
        Audience.Builder base = Audience.newBuilder();
        campaigns(
                campaign("seg", TriggerType.CART_ABANDONED)
                        .setPriority(9)
                        .setAudience(
                                Audience.newBuilder(base.build())
                                        .setSegments(List.of(Segment.AT_RISK))
                                        .build())
                        .build(),
                campaign("tier", TriggerType.CART_ABANDONED)
                        .setPriority(8)
                        .setAudience(
                                Audience.newBuilder(base.build())
                                        .setTiers(List.of(LoyaltyTier.GOLD))
                                        .build())
                        .build(),
                campaign("risk", TriggerType.CART_ABANDONED)
                        .setPriority(7)
                        .setAudience(Audience.newBuilder(base.build()).setMinChurnRisk(0.5).build())
                        .build(),
                campaign("cat", TriggerType.CART_ABANDONED)
                        .setPriority(6)
                        .setAudience(
                                Audience.newBuilder(base.build())
                                        .setCategoryId("shoes")
                                        .setMinCategoryScore(0.5)
                                        .build())
                        .build(),
                campaign("cart", TriggerType.CART_ABANDONED)
                        .setPriority(5)
                        .setAudience(
                                Audience.newBuilder(base.build()).setMinCartValue(100.0).build())
                        .build(),
                campaign("fits", TriggerType.CART_ABANDONED)
                        .setPriority(1)
                        .setAudience(
                                Audience.newBuilder(base.build())
                                        .setSegments(List.of(Segment.ACTIVE, Segment.LOYAL))
                                        .setTiers(List.of(LoyaltyTier.SILVER))
                                        .setMinChurnRisk(0.1)
                                        .setMaxChurnRisk(0.4)
                                        .setCategoryId("shoes")
                                        .setMinCategoryScore(0.2)
                                        .setMinCartValue(20.0)
                                        .setMaxCartValue(60.0)
                                        .build())
                        .build());
        List<CartItem> cart =
                List.of(
                        CartItem.newBuilder()
                                .setProductId("p1")
                                .setQuantity(1)
                                .setUnitPrice(50)
                                .build());

        send(profile("c1", Segment.ACTIVE, day(0)).setTier(LoyaltyTier.SILVER).setCart(cart));
        send(
                profile("c1", Segment.ACTIVE, day(1))
                        .setTier(LoyaltyTier.SILVER)
                        .setChurnRisk(0.3)
                        .setCart(cart)
                        .setCategories(TestOffers.categories("shoes", 0.3))
                        .setCartAbandonedSignalled(true));

        assertThat(decisions()).extracting(OfferDecision::getCampaignId).containsExactly("fits");
    }

    @Test
    void shouldPickTheHighestPriorityThenTheSmallestId() throws Exception {
        start();
        campaigns(
                campaign("b", TriggerType.WIN_BACK).setPriority(5).build(),
                campaign("a", TriggerType.WIN_BACK).setPriority(5).build(),
                campaign("low", TriggerType.WIN_BACK).setPriority(1).build());

        send(profile("c1", Segment.AT_RISK, day(0)));
        send(profile("c1", Segment.CHURNED, day(1)));

        assertThat(decisions()).extracting(OfferDecision::getCampaignId).containsExactly("a");
    }

    // ---- guardrails -----------------------------------------------------------------------------

    @Test
    void shouldCapCouponsAcrossCampaignsPerPeriod() throws Exception {
        start(TestOffers.settings(Map.of("offers.frequency-cap", "7d")));
        campaigns(
                campaign("cart", TriggerType.CART_ABANDONED).build(),
                campaign("tier", TriggerType.TIER_UPGRADE).build(),
                campaign("winback", TriggerType.WIN_BACK).build());

        send(profile("c1", Segment.ACTIVE, day(0)));
        send(profile("c1", Segment.ACTIVE, day(1)).setCartAbandonedSignalled(true));
        send(profile("c1", Segment.ACTIVE, day(4)).setTier(LoyaltyTier.SILVER));
        send(profile("c1", Segment.CHURNED, day(8)));

        assertThat(decisions())
                .extracting(OfferDecision::getCampaignId)
                .containsExactly("cart", "winback");
        assertThat(suppressed()).hasSize(1);
        assertThat(suppressed().get(0).getCampaignId()).isEqualTo("tier");
        assertThat(suppressed().get(0).getOutcome()).isEqualTo(OfferOutcome.SUPPRESSED);
        assertThat(suppressed().get(0).getReason()).startsWith("frequency cap");
    }

    @Test
    void shouldRespectACampaignsCooldown() throws Exception {
        start(
                TestOffers.settings(
                        Map.of("offers.frequency-cap", "1d", "offers.default-cooldown", "30d")));
        campaigns(
                campaign("cart", TriggerType.CART_ABANDONED).build(),
                campaign("quick", TriggerType.POINTS_MILESTONE).setCooldownDays(5).build());

        send(profile("c1", Segment.ACTIVE, day(0)));
        // cart abandoned on day 1, 10 and 40: the default 30-day cooldown stops day 10
        send(profile("c1", Segment.ACTIVE, day(1)).setCartAbandonedSignalled(true));
        send(profile("c1", Segment.ACTIVE, day(2)));
        send(profile("c1", Segment.ACTIVE, day(10)).setCartAbandonedSignalled(true));
        send(profile("c1", Segment.ACTIVE, day(11)));
        send(profile("c1", Segment.ACTIVE, day(40)).setCartAbandonedSignalled(true));
        // milestones on day 50, 53 and 56: the campaign's own 5-day cooldown stops day 53
        send(profile("c1", Segment.ACTIVE, day(50)).setPoints(1000));
        send(profile("c1", Segment.ACTIVE, day(53)).setPoints(2000));
        send(profile("c1", Segment.ACTIVE, day(56)).setPoints(3000));

        assertThat(decisions())
                .extracting(
                        d ->
                                d.getCampaignId()
                                        + "@"
                                        + (d.getIssuedAt() - T0.toEpochMilli()) / DAY.toMillis())
                .containsExactly("cart@1", "cart@40", "quick@50", "quick@56");
        assertThat(suppressed())
                .extracting(OfferDecision::getReason)
                .allMatch(r -> r.startsWith("cooldown"))
                .hasSize(2);
    }

    @Test
    void shouldHoldOutControlCustomersUnderTheSameCapsAsTreatedOnes() throws Exception {
        start(TestOffers.settings(Map.of("offers.control-group.share", "1")));
        campaigns(
                campaign("cart", TriggerType.CART_ABANDONED).build(),
                campaign("tier", TriggerType.TIER_UPGRADE).build());

        send(profile("c1", Segment.ACTIVE, day(0)));
        send(profile("c1", Segment.ACTIVE, day(1)).setCartAbandonedSignalled(true));

        assertThat(decisions()).hasSize(1);
        OfferDecision held = decisions().get(0);
        assertThat(held.getOutcome()).isEqualTo(OfferOutcome.HELD_OUT);
        assertThat(held.getCampaignId()).as("records what would have been sent").isEqualTo("cart");
        assertThat(held.getReward().getValue()).isEqualTo(10.0);

        // a day later the tier rises: within the 7-day frequency cap, so a treated customer would
        // get
        // nothing, and the control customer's held-out record must not count it either
        send(
                profile("c1", Segment.ACTIVE, day(2))
                        .setTier(LoyaltyTier.SILVER)
                        .setCartAbandonedSignalled(true));

        assertThat(decisions()).hasSize(1);
        assertThat(suppressed())
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).startsWith("frequency cap"));
    }

    @Test
    void shouldAssignTheSameVariantToTheSameCustomerAndCarryItsReward() throws Exception {
        start();
        Campaign ab =
                campaign("ab", TriggerType.WIN_BACK)
                        .setVariants(
                                List.of(
                                        new Variant("A", 1, null),
                                        new Variant("B", 1, TestOffers.percentOff(25))))
                        .build();
        campaigns(ab);

        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            customers.add("c" + i);
            send(profile("c" + i, Segment.AT_RISK, day(0)));
            send(profile("c" + i, Segment.CHURNED, day(1)));
        }

        assertThat(decisions()).hasSize(40);
        for (OfferDecision d : decisions()) {
            assertThat(d.getVariant())
                    .isEqualTo(VariantAssignment.assign(ab, d.getCustomerId()).getName());
            assertThat(d.getReward().getValue())
                    .isEqualTo(d.getVariant().equals("B") ? 25.0 : 10.0);
        }
        assertThat(decisions()).extracting(OfferDecision::getVariant).contains("A", "B");
    }

    @Test
    void shouldIssueTheSameCouponForTheSameMoment() {
        Campaign c = campaign("x", TriggerType.WIN_BACK).build();
        var m = new OfferTriggerFunction.Moment(TriggerType.WIN_BACK, 1000L, "r", null);
        OfferDecision a = OfferTriggerFunction.decision("c1", c, m);
        OfferDecision b = OfferTriggerFunction.decision("c1", c, m);
        OfferDecision other = OfferTriggerFunction.decision("c2", c, m);

        assertThat(a.getDecisionId()).isEqualTo(b.getDecisionId());
        assertThat(a.getCouponCode()).isEqualTo(b.getCouponCode());
        assertThat(other.getDecisionId()).isNotEqualTo(a.getDecisionId());
    }

    // ---- campaigns at run time ------------------------------------------------------------------

    @Test
    void shouldFollowCampaignChangesAtRunTime() throws Exception {
        start(
                TestOffers.settings(
                        Map.of("offers.frequency-cap", "0s", "offers.default-cooldown", "0s")));
        Campaign v1 = campaign("cart", TriggerType.CART_ABANDONED).build();
        int[] t = {0};

        campaigns(v1);
        assertThat(abandonCart("c1", t)).as("created: matches").isTrue();

        campaigns(copy(v1).setVersion(2).setStatus(CampaignStatus.PAUSED).build());
        assertThat(abandonCart("c1", t)).as("paused").isFalse();

        campaigns(copy(v1).setVersion(3).setStatus(CampaignStatus.ACTIVE).build());
        assertThat(abandonCart("c1", t)).as("resumed").isTrue();

        campaigns(
                copy(v1).setVersion(4)
                        .setAudience(
                                Audience.newBuilder().setSegments(List.of(Segment.LOYAL)).build())
                        .build());
        assertThat(abandonCart("c1", t)).as("audience changed to LOYAL; c1 is ACTIVE").isFalse();

        campaigns(copy(v1).setVersion(2).build());
        assertThat(abandonCart("c1", t)).as("an older version is ignored").isFalse();

        campaigns(copy(v1).setVersion(5).build());
        assertThat(abandonCart("c1", t)).as("audience back to everyone").isTrue();

        campaigns(copy(v1).setVersion(6).setStatus(CampaignStatus.ENDED).build());
        assertThat(abandonCart("c1", t)).as("ended").isFalse();
        assertThat(harness.getBroadcastState(OfferStateDescriptors.CAMPAIGNS).entries())
                .as("ended campaigns are removed")
                .isEmpty();
    }

    @Test
    void shouldDecideMomentsThatCameBeforeANewCampaignAsIfItHadBeenThere() throws Exception {
        // The order in which Flink reads the campaigns and the events must not change the coupons.
        start();
        campaigns(campaign("cart", TriggerType.CART_ABANDONED).build());
        send(profile("c1", Segment.ACTIVE, day(0)));
        send(profile("c1", Segment.ACTIVE, day(2)).setCartAbandonedSignalled(true));
        List<OfferDecision> campaignFirst = decisions();
        close();

        start();
        send(profile("c1", Segment.ACTIVE, day(0)));
        send(profile("c1", Segment.ACTIVE, day(2)).setCartAbandonedSignalled(true));
        assertThat(decisions()).as("no campaign yet").isEmpty();
        harness.setProcessingTime(Duration.ofMinutes(4).toMillis());
        campaigns(campaign("cart", TriggerType.CART_ABANDONED).build());

        assertThat(campaignFirst).hasSize(1);
        assertThat(decisions())
                .as("the late campaign's decision")
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(campaignFirst);
    }

    @Test
    void shouldNotApplyALateCampaignBeforeItsStartOrAfterTheGrace() throws Exception {
        start(
                TestOffers.settings(
                        Map.of("offers.late-campaign-grace", "1m", "offers.frequency-cap", "0s")));
        send(profile("c1", Segment.ACTIVE, day(0)));
        send(profile("c1", Segment.ACTIVE, day(2)).setCartAbandonedSignalled(true));
        send(profile("c2", Segment.ACTIVE, day(0)));
        harness.setProcessingTime(Duration.ofSeconds(30).toMillis());
        send(profile("c2", Segment.ACTIVE, day(2)).setCartAbandonedSignalled(true));

        // c1's moment has waited 70 s, c2's 40 s; one campaign starts after the moments
        harness.setProcessingTime(Duration.ofSeconds(70).toMillis());
        campaigns(
                campaign("later", TriggerType.CART_ABANDONED)
                        .setStartsAt(day(3).toEpochMilli())
                        .setPriority(9)
                        .build(),
                campaign("cart", TriggerType.CART_ABANDONED).build());

        assertThat(decisions())
                .extracting(OfferDecision::getCustomerId, OfferDecision::getCampaignId)
                .containsExactly(tuple("c2", "cart"));
        // Decided once: a later campaign finds nothing waiting.
        campaigns(campaign("another", TriggerType.CART_ABANDONED).build());
        assertThat(decisions()).hasSize(1);
    }

    @Test
    void shouldWaitForNoCampaignWhenTheGraceIsZero() throws Exception {
        start(TestOffers.settings(Map.of("offers.late-campaign-grace", "0s")));
        send(profile("c1", Segment.ACTIVE, day(0)));
        send(profile("c1", Segment.ACTIVE, day(2)).setCartAbandonedSignalled(true));

        campaigns(campaign("cart", TriggerType.CART_ABANDONED).build());

        assertThat(decisions()).isEmpty();
    }

    @Test
    void shouldIgnoreAnInvalidCampaign() throws Exception {
        start();
        campaigns(
                campaign("bad", TriggerType.CART_ABANDONED)
                        .setReward(TestOffers.percentOff(150))
                        .build());

        assertThat(harness.getBroadcastState(OfferStateDescriptors.CAMPAIGNS).entries()).isEmpty();
    }

    /**
     * One cart-abandon moment for the customer, a day after the last; true when an offer came out.
     */
    private boolean abandonCart(String customer, int[] dayCounter) throws Exception {
        int before = decisions().size();
        send(profile(customer, Segment.ACTIVE, day(dayCounter[0]++)));
        send(
                profile(customer, Segment.ACTIVE, day(dayCounter[0]++))
                        .setCartAbandonedSignalled(true));
        return decisions().size() > before;
    }

    // ---- backfill -------------------------------------------------------------------------------

    @Test
    void shouldEmitNothingDuringBackfillButAdvanceTheState() throws Exception {
        start(TestOffers.settings(Map.of("offers.backfill", "true")));
        campaigns(
                campaign("cart", TriggerType.CART_ABANDONED).build(),
                campaign("tier", TriggerType.TIER_UPGRADE).build());

        send(profile("c1", Segment.ACTIVE, day(0)));
        send(profile("c1", Segment.ACTIVE, day(1)).setCartAbandonedSignalled(true));
        assertThat(decisions()).isEmpty();
        assertThat(suppressed()).isEmpty();

        restart(TestOffers.settings(Map.of("offers.backfill", "false")));
        // the same abandoned cart seen again: not a new moment
        send(profile("c1", Segment.ACTIVE, day(2)).setCartAbandonedSignalled(true));
        assertThat(decisions()).isEmpty();
        // the frequency cap the backfilled offer consumed still holds
        send(
                profile("c1", Segment.ACTIVE, day(3))
                        .setTier(LoyaltyTier.SILVER)
                        .setCartAbandonedSignalled(true));
        assertThat(decisions()).isEmpty();
        assertThat(suppressed()).extracting(OfferDecision::getCampaignId).containsExactly("tier");
    }

    // ---- consent --------------------------------------------------------------------------------

    private static List<io.p13n.model.ConsentGrant> marketingConsent(
            io.p13n.model.MessageChannel channel, boolean granted, Instant at) {
        return io.p13n.jobs.privacy.Consents.record(
                List.of(),
                io.p13n.model.testing.TestEvents.consent(
                        "any", io.p13n.model.ConsentPurpose.MARKETING, channel, granted, at));
    }

    @Test
    void underOptInNoOfferGoesOutWithoutMarketingConsentForTheCampaignsChannel() throws Exception {
        start(
                TestOffers.settings(
                        Map.of(
                                "privacy.marketing-consent-default", "denied",
                                "offers.control-group.share", "0.5")));
        campaigns(
                campaign("risk", TriggerType.AT_RISK)
                        .setChannel(io.p13n.model.MessageChannel.EMAIL)
                        .build());
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            customers.add("c" + i);
        }
        for (String c : customers) {
            // even customers granted email, odd ones only push
            var consents =
                    marketingConsent(
                            Integer.parseInt(c.substring(1)) % 2 == 0
                                    ? io.p13n.model.MessageChannel.EMAIL
                                    : io.p13n.model.MessageChannel.PUSH,
                            true,
                            day(0));
            send(profile(c, Segment.LOYAL, day(0)).setConsents(consents));
            send(profile(c, Segment.AT_RISK, day(1)).setConsents(consents));
        }

        assertThat(decisions())
                .as("sent or held out: only customers who may get email")
                .extracting(d -> Integer.parseInt(d.getCustomerId().substring(1)) % 2)
                .containsOnly(0)
                .hasSize(10);
        assertThat(decisions())
                .extracting(OfferDecision::getOutcome)
                .contains(OfferOutcome.HELD_OUT);
        assertThat(decisions())
                .extracting(OfferDecision::getChannel)
                .containsOnly(io.p13n.model.MessageChannel.EMAIL);
        assertThat(suppressed())
                .as("the others, before the control split, so neither arm has them")
                .hasSize(10)
                .allSatisfy(
                        d -> {
                            assertThat(d.getOutcome()).isEqualTo(OfferOutcome.SUPPRESSED_CONSENT);
                            assertThat(d.getReason()).startsWith("no marketing consent for EMAIL");
                        });
    }

    @Test
    void aWithdrawalStopsTheOffersDecidedAfterIt() throws Exception {
        start(); // opt-out default: offers go out until withdrawn
        campaigns(campaign("risk", TriggerType.AT_RISK).build()); // ONSITE by default

        send(profile("c1", Segment.LOYAL, day(0)));
        send(
                profile("c1", Segment.LOYAL, day(1))
                        .setConsents(
                                marketingConsent(
                                        io.p13n.model.MessageChannel.ONSITE, false, day(1))));
        send(
                profile("c1", Segment.AT_RISK, day(2))
                        .setConsents(
                                marketingConsent(
                                        io.p13n.model.MessageChannel.ONSITE, false, day(1))));

        assertThat(decisions()).isEmpty();
        assertThat(suppressed())
                .extracting(OfferDecision::getOutcome)
                .containsExactly(OfferOutcome.SUPPRESSED_CONSENT);
    }

    // ---- erasure --------------------------------------------------------------------------------

    @Test
    void anErasedProfileClearsTheCustomersOfferStateAndTimer() throws Exception {
        start();
        campaigns(campaign("season", TriggerType.SEASONAL_REPURCHASE).build());
        Instant bought = Instant.parse("2026-03-10T12:00:00Z");
        send(profile("c1", Segment.ACTIVE, bought.minusSeconds(60)));
        send(
                TestEvents.order("c1", OrderStatus.PLACED, bought, 80)
                        .setLines(
                                List.of(
                                        OrderLine.newBuilder()
                                                .setProductId("seeds")
                                                .setCategoryId("garden")
                                                .setUnitPrice(80)
                                                .build()))
                        .build());
        send(profile("c2", Segment.ACTIVE, bought));
        assertThat(harness.numEventTimeTimers()).as("c1's anniversary reminder").isEqualTo(1);

        send(CustomerProfile.newBuilder(Erasures.erasedProfile("c1")));

        assertThat(harness.numEventTimeTimers()).isZero();
        harness.watermark(Instant.parse("2028-01-01T00:00:00Z").toEpochMilli());
        assertThat(decisions()).as("no reminder of a forgotten purchase").isEmpty();
    }

    @Test
    void globalControlCustomersAreHeldOutOfEveryCampaignWithTheirArmsDesignedShare()
            throws Exception {
        OfferSettings settings =
                TestOffers.settings(
                        Map.of(
                                "offers.global-control.share", "0.3",
                                "offers.control-group.share", "0.2",
                                "offers.frequency-cap", "0"));
        start(settings);
        campaigns(
                campaign("cart", TriggerType.CART_ABANDONED)
                        .setVariants(
                                List.of(
                                        new io.p13n.model.Variant("A", 3, null),
                                        new io.p13n.model.Variant("B", 1, null)))
                        .build(),
                campaign("tier", TriggerType.TIER_UPGRADE).build());
        ControlGroup groups = ControlGroup.of(settings);
        for (int i = 0; i < 60; i++) {
            String c = "c" + i;
            send(profile(c, Segment.ACTIVE, day(0)));
            send(profile(c, Segment.ACTIVE, day(1)).setCartAbandonedSignalled(true));
            send(
                    profile(c, Segment.ACTIVE, day(2))
                            .setCartAbandonedSignalled(true)
                            .setTier(LoyaltyTier.SILVER));
        }

        List<OfferDecision> all = decisions();
        assertThat(all).hasSize(120);
        for (OfferDecision d : all) {
            boolean global = groups.isGlobalControl(d.getCustomerId(), d.getIssuedAt());
            assertThat(d.getGlobalControl()).as(d.getCustomerId()).isEqualTo(global);
            if (global) {
                assertThat(d.getOutcome()).isEqualTo(OfferOutcome.HELD_OUT);
                assertThat(d.getArmShare()).isEqualTo(0.3);
            } else if (d.getOutcome() == OfferOutcome.HELD_OUT) {
                assertThat(groups.isControl(d.getCampaignId(), d.getCustomerId())).isTrue();
                assertThat(d.getArmShare())
                        .isCloseTo(0.7 * 0.2, org.assertj.core.api.Assertions.within(1e-12));
            } else {
                double weight =
                        d.getCampaignId().equals("tier")
                                ? 1
                                : d.getVariant().equals("A") ? 0.75 : 0.25;
                assertThat(d.getArmShare())
                        .isCloseTo(
                                0.7 * 0.8 * weight, org.assertj.core.api.Assertions.within(1e-12));
            }
        }
        // a customer of the global control group gets nothing from either campaign
        assertThat(all)
                .filteredOn(OfferDecision::getGlobalControl)
                .isNotEmpty()
                .extracting(OfferDecision::getOutcome)
                .containsOnly(OfferOutcome.HELD_OUT);
        assertThat(
                        all.stream()
                                .filter(OfferDecision::getGlobalControl)
                                .map(OfferDecision::getCampaignId)
                                .distinct())
                .containsExactlyInAnyOrder("cart", "tier");
        // campaign control groups are drawn per campaign: someone is control in one, sent the other
        assertThat(
                        all.stream()
                                .filter(d -> !d.getGlobalControl())
                                .collect(
                                        java.util.stream.Collectors.groupingBy(
                                                OfferDecision::getCustomerId,
                                                java.util.stream.Collectors.mapping(
                                                        OfferDecision::getOutcome,
                                                        java.util.stream.Collectors.toSet())))
                                .values())
                .contains(java.util.Set.of(OfferOutcome.SENT, OfferOutcome.HELD_OUT));
    }
}
