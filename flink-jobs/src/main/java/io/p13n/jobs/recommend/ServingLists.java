package io.p13n.jobs.recommend;

import io.p13n.model.ProductRating;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.io.Serializable;
import java.util.Collection;
import java.util.Map;

/**
 * Where the ranking stage reads the published similar-items and trending lists from: Redis in the
 * job ({@link RedisServingLists}), the collected sink output in workflow tests. Serializable so it
 * ships with the function; {@link #open} runs once per subtask.
 */
public interface ServingLists extends Serializable {
    Reader open();

    /** A connection; must be safe to use from several threads. */
    interface Reader extends AutoCloseable {
        /**
         * The lists that exist: similar items by item id, trending by category key (see {@link
         * Trending}).
         */
        Lists read(Collection<String> itemIds, Collection<String> categoryKeys);

        /**
         * The ratings that exist of {@code itemIds} (README, Reviews and ratings). None by default:
         * a reader without ratings ranks exactly as before reviews existed.
         */
        default Map<String, ProductRating> ratings(Collection<String> itemIds) {
            return Map.of();
        }

        @Override
        void close();
    }

    record Lists(Map<String, SimilarItems> similar, Map<String, TrendingItems> trending) {}
}
