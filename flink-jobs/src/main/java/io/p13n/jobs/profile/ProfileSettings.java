package io.p13n.jobs.profile;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.churn.BgNbdParameters;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The knobs of the per-customer profile, read once from the configuration and shipped with the
 * function (plain values: functions never read configuration themselves).
 */
public record ProfileSettings(
        int recentlyViewedMax,
        int purchasedMax,
        int cartMaxItems,
        long cartAbandonAfterMillis,
        long affinityHalfLifeMillis,
        int affinityTopN,
        double affinityWeightView,
        double affinityWeightCart,
        double affinityWeightPurchase,
        double pointsPerUnit,
        double tierSilver,
        double tierGold,
        double tierPlatinum,
        long newPeriodMillis,
        int loyalMinPurchases,
        double highValueSpend,
        double atRiskFactor,
        double churnFactor,
        long atRiskMinMillis,
        long atRiskDefaultMillis,
        long churnDefaultMillis,
        double pAliveAtRisk,
        long rescoreIntervalMillis,
        BgNbdParameters churnModel,
        boolean personalizationByDefault,
        SearchSettings searches,
        CustomerDates dates)
        implements Serializable {

    public static ProfileSettings from(EngineConfig config) {
        BgNbdParameters model =
                config.get(EngineOptions.CHURN_MODEL_FILE)
                        .map(
                                file -> {
                                    try {
                                        return BgNbdParameters.load(Path.of(file));
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(
                                                EngineOptions.CHURN_MODEL_FILE.key()
                                                        + " = '"
                                                        + file
                                                        + "': cannot read the BG/NBD parameters",
                                                e);
                                    }
                                })
                        .orElse(BgNbdParameters.PUBLISHED_CDNOW);
        return new ProfileSettings(
                config.get(EngineOptions.PROFILE_RECENTLY_VIEWED_MAX),
                config.get(EngineOptions.PROFILE_PURCHASED_MAX),
                config.get(EngineOptions.CART_MAX_ITEMS),
                millis(config.get(EngineOptions.CART_ABANDON_AFTER)),
                millis(config.get(EngineOptions.AFFINITY_HALF_LIFE)),
                config.get(EngineOptions.AFFINITY_TOP_N),
                config.get(EngineOptions.AFFINITY_WEIGHT_VIEW),
                config.get(EngineOptions.AFFINITY_WEIGHT_CART),
                config.get(EngineOptions.AFFINITY_WEIGHT_PURCHASE),
                config.get(EngineOptions.LOYALTY_POINTS_PER_UNIT),
                config.get(EngineOptions.LOYALTY_TIER_SILVER),
                config.get(EngineOptions.LOYALTY_TIER_GOLD),
                config.get(EngineOptions.LOYALTY_TIER_PLATINUM),
                millis(config.get(EngineOptions.SEGMENT_NEW_PERIOD)),
                config.get(EngineOptions.SEGMENT_LOYAL_MIN_PURCHASES),
                config.get(EngineOptions.SEGMENT_HIGH_VALUE_SPEND),
                config.get(EngineOptions.SEGMENT_AT_RISK_FACTOR),
                config.get(EngineOptions.SEGMENT_CHURN_FACTOR),
                millis(config.get(EngineOptions.SEGMENT_AT_RISK_MIN)),
                millis(config.get(EngineOptions.SEGMENT_AT_RISK_DEFAULT)),
                millis(config.get(EngineOptions.SEGMENT_CHURN_DEFAULT)),
                config.get(EngineOptions.CHURN_P_ALIVE_AT_RISK),
                millis(config.get(EngineOptions.CHURN_RESCORE_INTERVAL)),
                model,
                config.get(EngineOptions.PRIVACY_PERSONALIZATION_CONSENT_DEFAULT).granted(),
                SearchSettings.from(config),
                CustomerDates.from(config));
    }

    /** The documented defaults (what an empty configuration gives), for tests. */
    public static ProfileSettings defaults() {
        return from(
                EngineConfig.fromMap(
                        java.util.Map.of(
                                EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092"),
                        java.util.Map.of()));
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }
}
