package io.p13n.jobs.profile;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.io.Serializable;
import java.time.Duration;

/**
 * How searches feed a customer's interests and the searched-not-bought moment, read once from
 * {@code searches.*} (README, Searches).
 *
 * @param attributionWindowMillis product views this long after a search (same session) answer it
 * @param maxViews views credited to one search, the first ones
 * @param affinityWeight interest an answering view adds to its category on top of the view's own;
 *     also what a repeat of a remembered query adds to the query's category
 * @param maxQueries queries remembered per customer (query hash to category)
 * @param queryTtlMillis a remembered query is forgotten this long after it was last learned or used
 * @param noPurchaseAfterMillis a search burst with no order for this long is a SEARCHED_NOT_BOUGHT
 *     moment
 */
public record SearchSettings(
        long attributionWindowMillis,
        int maxViews,
        double affinityWeight,
        int maxQueries,
        long queryTtlMillis,
        long noPurchaseAfterMillis)
        implements Serializable {

    public SearchSettings {
        if (attributionWindowMillis <= 0 || queryTtlMillis <= 0 || noPurchaseAfterMillis <= 0) {
            throw new IllegalArgumentException("search periods must be positive");
        }
        if (maxViews < 1 || maxQueries < 1) {
            throw new IllegalArgumentException("search bounds must be at least 1");
        }
        if (!(affinityWeight >= 0) || Double.isInfinite(affinityWeight)) {
            throw new IllegalArgumentException(
                    "search affinity weight must be >= 0, was " + affinityWeight);
        }
    }

    public static SearchSettings from(EngineConfig config) {
        return new SearchSettings(
                millis(config.get(EngineOptions.SEARCHES_ATTRIBUTION_WINDOW)),
                config.get(EngineOptions.SEARCHES_MAX_VIEWS),
                config.get(EngineOptions.SEARCHES_AFFINITY_WEIGHT),
                config.get(EngineOptions.SEARCHES_MAX_QUERIES),
                millis(config.get(EngineOptions.SEARCHES_QUERY_TTL)),
                millis(config.get(EngineOptions.SEARCHES_NO_PURCHASE_AFTER)));
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }
}
