package io.p13n.jobs.testing;

import io.p13n.jobs.recommend.ServingLists;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The serving lists as the collecting sinks hold them: the latest list per key, which is what Redis
 * would hold. Lets workflow tests run the ranking stage without a Redis server.
 */
public final class CollectedServingLists implements ServingLists {
    private static final long serialVersionUID = 1L;

    private final CollectingSink<SimilarItems> similar;
    private final CollectingSink<TrendingItems> trending;

    public CollectedServingLists(
            CollectingSink<SimilarItems> similar, CollectingSink<TrendingItems> trending) {
        this.similar = similar;
        this.trending = trending;
    }

    @Override
    public Reader open() {
        return new Reader() {
            @Override
            public Lists read(Collection<String> itemIds, Collection<String> categoryKeys) {
                Map<String, SimilarItems> latestSimilar = new HashMap<>();
                for (SimilarItems list : similar.collected()) {
                    if (itemIds.contains(list.getItemId())) {
                        latestSimilar.put(list.getItemId(), list);
                    }
                }
                Map<String, TrendingItems> latestTrending = new HashMap<>();
                for (TrendingItems list : trending.collected()) {
                    if (categoryKeys.contains(list.getCategoryId())) {
                        latestTrending.put(list.getCategoryId(), list);
                    }
                }
                return new Lists(latestSimilar, latestTrending);
            }

            @Override
            public void close() {}
        };
    }
}
