package io.p13n.jobs.offers;

import io.p13n.model.Audience;
import io.p13n.model.Budget;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.Reward;
import io.p13n.model.RewardType;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import io.p13n.model.Variant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a campaign before it is published ({@code personalize campaign create}) and when the
 * engine receives it: a campaign that can never match, or whose discount makes no sense, is refused
 * with reasons a marketer can act on.
 */
public final class Campaigns {
    /** Longest cooldown accepted; also how long the engine remembers a campaign per customer. */
    public static final int MAX_COOLDOWN_DAYS = 365;

    public static final int MAX_VALIDITY_DAYS = 365;

    /** Segments a customer can be in when each trigger fires (from the trigger rules). */
    private static final EnumSet<Segment> ANY = EnumSet.allOf(Segment.class);

    private Campaigns() {}

    /** Every problem, including a window that has already ended (as of the wall clock). */
    public static List<String> validate(Campaign campaign) {
        return validate(campaign, System.currentTimeMillis());
    }

    /** Every problem, including a window that has ended before {@code nowMillis}. */
    public static List<String> validate(Campaign campaign, long nowMillis) {
        List<String> problems = problems(campaign);
        if (campaign.getEndsAt() != null && campaign.getEndsAt() <= nowMillis) {
            problems.add(
                    "the campaign ends in the past ("
                            + java.time.Instant.ofEpochMilli(campaign.getEndsAt())
                            + ")");
        }
        return problems;
    }

