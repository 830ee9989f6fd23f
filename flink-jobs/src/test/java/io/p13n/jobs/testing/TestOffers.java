package io.p13n.jobs.testing;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.offers.OfferSettings;
import io.p13n.model.Audience;
import io.p13n.model.Budget;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerProfile;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.OfferInput;
import io.p13n.model.Reward;
import io.p13n.model.RewardType;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Offer fixtures: settings as a user would write them, campaigns and profiles to change per test.
 */
public final class TestOffers {
    private TestOffers() {}

    /**
     * The documented defaults, except no control group and no global control group (so a test
     * customer is not held out by chance), with these keys changed.
     */
    public static OfferSettings settings(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092");
        values.put(EngineOptions.OFFERS_CONTROL_SHARE.key(), "0");
        values.put(EngineOptions.OFFERS_GLOBAL_CONTROL_SHARE.key(), "0");
        values.putAll(overrides);
        return OfferSettings.from(EngineConfig.fromMap(values, Map.of()));
    }

    public static OfferSettings settings() {
        return settings(Map.of());
    }

    /** An ACTIVE, always-open campaign for everyone: 10% off, 14 days, no budget. */
    public static Campaign.Builder campaign(String id, TriggerType trigger) {
        return Campaign.newBuilder()
                .setId(id)
                .setName("Campaign " + id)
                .setVersion(1)
                .setStatus(CampaignStatus.ACTIVE)
                .setPriority(0)
                .setTrigger(trigger)
                .setAudience(Audience.newBuilder().build())
                .setReward(percentOff(10))
                .setBudget(Budget.newBuilder().build())
                .setUpdatedAt(0);
    }

    public static Reward percentOff(double percent) {
        return Reward.newBuilder()
                .setType(RewardType.PERCENT)
                .setValue(percent)
                .setValidityDays(14)
                .build();
    }

    public static Campaign.Builder copy(Campaign campaign) {
        return Campaign.newBuilder(campaign);
    }

    /** A repeat buyer's profile as of {@code at}: BRONZE, no cart, low churn risk. */
    public static CustomerProfile.Builder profile(String customerId, Segment segment, Instant at) {
        long t = at.toEpochMilli();
        return CustomerProfile.newBuilder()
                .setCustomerId(customerId)
                .setSegment(segment)
                .setTier(LoyaltyTier.BRONZE)
                .setOrders(3)
                .setTotalSpend(150)
                .setPoints(150)
                .setChurnRisk(0.1)
                .setPAlive(0.9)
                .setLastEventTime(t)
                .setScoredAt(t);
    }

    public static List<CategoryScore> categories(String categoryId, double score) {
        return List.of(new CategoryScore(categoryId, score, 0L));
    }

    public static OfferInput in(Object payload) {
        return new OfferInput(payload);
    }
}
