package io.p13n.jobs.recommend;

import io.p13n.model.ClickEvent;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ItemNeighboursState;
import io.p13n.model.ItemPopularityState;
import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.ItemTransition;
import io.p13n.model.ItemView;
import io.p13n.model.OrderEvent;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.SessionTrailState;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import io.p13n.model.TrendingState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job's recommendation stages in one process, each keyed state a {@link HashMap} entry, for
 * offline evaluation and tests. It calls the same static functions in the same order as the
 * streaming operators; only the delivery differs: serving lists are recomputed when read (the job
 * publishes them at most once per coalesce interval), which is the job with a zero interval. Not
 * thread-safe.
 */
public final class InMemoryRecommender {
    private final RecommendationSettings settings;
    private final Map<String, SessionTrailState> trails = new HashMap<>();
    private final Map<String, ItemPopularityState> popularity = new HashMap<>();
    private final Map<String, ItemNeighboursState> neighbours = new HashMap<>();
    private final Map<String, TrendingState> trending = new HashMap<>();
    private final TrendingState overall = Trending.empty(Trending.OVERALL);

    // the serving lists (what the job writes to Redis), refreshed when their state changed
    private final Map<String, SimilarItems> similarLists = new HashMap<>();
    private final Map<String, TrendingItems> trendingLists = new HashMap<>();
    private final Set<String> staleSimilar = new HashSet<>();
    private final Set<String> staleTrending = new HashSet<>();

    private boolean frozen;
    private long clock;

    public InMemoryRecommender(RecommendationSettings settings) {
        this.settings = settings;
    }

    /** Stops learning: later events are ignored and the serving lists stay as they are. */
    public void freeze() {
        refreshTrending();
        frozen = true;
    }

    public boolean frozen() {
        return frozen;
    }

    public RecommendationSettings settings() {
        return settings;
    }

    public void observe(ClickEvent click) {
        if (frozen) {
            return;
        }
        SessionTrailState trail =
                trails.computeIfAbsent(click.getCustomerId(), id -> SessionTrail.empty());
        ItemView view = SessionTrail.onClick(trail, click, settings);
        if (view != null) {
            route(view);
        }
    }

    public void observe(OrderEvent order) {
        if (frozen) {
            return;
        }
        for (ItemView view : SessionTrail.onOrder(order, settings)) {
            route(view);
        }
    }

    /** Forgets a customer's session trail (the job's state TTL); learned item state is kept. */
    public void forgetCustomer(String customerId) {
        trails.remove(customerId);
    }

    public CustomerRecommendations recommend(RecommendationRequest request) {
        refreshTrending();
        Map<String, SimilarItems> similar = new HashMap<>();
        int n = 0;
        for (String item : request.getRecentItems()) {
            if (n++ >= settings.recentItems()) {
                break;
            }
            SimilarItems list = similar(item);
            if (list != null) {
                similar.put(item, list);
            }
        }
        return Ranker.rank(request, similar, trendingLists, settings);
    }

    /** The serving list of an item's neighbours, or null if it has none. */
    public SimilarItems similar(String itemId) {
        if (!frozen && staleSimilar.remove(itemId)) {
            ItemNeighboursState state = neighbours.get(itemId);
            similarLists.put(itemId, ItemNeighbours.similar(state, clock, settings));
        }
        return similarLists.computeIfAbsent(
                itemId,
                id ->
                        neighbours.containsKey(id)
                                ? ItemNeighbours.similar(neighbours.get(id), clock, settings)
                                : null);
    }

    /** The serving trending list of a category (or {@link Trending#OVERALL}), or null. */
    public TrendingItems trending(String categoryKey) {
        refreshTrending();
        return trendingLists.get(categoryKey);
    }

    /** Items with a popularity state. */
    public int items() {
        return popularity.size();
    }

    private void route(ItemView view) {
        clock = Math.max(clock, view.getEventTime());
        // stage 2, keyed by the viewed item
        ItemPopularityState pop =
                popularity.computeIfAbsent(view.getItemId(), ItemPopularity::empty);
        List<ItemTransition> transitions = ItemPopularity.apply(pop, view, settings);
        ItemPopularityUpdate update = ItemPopularity.update(pop, view.getEventTime());
        // stage 3, keyed by the from-item
        for (ItemTransition t : transitions) {
            ItemNeighbours.apply(
                    neighbours.computeIfAbsent(t.getFromItemId(), ItemNeighbours::empty),
                    t,
                    settings);
            staleSimilar.add(t.getFromItemId());
        }
        // stage 4, keyed by category
        String category = Trending.categoryKey(update.getCategoryId());
        Trending.apply(trending.computeIfAbsent(category, Trending::empty), update, settings);
        staleTrending.add(category);
    }

    private void refreshTrending() {
        if (frozen || staleTrending.isEmpty()) {
            return;
        }
        for (String category : staleTrending) {
            TrendingItems top = Trending.top(trending.get(category), clock, settings);
            trendingLists.put(category, top);
            // stage 4 again, keyed by "*": the overall list merges the category tops
            Trending.merge(overall, top, settings);
        }
        staleTrending.clear();
        trendingLists.put(Trending.OVERALL, Trending.top(overall, clock, settings));
    }
}