    /**
     * The problems that do not depend on the clock (what the engine checks: a campaign replayed
     * from the topic after its end is still well-formed).
     */
    public static List<String> problems(Campaign c) {
        List<String> p = new ArrayList<>();
        if (c.getId() == null || c.getId().isBlank()) {
            p.add("id is empty");
        } else if (!c.getId().matches("[A-Za-z0-9._-]{1,64}")) {
            p.add("id '" + c.getId() + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (c.getVersion() < 1) {
            p.add("version must be at least 1, was " + c.getVersion());
        }
        if (c.getStatus() == null || c.getStatus() == CampaignStatus.UNKNOWN) {
            p.add("status must be ACTIVE, PAUSED or ENDED");
        }
        if (c.getTrigger() == null || c.getTrigger() == TriggerType.UNKNOWN) {
            p.add("trigger is missing");
        }
        if (c.getChannel() == null || c.getChannel() == io.p13n.model.MessageChannel.UNKNOWN) {
            // An unknown channel could match no consent: every offer would be suppressed.
            p.add("channel must be EMAIL, SMS, PUSH or ONSITE");
        }
        if (c.getStartsAt() != null && c.getEndsAt() != null && c.getEndsAt() <= c.getStartsAt()) {
            p.add(
                    "the date window is empty: it ends ("
                            + java.time.Instant.ofEpochMilli(c.getEndsAt())
                            + ") at or before it starts ("
                            + java.time.Instant.ofEpochMilli(c.getStartsAt())
                            + ")");
        }
        audience(c.getTrigger(), c.getAudience(), p);
        reward("reward", c.getReward(), p);
        budget(c.getBudget(), p);
        if (c.getCooldownDays() != null
                && (c.getCooldownDays() < 0 || c.getCooldownDays() > MAX_COOLDOWN_DAYS)) {
            p.add(
                    "cooldown must be 0 to "
                            + MAX_COOLDOWN_DAYS
                            + " days, was "
                            + c.getCooldownDays());
        }
        Set<String> names = new HashSet<>();
        long totalWeight = 0;
        for (Variant v : c.getVariants()) {
            if (v.getName() == null || v.getName().isBlank()) {
                p.add("a variant has no name");
            } else if (v.getName().equals(VariantAssignment.CONTROL_ARM)
                    || v.getName().equals(VariantAssignment.GLOBAL_CONTROL_ARM)) {
                p.add(
                        "variant name '"
                                + v.getName()
                                + "' is reserved for the "
                                + (v.getName().equals(VariantAssignment.CONTROL_ARM)
                                        ? "control group"
                                        : "global control group"));
            } else if (!names.add(v.getName())) {
                p.add("variant '" + v.getName() + "' appears twice");
            }
            if (v.getWeight() <= 0) {
                p.add(
                        "variant '"
                                + v.getName()
                                + "' weight must be positive, was "
                                + v.getWeight());
            }
            totalWeight += Math.max(0, v.getWeight());
            if (v.getReward() != null) {
                reward("variant '" + v.getName() + "' reward", v.getReward(), p);
            }
        }
        if (!c.getVariants().isEmpty() && totalWeight == 0) {
            p.add("variants need a positive total weight");
        }
        return p;
    }

    private static void audience(TriggerType trigger, Audience a, List<String> p) {
        if (a == null) {
            p.add("audience is missing");
            return;
        }
        range("churn risk", a.getMinChurnRisk(), a.getMaxChurnRisk(), p);
        if (a.getMinChurnRisk() != null && (a.getMinChurnRisk() < 0 || a.getMinChurnRisk() > 1)
                || a.getMaxChurnRisk() != null
                        && (a.getMaxChurnRisk() < 0 || a.getMaxChurnRisk() > 1)) {
            p.add("churn risk bounds must be within 0..1");
        }
        range("cart value", a.getMinCartValue(), a.getMaxCartValue(), p);
        if (a.getMaxCartValue() != null && a.getMaxCartValue() < 0) {
            p.add("cart value max must not be negative");
        }
        if (a.getMinCategoryScore() < 0) {
            p.add("category min score must not be negative");
        }
        if (a.getCategoryId() != null && a.getCategoryId().isBlank()) {
            p.add("category id is empty");
        }
        if (trigger == TriggerType.CART_ABANDONED
                && a.getMaxCartValue() != null
                && a.getMaxCartValue() <= 0) {
            p.add(
                    "CART_ABANDONED fires only for non-empty carts, but the cart value must be at most "
                            + a.getMaxCartValue());
        }
        Set<Segment> possible = possibleSegments(trigger);
        if (!a.getSegments().isEmpty() && a.getSegments().stream().noneMatch(possible::contains)) {
            p.add(
                    trigger
                            + " fires only for customers in "
                            + possible
                            + ", so segments "
                            + a.getSegments()
                            + " never match");
        }
        if (trigger == TriggerType.TIER_UPGRADE
                && !a.getTiers().isEmpty()
                && a.getTiers().stream()
                        .allMatch(t -> t == LoyaltyTier.BRONZE || t == LoyaltyTier.UNKNOWN)) {
            p.add(
                    "TIER_UPGRADE never upgrades to "
                            + a.getTiers()
                            + " (BRONZE is the lowest tier)");
        }
    }

    /** The segments a customer can be in at a moment of this trigger. */
    public static Set<Segment> possibleSegments(TriggerType trigger) {
        if (trigger == null) {
            return ANY;
        }
        return switch (trigger) {
            case WIN_BACK -> EnumSet.of(Segment.CHURNED);
            // entering AT_RISK, or a once-active customer's score crossing the thresholds
            case AT_RISK ->
                    EnumSet.of(Segment.AT_RISK, Segment.ACTIVE, Segment.LOYAL, Segment.HIGH_VALUE);
            // points and tiers rise with an order, which makes a churned customer active again
            case TIER_UPGRADE, POINTS_MILESTONE ->
                    EnumSet.complementOf(
                            EnumSet.of(Segment.PROSPECT, Segment.UNKNOWN, Segment.CHURNED));
            // a year after a purchase the customer may be anything but a prospect
            case SEASONAL_REPURCHASE ->
                    EnumSet.complementOf(EnumSet.of(Segment.PROSPECT, Segment.UNKNOWN));
            default -> ANY;
        };
    }

    private static void range(String what, Double min, Double max, List<String> p) {
        if (min != null && max != null && min > max) {
            p.add(what + " range is empty: min " + min + " > max " + max);
        }
        if (min != null && min < 0) {
            p.add(what + " min must not be negative");
        }
    }

    private static void reward(String what, Reward r, List<String> p) {
        if (r == null) {
            p.add(what + " is missing");
            return;
        }
        RewardType type = r.getType();
        if (type == null || type == RewardType.UNKNOWN) {
            p.add(what + ": type must be PERCENT, AMOUNT or MESSAGE");
        } else if (type == RewardType.PERCENT && !(r.getValue() > 0 && r.getValue() <= 100)) {
            p.add(what + ": percent off must be more than 0 and at most 100, was " + r.getValue());
        } else if (type == RewardType.AMOUNT && !(r.getValue() > 0)) {
            p.add(what + ": amount off must be positive, was " + r.getValue());
        } else if (type == RewardType.AMOUNT
                && r.getMinSpend() > 0
                && r.getMinSpend() < r.getValue()) {
            p.add(
                    what
                            + ": min spend "
                            + r.getMinSpend()
                            + " is below the amount off "
                            + r.getValue()
                            + " (the coupon would pay the customer)");
        } else if (type == RewardType.MESSAGE
                && (r.getMessage() == null || r.getMessage().isBlank())) {
            p.add(what + ": a MESSAGE reward needs a message");
        }
        if (r.getMinSpend() < 0) {
            p.add(what + ": min spend must not be negative");
        }
        if (r.getValidityDays() < 1 || r.getValidityDays() > MAX_VALIDITY_DAYS) {
            p.add(
                    what
                            + ": validity must be 1 to "
                            + MAX_VALIDITY_DAYS
                            + " days, was "
                            + r.getValidityDays());
        }
    }

    private static void budget(Budget b, List<String> p) {
        if (b == null) {
            p.add("budget is missing (use an empty budget for unlimited)");
            return;
        }
        if (b.getTotal() != null && b.getTotal() <= 0) {
            p.add("total budget must be positive, was " + b.getTotal());
        }
        if (b.getPerDay() != null && b.getPerDay() <= 0) {
            p.add("daily budget must be positive, was " + b.getPerDay());
        }
    }
}
