package io.p13n.jobs.recommend;

import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 5, keyed by customer: merges the neighbour lists of the customer's recent items into one
 * ranked list, then fills it from trending lists when the neighbours run short (cold start).
 *
 * <ul>
 *   <li>Recent item i (0 = most recent) weighs 1/(i+1): the last item viewed predicts the next
 *       best.
 *   <li>Each neighbour list is scaled by its top score, so an item with many co-occurrences does
 *       not outvote the most recent item merely by having larger raw weights.
 *   <li>A candidate's score is multiplied by 1 + boost x its category's relative affinity.
 *   <li>Excluded: items in the cart, recently purchased, and the last {@code excludeRecentlyViewed}
 *       viewed. At most {@code perCategoryCap} items per category (items without a category are not
 *       capped: there is nothing to diversify by).
 *   <li>A recent item that is not excluded is a candidate too, scored {@code revisitWeight} x its
 *       recency weight (the best neighbour of the most recent item scores 1), reason "viewed
 *       recently".
 *   <li>Each item carries the reason of its largest contribution.
 *   <li>A product rated low by enough reviewers has its score multiplied by its {@link
 *       RatingFactors rating factor} (below 1; README, Reviews and ratings), neighbours and
 *       trending fill alike; every other item's factor is 1, so without ratings the ranking is
 *       unchanged.
 * </ul>
 */
public final class Ranker {
    private Ranker() {}

    public static CustomerRecommendations rank(
            RecommendationRequest request,
            Map<String, SimilarItems> similarByItem,
            Map<String, TrendingItems> trendingByCategory,
            RecommendationSettings s) {
        return rank(request, similarByItem, trendingByCategory, RatingFactors.NONE, s);
    }

    /** As above, each item's score multiplied by its factor in {@code ratings}. */
    public static CustomerRecommendations rank(
            RecommendationRequest request,
            Map<String, SimilarItems> similarByItem,
            Map<String, TrendingItems> trendingByCategory,
            RatingFactors ratings,
            RecommendationSettings s) {
        Set<String> excluded = new HashSet<>(request.getCartItems());
        excluded.addAll(request.getPurchasedItems());
        List<String> recent = distinct(request.getRecentItems());
        excluded.addAll(recent.subList(0, Math.min(s.excludeRecentlyViewed(), recent.size())));
        Map<String, Double> affinity = relativeAffinity(request.getCategories());

        // neighbours of recent items, and the recent items themselves where they are not excluded
        Map<String, Candidate> candidates = new HashMap<>();
        for (int i = 0; i < Math.min(s.recentItems(), recent.size()); i++) {
            double recency = 1.0 / (i + 1);
            String self = recent.get(i);
            if (s.revisitWeight() > 0 && !excluded.contains(self)) {
                // Shoppers go back to what they saw: a quarter of next clicks in the YooChoose
                // sessions
                // repeat the current item, a third are in the session so far.
                candidates
                        .computeIfAbsent(
                                self, id -> new Candidate(id, categoryOf(similarByItem, id)))
                        .add(s.revisitWeight() * recency, "viewed recently");
            }
            SimilarItems similar = similarByItem.get(self);
            if (similar == null || similar.getItems().isEmpty()) {
                continue;
            }
            double top = similar.getItems().get(0).getScore();
            if (!(top > 0)) {
                continue;
            }
            for (ScoredItem item : similar.getItems()) {
                if (excluded.contains(item.getItemId())) {
                    continue;
                }
                double contribution = recency * item.getScore() / top;
                candidates
                        .computeIfAbsent(
                                item.getItemId(), id -> new Candidate(id, item.getCategoryId()))
                        .add(contribution, item.getReason());
            }
        }
        List<ScoredItem> ranked = new ArrayList<>(candidates.size());
        for (Candidate c : candidates.values()) {
            double boost =
                    1.0
                            + s.categoryBoost()
                                    * affinity.getOrDefault(
                                            c.categoryId == null ? "" : c.categoryId, 0.0);
            // a factor of 1 (no rating, or a good one) leaves the score bit for bit as it was
            ranked.add(
                    new ScoredItem(
                            c.itemId,
                            c.categoryId,
                            c.score * boost * ratings.of(c.itemId),
                            c.reason));
        }
        ranked.sort(
                Comparator.comparingDouble(ScoredItem::getScore)
                        .reversed()
                        .thenComparing(ScoredItem::getItemId));

        Picker picker = new Picker(s, excluded);
        for (ScoredItem item : ranked) {
            if (picker.full()) {
                break;
            }
            picker.offer(item);
        }
        int fromNeighbours = picker.items.size();

        // cold start: trending in the customer's categories, strongest first, then overall
        List<String> fillFrom = new ArrayList<>();
        for (CategoryScore c : request.getCategories()) {
            fillFrom.add(Trending.categoryKey(c.getCategoryId()));
        }
        fillFrom.add(Trending.OVERALL);
        for (String key : new LinkedHashSet<>(fillFrom)) {
            TrendingItems trending = trendingByCategory.get(key);
            if (picker.full() || trending == null || trending.getItems().isEmpty()) {
                continue;
            }
            // Fill scores stay below the last pick's, so the list remains sorted by score.
            double floor =
                    picker.items.isEmpty()
                            ? 1.0
                            : picker.items.get(picker.items.size() - 1).getScore() / 2;
            double top = 0;
            for (ScoredItem item : trending.getItems()) {
                top = Math.max(top, item.getScore());
            }
            List<ScoredItem> fill = new ArrayList<>(trending.getItems().size());
            boolean demoted = false;
            for (ScoredItem item : trending.getItems()) {
                double factor = ratings.of(item.getItemId());
                demoted |= factor != 1.0;
                double score = top > 0 ? floor * item.getScore() / top * factor : 0.0;
                fill.add(
                        new ScoredItem(
                                item.getItemId(), item.getCategoryId(), score, item.getReason()));
            }
            if (demoted) {
                // re-sorted only when a rating changed a score: otherwise the list's own order
                fill.sort(Comparator.comparingDouble(ScoredItem::getScore).reversed());
            }
            for (ScoredItem item : fill) {
                if (picker.full()) {
                    break;
                }
                picker.offer(item);
            }
        }
        String strategy =
                fromNeighbours == 0
                        ? "trending"
                        : fromNeighbours < picker.items.size()
                                ? "neighbours+trending"
                                : "neighbours";
        return new CustomerRecommendations(
                request.getCustomerId(), picker.items, strategy, request.getEventTime(), false);
    }

