package io.p13n.cli.rebuild;

import io.p13n.jobs.recommend.ServingLists;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The rebuilt similar-items and trending lists, held in memory for ranking each customer's list:
 * what the job's ranking would read from Redis. About 3 KB of heap per product with the default
 * {@code recommend.similar-size}, so some 300 MB at 100k products.
 */
final class HeldServingLists implements ServingLists.Reader {
    private final Map<String, SimilarItems> similar = new HashMap<>();
    private final Map<String, TrendingItems> trending = new HashMap<>();

    void add(SimilarItems list) {
        similar.put(list.getItemId(), list);
    }

    /** Under its category key ({@link io.p13n.jobs.recommend.Trending#OVERALL} overall). */
    void add(TrendingItems list) {
        trending.put(list.getCategoryId(), list);
    }

    @Override
    public ServingLists.Lists read(Collection<String> itemIds, Collection<String> categoryKeys) {
        Map<String, SimilarItems> s = new HashMap<>();
        for (String id : itemIds) {
            SimilarItems list = similar.get(id);
            if (list != null) {
                s.put(id, list);
            }
        }
        Map<String, TrendingItems> t = new HashMap<>();
        for (String key : categoryKeys) {
            TrendingItems list = trending.get(key);
            if (list != null) {
                t.put(key, list);
            }
        }
        return new ServingLists.Lists(s, t);
    }

    @Override
    public void close() {}
}
