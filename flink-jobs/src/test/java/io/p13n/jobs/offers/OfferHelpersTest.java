package io.p13n.jobs.offers;

import static io.p13n.jobs.testing.TestOffers.campaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.Audience;
import io.p13n.model.Budget;
import io.p13n.model.Campaign;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.Reward;
import io.p13n.model.RewardType;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import io.p13n.model.Variant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts: control group, variants, coupon codes, campaign validation. */
class OfferHelpersTest {

    @Test
    void controlGroupShouldBeStableAndCloseToItsShare() {
        ControlGroup group = new ControlGroup(0.1, "salt-1");
        ControlGroup again = new ControlGroup(0.1, "salt-1");
        ControlGroup resalted = new ControlGroup(0.1, "salt-2");
        int control = 0;
        int moved = 0;
        int both = 0;
        for (int i = 0; i < 10_000; i++) {
            String id = "customer-" + i;
            boolean in = group.isControl("c1", id);
            assertThat(again.isControl("c1", id)).as(id).isEqualTo(in);
            control += in ? 1 : 0;
            moved += in != resalted.isControl("c1", id) ? 1 : 0;
            both += in && group.isControl("c2", id) ? 1 : 0;
        }
        // binomial(10000, 0.1): sd = 30, so +-150 is 5 sd
        assertThat(control).isBetween(850, 1150);
        assertThat(moved).as("a new salt reshuffles").isGreaterThan(1000);
        // independent per campaign: about 1 % in both (sd 10), not the 10 % of one shared group
        assertThat(both).as("each campaign draws its own control group").isBetween(50, 150);
        assertThat(new ControlGroup(0, "s").isControl("c", "x")).isFalse();
        assertThat(new ControlGroup(1, "s").isControl("c", "x")).isTrue();
    }

    @Test
    void globalControlGroupShouldHoldItsShareOutForAPeriodThenDrawAgain() {
        long day = OfferSettings.DAY_MILLIS;
        ControlGroup group = new ControlGroup(0.1, "salt-1", 0.05, 90 * day);
        int held = 0;
        int stayed = 0;
        int heldNext = 0;
        int heldInBoth = 0;
        for (int i = 0; i < 20_000; i++) {
            String id = "customer-" + i;
            boolean in = group.isGlobalControl(id, 0);
            assertThat(group.isGlobalControl(id, 90 * day - 1))
                    .as("the same within the period")
                    .isEqualTo(in);
            boolean next = group.isGlobalControl(id, 90 * day);
            held += in ? 1 : 0;
            heldNext += next ? 1 : 0;
            heldInBoth += in && next ? 1 : 0;
            stayed += in == group.isGlobalControl(id, 45 * day) ? 1 : 0;
        }
        // binomial(20000, 0.05): sd = 31, so +-155 is 5 sd
        assertThat(held).isBetween(845, 1155);
        assertThat(heldNext).isBetween(845, 1155);
        assertThat(stayed).isEqualTo(20_000);
        // drawn again: about 0.25 % in both periods (50, sd 7), not the 5 % of a fixed group
        assertThat(heldInBoth).as("a new period draws again").isBetween(15, 100);
        assertThat(new ControlGroup(0.1, "s", 0, day).isGlobalControl("x", 0)).isFalse();
    }

    @Test
    void variantsShouldBeStableAndCloseToTheirWeights() {
        Campaign c =
                campaign("ab", TriggerType.WIN_BACK)
                        .setVariants(
                                List.of(new Variant("A", 70, null), new Variant("B", 30, null)))
                        .build();
        Campaign other =
                campaign("other", TriggerType.WIN_BACK)
                        .setVariants(
                                List.of(new Variant("A", 70, null), new Variant("B", 30, null)))
                        .build();
        Map<String, Integer> counts = new HashMap<>();
        int sameInOther = 0;
        for (int i = 0; i < 10_000; i++) {
            String id = "customer-" + i;
            String arm = VariantAssignment.assign(c, id).getName();
            assertThat(VariantAssignment.assign(c, id).getName()).isEqualTo(arm);
            counts.merge(arm, 1, Integer::sum);
            sameInOther += arm.equals(VariantAssignment.assign(other, id).getName()) ? 1 : 0;
        }
        // binomial sd = 46: +-230 is 5 sd
        assertThat(counts.get("A")).isBetween(6770, 7230);
        assertThat(counts.get("B")).isBetween(2770, 3230);
        // independent between campaigns: P(same) = 0.7^2 + 0.3^2 = 0.58
        assertThat(sameInOther / 10_000.0).isCloseTo(0.58, within(0.03));
        assertThat(VariantAssignment.assign(campaign("none", TriggerType.WIN_BACK).build(), "c1"))
                .isNull();
    }