    /**
     * An item's category as some neighbour list knows it (the request does not carry categories).
     */
    private static String categoryOf(Map<String, SimilarItems> similarByItem, String itemId) {
        for (SimilarItems list : similarByItem.values()) {
            for (ScoredItem item : list.getItems()) {
                if (item.getItemId().equals(itemId)) {
                    return item.getCategoryId();
                }
            }
        }
        return null;
    }

    /** Category affinity relative to the strongest, in [0, 1]. */
    private static Map<String, Double> relativeAffinity(List<CategoryScore> categories) {
        double max = 0;
        for (CategoryScore c : categories) {
            max = Math.max(max, c.getScore());
        }
        Map<String, Double> out = new HashMap<>();
        if (max > 0) {
            for (CategoryScore c : categories) {
                out.merge(c.getCategoryId(), c.getScore() / max, Math::max);
            }
        }
        return out;
    }

    private static List<String> distinct(List<String> items) {
        return new ArrayList<>(new LinkedHashSet<>(items));
    }

    /** Accumulates one candidate's score; the reason is that of its largest contribution. */
    private static final class Candidate {
        final String itemId;
        final String categoryId;
        double score;
        double best;
        String reason;

        Candidate(String itemId, String categoryId) {
            this.itemId = itemId;
            this.categoryId = categoryId;
        }

        void add(double contribution, String why) {
            score += contribution;
            if (contribution > best) {
                best = contribution;
                reason = why;
            }
        }
    }

    /** The output list: no duplicates, no excluded items, at most the cap per category. */
    private static final class Picker {
        final RecommendationSettings s;
        final Set<String> excluded;
        final Set<String> chosen = new HashSet<>();
        final Map<String, Integer> perCategory = new HashMap<>();
        final List<ScoredItem> items = new ArrayList<>();

        Picker(RecommendationSettings s, Set<String> excluded) {
            this.s = s;
            this.excluded = excluded;
        }

        boolean full() {
            return items.size() >= s.size();
        }

        boolean offer(ScoredItem item) {
            if (excluded.contains(item.getItemId()) || chosen.contains(item.getItemId())) {
                return false;
            }
            String category = item.getCategoryId();
            if (category != null && !category.isEmpty()) {
                int n = perCategory.getOrDefault(category, 0);
                if (n >= s.perCategoryCap()) {
                    return false;
                }
                perCategory.put(category, n + 1);
            }
            chosen.add(item.getItemId());
            items.add(item);
            return true;
        }
    }
}
