package io.p13n.jobs.offers;

import io.p13n.model.Audience;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.OfferCategoryFact;
import io.p13n.model.OfferCustomerState;
import io.p13n.model.TriggerType;
import java.util.Comparator;

/** Which campaigns apply to a moment, and which one wins. Pure. */
public final class CampaignMatcher {
    /**
     * Highest priority first, then the smaller id: a total order, so every instance picks the same.
     */
    public static final Comparator<Campaign> PREFERENCE =
            Comparator.comparingInt(Campaign::getPriority)
                    .reversed()
                    .thenComparing(Campaign::getId);

    private CampaignMatcher() {}

    /**
     * Whether {@code campaign} applies to a {@code trigger} moment at {@code at} for a customer
     * with these facts. {@code momentCategory} is the category the moment is about (seasonal
     * re-purchase): then the audience's category must be that one (affinity not needed); null for
     * other moments, whose category condition is the customer's affinity.
     */
    public static boolean matches(
            Campaign campaign,
            TriggerType trigger,
            long at,
            OfferCustomerState facts,
            String momentCategory) {
        if (campaign.getStatus() != CampaignStatus.ACTIVE || campaign.getTrigger() != trigger) {
            return false;
        }
        if (campaign.getStartsAt() != null && at < campaign.getStartsAt()) {
            return false;
        }
        if (campaign.getEndsAt() != null && at >= campaign.getEndsAt()) {
            return false;
        }
        return audienceMatches(campaign.getAudience(), facts, momentCategory);
    }

    public static boolean audienceMatches(
            Audience a, OfferCustomerState facts, String momentCategory) {
        if (!a.getSegments().isEmpty() && !a.getSegments().contains(facts.getSegment())) {
            return false;
        }
        if (!a.getTiers().isEmpty() && !a.getTiers().contains(facts.getTier())) {
            return false;
        }
        if (a.getMinChurnRisk() != null && facts.getChurnRisk() < a.getMinChurnRisk()) {
            return false;
        }
        if (a.getMaxChurnRisk() != null && facts.getChurnRisk() > a.getMaxChurnRisk()) {
            return false;
        }
        if (a.getMinCartValue() != null && facts.getCartValue() < a.getMinCartValue()) {
            return false;
        }
        if (a.getMaxCartValue() != null && facts.getCartValue() > a.getMaxCartValue()) {
            return false;
        }
        if (a.getCategoryId() != null && momentCategory != null) {
            // a moment about a category (seasonal re-purchase) matches a category campaign only for
            // that category
            if (!a.getCategoryId().equals(momentCategory)) {
                return false;
            }
        } else if (a.getCategoryId() != null) {
            boolean found = false;
            for (OfferCategoryFact c : facts.getCategories()) {
                if (c.getCategoryId().equals(a.getCategoryId())
                        && c.getScore() >= a.getMinCategoryScore()) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** The preferred of {@code candidate} and {@code best} (either may be null). */
    public static Campaign better(Campaign best, Campaign candidate) {
        if (best == null) {
            return candidate;
        }
        if (candidate == null) {
            return best;
        }
        return PREFERENCE.compare(candidate, best) < 0 ? candidate : best;
    }
}
