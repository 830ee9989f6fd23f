package io.p13n.jobs.offers;

import io.p13n.model.Campaign;
import io.p13n.model.Reward;
import io.p13n.model.Variant;

/**
 * A/B arms: a customer's arm in a campaign is a hash of (campaign id, customer id) mapped onto the
 * variants' cumulative weights, so it is stable for the campaign's life and independent between
 * campaigns. A campaign without variants has one arm, {@value #DEFAULT_ARM}.
 */
public final class VariantAssignment {
    public static final String DEFAULT_ARM = "default";

    /** The arm of held-out (control group) customers in campaign stats. */
    public static final String CONTROL_ARM = "control";

    /**
     * The arm of customers in the global control group ({@code offers.global-control.*}), held out
     * of every campaign: in a campaign's stats beside its own control, and in the global report.
     */
    public static final String GLOBAL_CONTROL_ARM = "global-control";

    /** The global report's arm of decisions sent, whatever the campaign and variant. */
    public static final String TREATED_ARM = "treated";

    private VariantAssignment() {}

    /**
     * The variant for this customer, or null when the campaign has none (or no positive weight).
     */
    public static Variant assign(Campaign campaign, String customerId) {
        long total = 0;
        for (Variant v : campaign.getVariants()) {
            total += Math.max(0, v.getWeight());
        }
        if (total == 0) {
            return null;
        }
        double point = Hashes.unit(campaign.getId() + "\u0000" + customerId) * total;
        long cumulative = 0;
        Variant last = null;
        for (Variant v : campaign.getVariants()) {
            if (v.getWeight() <= 0) {
                continue;
            }
            cumulative += v.getWeight();
            last = v;
            if (point < cumulative) {
                return v;
            }
        }
        return last; // rounding at the very top
    }

    /**
     * The share of the campaign's treated customers that the named arm gets by design: its weight
     * over the total of positive weights; 1 for {@value #DEFAULT_ARM} of a campaign without
     * variants; 0 for a name the campaign has no positive weight for.
     */
    public static double weightShare(Campaign campaign, String arm) {
        long total = 0;
        long mine = 0;
        for (Variant v : campaign.getVariants()) {
            if (v.getWeight() > 0) {
                total += v.getWeight();
                if (v.getName().equals(arm)) {
                    mine += v.getWeight();
                }
            }
        }
        if (total == 0) {
            return DEFAULT_ARM.equals(arm) ? 1 : 0;
        }
        return (double) mine / total;
    }

    public static String armName(Variant variant) {
        return variant == null ? DEFAULT_ARM : variant.getName();
    }

    /** The variant's reward, or the campaign's when the variant has none. */
    public static Reward rewardOf(Campaign campaign, Variant variant) {
        return variant != null && variant.getReward() != null
                ? variant.getReward()
                : campaign.getReward();
    }
}
