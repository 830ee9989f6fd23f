package io.p13n.jobs.offers;

import io.p13n.config.DailyWindow;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.model.MessageChannel;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * The knobs of retention offers, read once from the configuration ({@code offers.*}) and shipped
 * with the functions as plain values.
 *
 * @param controlShare share of each campaign's customers in its control group (0..1)
 * @param controlSalt salt of the control-group hashes (campaign and global)
 * @param frequencyCapMillis at most one SENT coupon per customer within this period, across
 *     campaigns
 * @param defaultCooldownMillis same campaign to the same customer again only after this (campaign
 *     {@code cooldownDays} overrides)
 * @param lateCampaignGraceMillis how long an unmatched moment waits (wall-clock) for a late
 *     campaign
 * @param pointsMilestoneStep a POINTS_MILESTONE moment each time points pass a multiple of this
 * @param atRiskChurnRisk AT_RISK also when churn risk rises above this
 * @param atRiskPAlive AT_RISK also when P(alive) falls below this
 * @param seasonalLeadDays SEASONAL_REPURCHASE this many days before a purchase's anniversary
 * @param attributionWindowMillis issued offers are kept this long after expiry for attribution
 * @param maxOffersPerCustomer issued offers kept per customer
 * @param backfill update state but emit nothing
 * @param stateTtlMillis keyed offer state expires after this long without an update
 * @param statsTtlMillis TTL of the campaign stats hash in Redis
 * @param campaignsTopic topic of Campaign records
 * @param offerTriggersTopic topic of OfferDecision records
 * @param marketingByDefault marketing consent assumed without a record ({@code
 *     privacy.marketing-consent-default})
 * @param globalControlShare share of customers held out of every campaign ({@code
 *     offers.global-control.share}, 0 disables)
 * @param globalControlPeriodMillis global control membership is drawn again every period
 * @param quietHours when an offer may reach the customer, per channel ({@code
 *     offers.quiet-hours.*}, in the customer's zone or {@code customers.default-time-zone})
 */
public record OfferSettings(
        double controlShare,
        String controlSalt,
        long frequencyCapMillis,
        long defaultCooldownMillis,
        long lateCampaignGraceMillis,
        long pointsMilestoneStep,
        double atRiskChurnRisk,
        double atRiskPAlive,
        int seasonalLeadDays,
        long attributionWindowMillis,
        int maxOffersPerCustomer,
        boolean backfill,
        long stateTtlMillis,
        long statsTtlMillis,
        String campaignsTopic,
        String offerTriggersTopic,
        boolean marketingByDefault,
        double globalControlShare,
        long globalControlPeriodMillis,
        QuietHours quietHours)
        implements Serializable {

    public static final long DAY_MILLIS = 86_400_000L;

    /**
     * Campaigns remembered per customer for cooldowns. A customer can only receive one coupon per
     * frequency-cap period, so even a 1-day cap fills 64 entries in two months; entries older than
     * the longest allowed cooldown ({@link Campaigns#MAX_COOLDOWN_DAYS}) are pruned first.
     */
    public static final int MAX_CAMPAIGN_COOLDOWNS = 64;

    /**
     * Categories remembered per customer for seasonal reminders (their latest purchase in each).
     * Most customers buy in a handful of categories; past the bound, reminders already sent go
     * first, then the oldest purchases, whose reminder is the nearest to being pointless.
     */
    public static final int MAX_ANNIVERSARIES = 32;

    /**
     * Top category affinities copied from the profile for audience matching: the profile keeps its
     * own top N by decayed score, and an audience asks whether a category is among the strongest.
     */
    public static final int MAX_CATEGORIES = 10;

    /**
     * UTC days of per-day budget counters kept per campaign: decisions arrive in event-time order
     * up to the watermark's lateness, so a few days cover every day that can still be issued on.
     */
    public static final int BUDGET_DAYS_KEPT = 7;

    /**
     * Unmatched moments kept per customer for a late campaign. A customer has a moment every few
     * events at most, and the grace is minutes: a handful covers every moment of such a window;
     * past it the oldest goes.
     */
    public static final int MAX_PENDING_MOMENTS = 8;

    public OfferSettings {
        if (!(controlShare >= 0 && controlShare <= 1)) {
            throw new IllegalArgumentException(
                    "controlShare must be in [0, 1], was " + controlShare);
        }
        if (!(globalControlShare >= 0 && globalControlShare < 1)) {
            throw new IllegalArgumentException(
                    "globalControlShare must be in [0, 1), was " + globalControlShare);
        }
        if (globalControlPeriodMillis <= 0) {
            throw new IllegalArgumentException(
                    "globalControlPeriodMillis must be positive, was " + globalControlPeriodMillis);
        }
        if (pointsMilestoneStep <= 0) {
            throw new IllegalArgumentException(
                    "pointsMilestoneStep must be positive, was " + pointsMilestoneStep);
        }
        if (maxOffersPerCustomer <= 0) {
            throw new IllegalArgumentException("maxOffersPerCustomer must be positive");
        }
        if (stateTtlMillis <= 0 || statsTtlMillis <= 0) {
            throw new IllegalArgumentException("TTLs must be positive");
        }
        if (quietHours == null) {
            throw new IllegalArgumentException("quietHours must not be null (QuietHours.none())");
        }
    }

    public static OfferSettings from(EngineConfig config) {
        return new OfferSettings(
                config.get(EngineOptions.OFFERS_CONTROL_SHARE),
                config.get(EngineOptions.OFFERS_CONTROL_SALT),
                config.get(EngineOptions.OFFERS_FREQUENCY_CAP).toMillis(),
                config.get(EngineOptions.OFFERS_DEFAULT_COOLDOWN).toMillis(),
                config.get(EngineOptions.OFFERS_LATE_CAMPAIGN_GRACE).toMillis(),
                config.get(EngineOptions.OFFERS_POINTS_MILESTONE_STEP),
                config.get(EngineOptions.OFFERS_AT_RISK_CHURN_RISK),
                config.get(EngineOptions.OFFERS_AT_RISK_P_ALIVE),
                config.get(EngineOptions.OFFERS_SEASONAL_LEAD_DAYS),
                config.get(EngineOptions.OFFERS_ATTRIBUTION_WINDOW).toMillis(),
                config.get(EngineOptions.OFFERS_MAX_PER_CUSTOMER),
                config.get(EngineOptions.OFFERS_BACKFILL),
                config.get(EngineOptions.OFFERS_STATE_TTL).toMillis(),
                config.get(EngineOptions.OFFERS_STATS_TTL).toMillis(),
                config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS),
                config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS),
                config.get(EngineOptions.PRIVACY_MARKETING_CONSENT_DEFAULT).granted(),
                config.get(EngineOptions.OFFERS_GLOBAL_CONTROL_SHARE),
                config.get(EngineOptions.OFFERS_GLOBAL_CONTROL_PERIOD).toMillis(),
                quietHours(config));
    }

    /** The channels' quiet hours ({@code offers.quiet-hours.*}) and the customers' default zone. */
    static QuietHours quietHours(EngineConfig config) {
        Map<MessageChannel, DailyWindow> windows = new EnumMap<>(MessageChannel.class);
        config.get(EngineOptions.OFFERS_QUIET_HOURS_PUSH)
                .ifPresent(w -> windows.put(MessageChannel.PUSH, w));
        config.get(EngineOptions.OFFERS_QUIET_HOURS_SMS)
                .ifPresent(w -> windows.put(MessageChannel.SMS, w));
        config.get(EngineOptions.OFFERS_QUIET_HOURS_EMAIL)
                .ifPresent(w -> windows.put(MessageChannel.EMAIL, w));
        return new QuietHours(windows, config.get(EngineOptions.CUSTOMERS_DEFAULT_TIME_ZONE));
    }

    /** The documented defaults (what an empty configuration gives), for tests. */
    public static OfferSettings defaults() {
        return from(
                EngineConfig.fromMap(
                        Map.of(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092"),
                        Map.of()));
    }

    public OfferSettings withBackfill(boolean value) {
        return new OfferSettings(
                controlShare,
                controlSalt,
                frequencyCapMillis,
                defaultCooldownMillis,
                lateCampaignGraceMillis,
                pointsMilestoneStep,
                atRiskChurnRisk,
                atRiskPAlive,
                seasonalLeadDays,
                attributionWindowMillis,
                maxOffersPerCustomer,
                value,
                stateTtlMillis,
                statsTtlMillis,
                campaignsTopic,
                offerTriggersTopic,
                marketingByDefault,
                globalControlShare,
                globalControlPeriodMillis,
                quietHours);
    }

    public OfferSettings withControlShare(double share) {
        return new OfferSettings(
                share,
                controlSalt,
                frequencyCapMillis,
                defaultCooldownMillis,
                lateCampaignGraceMillis,
                pointsMilestoneStep,
                atRiskChurnRisk,
                atRiskPAlive,
                seasonalLeadDays,
                attributionWindowMillis,
                maxOffersPerCustomer,
                backfill,
                stateTtlMillis,
                statsTtlMillis,
                campaignsTopic,
                offerTriggersTopic,
                marketingByDefault,
                globalControlShare,
                globalControlPeriodMillis,
                quietHours);
    }

    public OfferSettings withMarketingByDefault(boolean granted) {
        return new OfferSettings(
                controlShare,
                controlSalt,
                frequencyCapMillis,
                defaultCooldownMillis,
                lateCampaignGraceMillis,
                pointsMilestoneStep,
                atRiskChurnRisk,
                atRiskPAlive,
                seasonalLeadDays,
                attributionWindowMillis,
                maxOffersPerCustomer,
                backfill,
                stateTtlMillis,
                statsTtlMillis,
                campaignsTopic,
                offerTriggersTopic,
                granted,
                globalControlShare,
                globalControlPeriodMillis,
                quietHours);
    }

    public OfferSettings withMaxOffersPerCustomer(int max) {
        return new OfferSettings(
                controlShare,
                controlSalt,
                frequencyCapMillis,
                defaultCooldownMillis,
                lateCampaignGraceMillis,
                pointsMilestoneStep,
                atRiskChurnRisk,
                atRiskPAlive,
                seasonalLeadDays,
                attributionWindowMillis,
                max,
                backfill,
                stateTtlMillis,
                statsTtlMillis,
                campaignsTopic,
                offerTriggersTopic,
                marketingByDefault,
                globalControlShare,
                globalControlPeriodMillis,
                quietHours);
    }

    public OfferSettings withGlobalControlShare(double share) {
        return new OfferSettings(
                controlShare,
                controlSalt,
                frequencyCapMillis,
                defaultCooldownMillis,
                lateCampaignGraceMillis,
                pointsMilestoneStep,
                atRiskChurnRisk,
                atRiskPAlive,
                seasonalLeadDays,
                attributionWindowMillis,
                maxOffersPerCustomer,
                backfill,
                stateTtlMillis,
                statsTtlMillis,
                campaignsTopic,
                offerTriggersTopic,
                marketingByDefault,
                share,
                globalControlPeriodMillis,
                quietHours);
    }

    public OfferSettings withQuietHours(QuietHours hours) {
        return new OfferSettings(
                controlShare,
                controlSalt,
                frequencyCapMillis,
                defaultCooldownMillis,
                lateCampaignGraceMillis,
                pointsMilestoneStep,
                atRiskChurnRisk,
                atRiskPAlive,
                seasonalLeadDays,
                attributionWindowMillis,
                maxOffersPerCustomer,
                backfill,
                stateTtlMillis,
                statsTtlMillis,
                campaignsTopic,
                offerTriggersTopic,
                marketingByDefault,
                globalControlShare,
                globalControlPeriodMillis,
                hours);
    }
}