    @Test
    void couponCodesShouldBeReadableAndDistinct() {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = CouponIds.decisionId("c" + i, "camp", TriggerType.CART_ABANDONED, 1000L);
            String code = CouponIds.couponCode(id);
            assertThat(code).matches("P13N-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}");
            codes.add(code);
        }
        assertThat(codes).hasSize(10_000);
    }

    @Test
    void validCampaignShouldHaveNoProblems() {
        Campaign c =
                campaign("ok", TriggerType.CART_ABANDONED)
                        .setAudience(
                                Audience.newBuilder()
                                        .setSegments(List.of(Segment.ACTIVE))
                                        .setMinCartValue(50.0)
                                        .build())
                        .setBudget(new Budget(1000L, 100L))
                        .setVariants(
                                List.of(
                                        new Variant("A", 50, null),
                                        new Variant("B", 50, TestOffers.percentOff(15))))
                        .build();
        assertThat(Campaigns.validate(c, 0)).isEmpty();
    }

    @Test
    void shouldRefuseCampaignsThatCanNeverMatch() {
        long now = 1_000_000L;
        assertThat(
                        Campaigns.validate(
                                campaign("x", TriggerType.CART_ABANDONED)
                                        .setStartsAt(5000L)
                                        .setEndsAt(5000L)
                                        .build(),
                                0))
                .anyMatch(p -> p.contains("window is empty"));
        assertThat(
                        Campaigns.validate(
                                campaign("x", TriggerType.CART_ABANDONED)
                                        .setEndsAt(now - 1)
                                        .build(),
                                now))
                .anyMatch(p -> p.contains("ends in the past"));
        assertThat(
                        Campaigns.problems(
                                campaign("x", TriggerType.CART_ABANDONED)
                                        .setEndsAt(now - 1)
                                        .build()))
                .as("the engine does not judge by the clock")
                .isEmpty();
        assertThat(
                        Campaigns.problems(
                                campaign("x", TriggerType.AT_RISK)
                                        .setChannel(io.p13n.model.MessageChannel.UNKNOWN)
                                        .build()))
                .as("a channel from a newer producer, read as UNKNOWN")
                .contains("channel must be EMAIL, SMS, PUSH or ONSITE");
        assertThat(
                        Campaigns.problems(
                                campaign("x", TriggerType.AT_RISK)
                                        .setAudience(
                                                Audience.newBuilder()
                                                        .setMinChurnRisk(0.8)
                                                        .setMaxChurnRisk(0.5)
                                                        .build())
                                        .build()))
                .anyMatch(p -> p.contains("churn risk range is empty"));
        assertThat(
                        Campaigns.problems(
                                campaign("x", TriggerType.CART_ABANDONED)
                                        .setAudience(
                                                Audience.newBuilder()
                                                        .setMinCartValue(100.0)
                                                        .setMaxCartValue(50.0)
                                                        .build())
                                        .build()))
                .anyMatch(p -> p.contains("cart value range is empty"));
        assertThat(
                        Campaigns.problems(
                                campaign("x", TriggerType.WIN_BACK)
                                        .setAudience(
                                                Audience.newBuilder()
                                                        .setSegments(
                                                                List.of(
                                                                        Segment.ACTIVE,
                                                                        Segment.LOYAL))
                                                        .build())
                                        .build()))
                .anyMatch(p -> p.contains("WIN_BACK fires only for customers in [CHURNED]"));
        assertThat(
                        Campaigns.problems(
                                campaign("x", TriggerType.TIER_UPGRADE)
                                        .setAudience(
                                                Audience.newBuilder()
                                                        .setTiers(List.of(LoyaltyTier.BRONZE))
                                                        .build())
                                        .build()))
                .anyMatch(p -> p.contains("TIER_UPGRADE never upgrades to [BRONZE]"));
        assertThat(
                        Campaigns.problems(
                                campaign("x", TriggerType.WIN_BACK)
                                        .setBudget(new Budget(0L, null))
                                        .build()))
                .anyMatch(p -> p.contains("total budget must be positive"));
        assertThat(
                        Campaigns.problems(
                                campaign("x", TriggerType.WIN_BACK)
                                        .setBudget(new Budget(null, -5L))
                                        .build()))
                .anyMatch(p -> p.contains("daily budget must be positive"));
    }

    @Test
    void shouldRefuseInvalidDiscounts() {
        assertThat(problemsOf(new Reward(RewardType.PERCENT, 0.0, 0.0, 14, null)))
                .anyMatch(p -> p.contains("percent off must be more than 0"));
        assertThat(problemsOf(new Reward(RewardType.PERCENT, 120.0, 0.0, 14, null)))
                .anyMatch(p -> p.contains("at most 100"));
        assertThat(problemsOf(new Reward(RewardType.AMOUNT, 0.0, 0.0, 14, null)))
                .anyMatch(p -> p.contains("amount off must be positive"));
        assertThat(problemsOf(new Reward(RewardType.AMOUNT, 10.0, 5.0, 14, null)))
                .anyMatch(p -> p.contains("min spend 5.0 is below the amount off 10.0"));
        assertThat(problemsOf(new Reward(RewardType.MESSAGE, 0.0, 0.0, 14, " ")))
                .anyMatch(p -> p.contains("needs a message"));
        assertThat(problemsOf(new Reward(RewardType.PERCENT, 10.0, 0.0, 0, null)))
                .anyMatch(p -> p.contains("validity must be 1 to 365 days"));
        assertThat(problemsOf(new Reward(RewardType.AMOUNT, 10.0, 30.0, 14, null))).isEmpty();
    }

    private static List<String> problemsOf(Reward reward) {
        return Campaigns.problems(campaign("x", TriggerType.WIN_BACK).setReward(reward).build());
    }
}
