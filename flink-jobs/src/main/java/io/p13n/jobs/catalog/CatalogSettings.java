package io.p13n.jobs.catalog;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * How catalog changes reach customers and lists, read once from {@code catalog.*}.
 *
 * @param watchPeriod how long a customer's interest in a product makes them a watcher of it
 * @param maxWatchers watchers kept per product, the most recent
 * @param minPriceDrop smallest relative price cut that is a price-drop moment
 * @param maxUnavailable unavailable products remembered by each list-publishing subtask
 */
public record CatalogSettings(
        Duration watchPeriod, int maxWatchers, double minPriceDrop, int maxUnavailable)
        implements Serializable {

    public CatalogSettings {
        if (watchPeriod == null || watchPeriod.isNegative() || watchPeriod.isZero()) {
            throw new IllegalArgumentException("watch period must be positive, was " + watchPeriod);
        }
        if (maxWatchers < 1 || maxUnavailable < 1) {
            throw new IllegalArgumentException("bounds must be at least 1");
        }
        if (!(minPriceDrop > 0 && minPriceDrop < 1)) {
            throw new IllegalArgumentException(
                    "minimum price drop must be in (0, 1), was " + minPriceDrop);
        }
    }

    public static CatalogSettings from(EngineConfig config) {
        return new CatalogSettings(
                config.get(EngineOptions.CATALOG_WATCH_PERIOD),
                config.get(EngineOptions.CATALOG_MAX_WATCHERS),
                config.get(EngineOptions.CATALOG_MIN_PRICE_DROP),
                config.get(EngineOptions.CATALOG_MAX_UNAVAILABLE));
    }

    /** The documented defaults (what an empty configuration gives), for tests. */
    public static CatalogSettings defaults() {
        return from(
                EngineConfig.fromMap(
                        Map.of(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092"),
                        Map.of()));
    }
}
