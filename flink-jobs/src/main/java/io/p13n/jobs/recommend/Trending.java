package io.p13n.jobs.recommend;

import io.p13n.model.DecayedItem;
import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.ScoredItem;
import io.p13n.model.TrendingItems;
import io.p13n.model.TrendingState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stage 4, keyed by category (and under {@link #OVERALL} for the whole store): the most popular
 * items with popularity decayed by {@code recommend.popularity.half-life}, kept in forward-decayed
 * form so a new update is O(1) plus, when the list is full, one scan for the weakest. At most
 * {@code trendingCandidates} items per list.
 */
public final class Trending {
    /** The key and categoryId of the overall list. */
    public static final String OVERALL = "*";

    /** The category of items that have none. */
    public static final String UNKNOWN = "unknown";

    private Trending() {}

    public static TrendingState empty(String categoryId) {
        return new TrendingState(categoryId, 0L, 0L, new ArrayList<>());
    }

    /** The key of the per-category stage for an item's category. */
    public static String categoryKey(String categoryId) {
        return categoryId == null || categoryId.isEmpty() ? UNKNOWN : categoryId;
    }

    /**
     * Records the item's latest popularity (the update carries the absolute value, not an
     * increment).
     */
    public static void apply(
            TrendingState state, ItemPopularityUpdate u, RecommendationSettings s) {
        put(state, u.getItemId(), u.getCategoryId(), u.getPopularity(), u.getEventTime(), s);
    }

    /**
     * Merges a category's published top list into the overall list. An item belongs to one
     * category, so the overall list is the union of the category tops, each as of its list's time.
     */
    public static void merge(
            TrendingState overall, TrendingItems categoryTop, RecommendationSettings s) {
        for (ScoredItem item : categoryTop.getItems()) {
            put(
                    overall,
                    item.getItemId(),
                    item.getCategoryId(),
                    item.getScore(),
                    categoryTop.getUpdatedAt(),
                    s);
        }
    }

    /**
     * The top list as of the latest event the state has seen. Updates reach a category from several
     * upstream subtasks, so the one just applied may be older than the state's latest; a list
     * decayed to that older time would overstate every score (by 2^(age / half-life)) and differ
     * from the same state read back from a savepoint.
     */
    public static TrendingItems latest(TrendingState state, RecommendationSettings s) {
        return top(state, state.getLastEventTime(), s);
    }

    /** The top {@code trendingSize} items with popularity as of {@code now}, best first. */
    public static TrendingItems top(TrendingState state, long now, RecommendationSettings s) {
        List<DecayedItem> sorted = new ArrayList<>(state.getItems());
        sorted.sort(
                Comparator.comparingDouble(DecayedItem::getWeight)
                        .reversed()
                        .thenComparing(DecayedItem::getItemId));
        List<ScoredItem> top = new ArrayList<>(Math.min(s.trendingSize(), sorted.size()));
        boolean overall = OVERALL.equals(state.getCategoryId());
        for (DecayedItem d : sorted.subList(0, Math.min(s.trendingSize(), sorted.size()))) {
            double score =
                    ForwardDecay.valueAt(
                            d.getWeight(), now, state.getLandmark(), s.popularityHalfLifeMillis());
            String reason =
                    overall || UNKNOWN.equals(state.getCategoryId())
                            ? "trending now"
                            : "trending in " + state.getCategoryId();
            top.add(new ScoredItem(d.getItemId(), d.getCategoryId(), score, reason));
        }
        return new TrendingItems(state.getCategoryId(), top, now);
    }

    private static void put(
            TrendingState state,
            String itemId,
            String categoryId,
            double popularity,
            long time,
            RecommendationSettings s) {
        long halfLife = s.popularityHalfLifeMillis();
        List<DecayedItem> items = mutable(state);
        if (items.isEmpty() && state.getLastEventTime() == 0L) {
            state.setLandmark(time);
        }
        if (ForwardDecay.needsRenormalising(time, state.getLandmark(), halfLife)) {
            double factor = ForwardDecay.grow(state.getLandmark(), time, halfLife);
            for (DecayedItem d : items) {
                d.setWeight(d.getWeight() * factor);
            }
            state.setLandmark(time);
        }
        state.setLastEventTime(Math.max(state.getLastEventTime(), time));
        double stored = popularity * ForwardDecay.grow(time, state.getLandmark(), halfLife);
        for (DecayedItem d : items) {
            if (d.getItemId().equals(itemId)) {
                // An update states the item's whole popularity as of its time: it replaces the
                // entry.
                d.setWeight(stored);
                if (categoryId != null) {
                    d.setCategoryId(categoryId);
                }
                return;
            }
        }
        items.add(new DecayedItem(itemId, categoryId, stored, 0.0, false));
        if (items.size() > s.trendingCandidates()) {
            int weakest = 0;
            for (int i = 1; i < items.size(); i++) {
                if (items.get(i).getWeight() < items.get(weakest).getWeight()) {
                    weakest = i;
                }
            }
            items.remove(weakest);
        }
    }

    private static List<DecayedItem> mutable(TrendingState state) {
        List<DecayedItem> items = state.getItems();
        if (!(items instanceof ArrayList)) {
            items = new ArrayList<>(items);
            state.setItems(items);
        }
        return items;
    }
}
