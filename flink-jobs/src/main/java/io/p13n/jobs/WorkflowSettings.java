package io.p13n.jobs;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.catalog.CatalogSettings;
import io.p13n.jobs.offers.OfferSettings;
import io.p13n.jobs.privacy.ErasureSettings;
import io.p13n.jobs.profile.ProfileSettings;
import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.jobs.reviews.ReviewSettings;
import io.p13n.jobs.state.StateCaches;
import java.time.Duration;

/** The plain values the workflow's operators need, read once from the configuration. */
public record WorkflowSettings(
        Duration outOfOrderness,
        Duration idleTimeout,
        int dedupWindowSize,
        Duration dedupTtl,
        Duration customerTtl,
        StateCaches.Settings stateCaches,
        ProfileSettings profile,
        RecommendationSettings recommend,
        OfferSettings offers,
        ErasureSettings erasure,
        CatalogSettings catalog,
        ReviewSettings reviews) {

    /** Without review settings: the documented defaults ({@code reviews.*}). */
    public WorkflowSettings(
            Duration outOfOrderness,
            Duration idleTimeout,
            int dedupWindowSize,
            Duration dedupTtl,
            Duration customerTtl,
            StateCaches.Settings stateCaches,
            ProfileSettings profile,
            RecommendationSettings recommend,
            OfferSettings offers,
            ErasureSettings erasure,
            CatalogSettings catalog) {
        this(
                outOfOrderness,
                idleTimeout,
                dedupWindowSize,
                dedupTtl,
                customerTtl,
                stateCaches,
                profile,
                recommend,
                offers,
                erasure,
                catalog,
                ReviewSettings.defaults());
    }

    public static WorkflowSettings from(EngineConfig config) {
        return new WorkflowSettings(
                config.get(EngineOptions.WATERMARK_OUT_OF_ORDERNESS),
                config.get(EngineOptions.WATERMARK_IDLE_TIMEOUT),
                config.get(EngineOptions.DEDUP_WINDOW_SIZE),
                config.get(EngineOptions.DEDUP_TTL),
                config.get(EngineOptions.STATE_CUSTOMER_TTL),
                new StateCaches.Settings(
                        config.get(EngineOptions.STATE_CACHE_MAX_ENTRIES), StateCaches.MAX_AGE),
                ProfileSettings.from(config),
                RecommendationSettings.from(config),
                OfferSettings.from(config),
                ErasureSettings.from(config),
                CatalogSettings.from(config),
                ReviewSettings.from(config));
    }
}
