package io.p13n.jobs.recommend;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.io.Serializable;
import java.util.Map;

/**
 * The knobs of the recommendation stages, read once from the configuration and shipped with the
 * functions (plain values: functions never read configuration themselves). The bounds are justified
 * where the options are declared ({@code recommend.*} in {@link EngineOptions}).
 */
public record RecommendationSettings(
        int trailLength,
        int maxPredecessorDistance,
        double backwardWeight,
        long sessionTimeoutMillis,
        double weightCart,
        double weightPurchase,
        long neighboursHalfLifeMillis,
        int maxCandidates,
        int similarSize,
        double popularityExponent,
        long popularityHalfLifeMillis,
        int trendingSize,
        int trendingCandidates,
        int size,
        int recentItems,
        double revisitWeight,
        double categoryBoost,
        int perCategoryCap,
        int excludeRecentlyViewed,
        long coalesceIntervalMillis,
        long similarTtlMillis,
        long trendingTtlMillis,
        long recommendationsTtlMillis)
        implements Serializable {

    public RecommendationSettings {
        if (trailLength < 1 || maxPredecessorDistance < 1 || maxCandidates < 1 || similarSize < 1) {
            throw new IllegalArgumentException(
                    "trail, distance, candidates and similar size must be >= 1");
        }
        if (trendingSize < 1
                || trendingCandidates < 1
                || size < 1
                || recentItems < 1
                || perCategoryCap < 1) {
            throw new IllegalArgumentException("list sizes and caps must be >= 1");
        }
        if (neighboursHalfLifeMillis <= 0
                || popularityHalfLifeMillis <= 0
                || sessionTimeoutMillis <= 0) {
            throw new IllegalArgumentException(
                    "half-lives and the session timeout must be positive");
        }
        if (excludeRecentlyViewed < 0
                || popularityExponent < 0
                || categoryBoost < 0
                || backwardWeight < 0
                || revisitWeight < 0) {
            throw new IllegalArgumentException(
                    "exclusions, exponent, boost and weights must not be negative");
        }
    }

    public static RecommendationSettings from(EngineConfig config) {
        return new RecommendationSettings(
                config.get(EngineOptions.RECOMMEND_TRAIL_LENGTH),
                config.get(EngineOptions.RECOMMEND_MAX_PREDECESSOR_DISTANCE),
                config.get(EngineOptions.RECOMMEND_BACKWARD_WEIGHT),
                config.get(EngineOptions.RECOMMEND_SESSION_TIMEOUT).toMillis(),
                config.get(EngineOptions.RECOMMEND_WEIGHT_CART),
                config.get(EngineOptions.RECOMMEND_WEIGHT_PURCHASE),
                config.get(EngineOptions.RECOMMEND_NEIGHBOURS_HALF_LIFE).toMillis(),
                config.get(EngineOptions.RECOMMEND_MAX_CANDIDATES),
                config.get(EngineOptions.RECOMMEND_SIMILAR_SIZE),
                config.get(EngineOptions.RECOMMEND_POPULARITY_EXPONENT),
                config.get(EngineOptions.RECOMMEND_POPULARITY_HALF_LIFE).toMillis(),
                config.get(EngineOptions.RECOMMEND_TRENDING_SIZE),
                config.get(EngineOptions.RECOMMEND_TRENDING_CANDIDATES),
                config.get(EngineOptions.RECOMMEND_SIZE),
                config.get(EngineOptions.RECOMMEND_RECENT_ITEMS),
                config.get(EngineOptions.RECOMMEND_REVISIT_WEIGHT),
                config.get(EngineOptions.RECOMMEND_CATEGORY_BOOST),
                config.get(EngineOptions.RECOMMEND_PER_CATEGORY_CAP),
                config.get(EngineOptions.RECOMMEND_EXCLUDE_RECENTLY_VIEWED),
                config.get(EngineOptions.RECOMMEND_COALESCE_INTERVAL).toMillis(),
                config.get(EngineOptions.RECOMMEND_SIMILAR_TTL).toMillis(),
                config.get(EngineOptions.RECOMMEND_TRENDING_TTL).toMillis(),
                config.get(EngineOptions.RECOMMEND_RECOMMENDATIONS_TTL).toMillis());
    }

    /** The documented defaults (what an empty configuration gives). */
    public static RecommendationSettings defaults() {
        return from(
                EngineConfig.fromMap(
                        Map.of(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092"),
                        Map.of()));
    }

    public RecommendationSettings withPopularityExponent(double alpha) {
        return new RecommendationSettings(
                trailLength,
                maxPredecessorDistance,
                backwardWeight,
                sessionTimeoutMillis,
                weightCart,
                weightPurchase,
                neighboursHalfLifeMillis,
                maxCandidates,
                similarSize,
                alpha,
                popularityHalfLifeMillis,
                trendingSize,
                trendingCandidates,
                size,
                recentItems,
                revisitWeight,
                categoryBoost,
                perCategoryCap,
                excludeRecentlyViewed,
                coalesceIntervalMillis,
                similarTtlMillis,
                trendingTtlMillis,
                recommendationsTtlMillis);
    }

    public RecommendationSettings withExcludeRecentlyViewed(int n) {
        return new RecommendationSettings(
                trailLength,
                maxPredecessorDistance,
                backwardWeight,
                sessionTimeoutMillis,
                weightCart,
                weightPurchase,
                neighboursHalfLifeMillis,
                maxCandidates,
                similarSize,
                popularityExponent,
                popularityHalfLifeMillis,
                trendingSize,
                trendingCandidates,
                size,
                recentItems,
                revisitWeight,
                categoryBoost,
                perCategoryCap,
                n,
                coalesceIntervalMillis,
                similarTtlMillis,
                trendingTtlMillis,
                recommendationsTtlMillis);
    }

    public RecommendationSettings withTrail(int trailLength, int maxPredecessorDistance) {
        return new RecommendationSettings(
                trailLength,
                maxPredecessorDistance,
                backwardWeight,
                sessionTimeoutMillis,
                weightCart,
                weightPurchase,
                neighboursHalfLifeMillis,
                maxCandidates,
                similarSize,
                popularityExponent,
                popularityHalfLifeMillis,
                trendingSize,
                trendingCandidates,
                size,
                recentItems,
                revisitWeight,
                categoryBoost,
                perCategoryCap,
                excludeRecentlyViewed,
                coalesceIntervalMillis,
                similarTtlMillis,
                trendingTtlMillis,
                recommendationsTtlMillis);
    }

    public RecommendationSettings withRecentItems(int recentItems) {
        return new RecommendationSettings(
                trailLength,
                maxPredecessorDistance,
                backwardWeight,
                sessionTimeoutMillis,
                weightCart,
                weightPurchase,
                neighboursHalfLifeMillis,
                maxCandidates,
                similarSize,
                popularityExponent,
                popularityHalfLifeMillis,
                trendingSize,
                trendingCandidates,
                size,
                recentItems,
                revisitWeight,
                categoryBoost,
                perCategoryCap,
                excludeRecentlyViewed,
                coalesceIntervalMillis,
                similarTtlMillis,
                trendingTtlMillis,
                recommendationsTtlMillis);
    }

    public RecommendationSettings withNeighbours(
            long halfLifeMillis, int maxCandidates, int similarSize) {
        return new RecommendationSettings(
                trailLength,
                maxPredecessorDistance,
                backwardWeight,
                sessionTimeoutMillis,
                weightCart,
                weightPurchase,
                halfLifeMillis,
                maxCandidates,
                similarSize,
                popularityExponent,
                popularityHalfLifeMillis,
                trendingSize,
                trendingCandidates,
                size,
                recentItems,
                revisitWeight,
                categoryBoost,
                perCategoryCap,
                excludeRecentlyViewed,
                coalesceIntervalMillis,
                similarTtlMillis,
                trendingTtlMillis,
                recommendationsTtlMillis);
    }

    public RecommendationSettings withRevisitWeight(double weight) {
        return new RecommendationSettings(
                trailLength,
                maxPredecessorDistance,
                backwardWeight,
                sessionTimeoutMillis,
                weightCart,
                weightPurchase,
                neighboursHalfLifeMillis,
                maxCandidates,
                similarSize,
                popularityExponent,
                popularityHalfLifeMillis,
                trendingSize,
                trendingCandidates,
                size,
                recentItems,
                weight,
                categoryBoost,
                perCategoryCap,
                excludeRecentlyViewed,
                coalesceIntervalMillis,
                similarTtlMillis,
                trendingTtlMillis,
                recommendationsTtlMillis);
    }

    public RecommendationSettings withBackwardWeight(double weight) {
        return new RecommendationSettings(
                trailLength,
                maxPredecessorDistance,
                weight,
                sessionTimeoutMillis,
                weightCart,
                weightPurchase,
                neighboursHalfLifeMillis,
                maxCandidates,
                similarSize,
                popularityExponent,
                popularityHalfLifeMillis,
                trendingSize,
                trendingCandidates,
                size,
                recentItems,
                revisitWeight,
                categoryBoost,
                perCategoryCap,
                excludeRecentlyViewed,
                coalesceIntervalMillis,
                similarTtlMillis,
                trendingTtlMillis,
                recommendationsTtlMillis);
    }

    public RecommendationSettings withPerCategoryCap(int cap) {
        return new RecommendationSettings(
                trailLength,
                maxPredecessorDistance,
                backwardWeight,
                sessionTimeoutMillis,
                weightCart,
                weightPurchase,
                neighboursHalfLifeMillis,
                maxCandidates,
                similarSize,
                popularityExponent,
                popularityHalfLifeMillis,
                trendingSize,
                trendingCandidates,
                size,
                recentItems,
                revisitWeight,
                categoryBoost,
                cap,
                excludeRecentlyViewed,
                coalesceIntervalMillis,
                similarTtlMillis,
                trendingTtlMillis,
                recommendationsTtlMillis);
    }
}
