package io.p13n.jobs.recommend;

import static io.p13n.jobs.recommend.RecommendFixtures.item;
import static io.p13n.jobs.recommend.RecommendFixtures.request;
import static io.p13n.jobs.recommend.RecommendFixtures.similar;
import static io.p13n.jobs.recommend.RecommendFixtures.trending;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.reviews.ReviewSettings;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ProductRating;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ranking with product ratings (README, Reviews and ratings). */
class RatingRankingTest {
    private final RecommendationSettings s =
            RecommendationSettings.defaults().withExcludeRecentlyViewed(1);
    private final ReviewSettings reviews = ReviewSettings.defaults();

    /** Lists held in memory, with ratings of some products. */
    private static ServingLists.Reader reader(
            Map<String, SimilarItems> similar,
            Map<String, TrendingItems> trending,
            Map<String, ProductRating> ratings,
            List<Collection<String>> ratingReads) {
        return new ServingLists.Reader() {
            @Override
            public ServingLists.Lists read(
                    Collection<String> itemIds, Collection<String> categoryKeys) {
                Map<String, SimilarItems> s = new HashMap<>();
                itemIds.forEach(id -> s.computeIfAbsent(id, similar::get));
                s.values().removeIf(v -> v == null);
                Map<String, TrendingItems> t = new HashMap<>();
                categoryKeys.forEach(k -> t.computeIfAbsent(k, trending::get));
                t.values().removeIf(v -> v == null);
                return new ServingLists.Lists(s, t);
            }

            @Override
            public Map<String, ProductRating> ratings(Collection<String> itemIds) {
                ratingReads.add(List.copyOf(itemIds));
                Map<String, ProductRating> out = new HashMap<>();
                itemIds.forEach(
                        id -> {
                            if (ratings.containsKey(id)) {
                                out.put(id, ratings.get(id));
                            }
                        });
                return out;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void shouldDemoteANeighbourRatedLowByManyReviewers() {
        Map<String, SimilarItems> similar =
                Map.of("A", similar("A", item("BAD", null, 10), item("GOOD", null, 8)));
        RecommendationRequest request = request(List.of("A"), List.of(), List.of(), List.of());
        // 40 reviews averaging 1.25 stars: Bayesian (40 + 50) / 50 = 1.8, factor 0.6
        Map<String, ProductRating> ratings =
                Map.of(
                        "BAD", new ProductRating("BAD", 50L, 40L, 0L),
                        "GOOD", new ProductRating("GOOD", 2L, 2L, 0L)); // two 1-star: too few
        CustomerRecommendations plain =
                RankRecommendationsFunction.rank(
                        request, reader(similar, Map.of(), Map.of(), new ArrayList<>()), s);
        CustomerRecommendations rated =
                RankRecommendationsFunction.rank(
                        request, reader(similar, Map.of(), ratings, new ArrayList<>()), s, reviews);

        assertThat(plain.getItems()).extracting(ScoredItem::getItemId).startsWith("BAD", "GOOD");
        assertThat(rated.getItems()).extracting(ScoredItem::getItemId).startsWith("GOOD", "BAD");
        ScoredItem bad = rated.getItems().get(1);
        assertThat(bad.getScore()).isEqualTo(plain.getItems().get(0).getScore() * 1.8 / 3.0);
        // GOOD has two one-star reviews: too few to say anything, unchanged
        assertThat(rated.getItems().get(0).getScore())
                .isEqualTo(plain.getItems().get(1).getScore());
    }

    @Test
    void shouldDemoteLowRatedTrendingFillAndKeepTheListSorted() {
        Map<String, TrendingItems> trendingLists =
                Map.of(
                        Trending.OVERALL,
                        trending(
                                Trending.OVERALL,
                                item("T1", null, 9),
                                item("T2", null, 8),
                                item("T3", null, 7)));
        RecommendationRequest request = request(List.of(), List.of(), List.of(), List.of());
        List<Collection<String>> reads = new ArrayList<>();
        CustomerRecommendations rated =
                RankRecommendationsFunction.rank(
                        request,
                        reader(
                                Map.of(),
                                trendingLists,
                                Map.of("T1", new ProductRating("T1", 100L, 100L, 0L)),
                                reads),
                        s,
                        reviews);
        assertThat(rated.getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("T2", "T3", "T1");
        assertThat(rated.getItems())
                .extracting(ScoredItem::getScore)
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
        // the listed products first; one is demoted: every candidate then (none), then the fill
        assertThat(reads).hasSize(3);
        assertThat(reads.get(0)).containsExactlyInAnyOrder("T1", "T2", "T3");
        assertThat(reads.get(2)).containsExactlyInAnyOrder("T1", "T2", "T3");
    }

    /**
     * Reading only the listed products' ratings gives the list that rating every candidate gives,
     * over many random requests, lists and ratings (some listed products demoted, some not), and
     * reads far fewer ratings when no listed product is demoted.
     */
    @Test
    void shouldRankAsIfEveryCandidateWereRatedWhileReadingOnlyTheListedOnes() {
        Random random = new Random(17);
        int lazyOnly = 0;
        for (int round = 0; round < 500; round++) {
            Map<String, SimilarItems> similar = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                List<ScoredItem> items = new ArrayList<>();
                for (int j = 0; j < 1 + random.nextInt(12); j++) {
                    items.add(
                            item(
                                    "P" + random.nextInt(60),
                                    "C" + random.nextInt(5),
                                    random.nextDouble() * 10));
                }
                items.sort((a, b) -> Double.compare(b.getScore(), a.getScore()));
                similar.put("P" + i, similar("P" + i, items.toArray(new ScoredItem[0])));
            }
            Map<String, TrendingItems> trendingLists = new HashMap<>();
            List<ScoredItem> top = new ArrayList<>();
            for (int j = 0; j < 25; j++) {
                top.add(item("P" + random.nextInt(80), "C1", random.nextDouble()));
            }
            // as the trending stage publishes them: best first
            top.sort((a, b) -> Double.compare(b.getScore(), a.getScore()));
            trendingLists.put(
                    Trending.OVERALL, trending(Trending.OVERALL, top.toArray(new ScoredItem[0])));
            Map<String, ProductRating> ratings = new HashMap<>();
            for (int i = 0; i < random.nextInt(4); i++) {
                String id = "P" + random.nextInt(80);
                ratings.put(id, new ProductRating(id, 40L + random.nextInt(60), 40L, 0L));
            }
            List<String> recent = new ArrayList<>();
            for (int i = 0; i < random.nextInt(6); i++) {
                recent.add("P" + random.nextInt(40));
            }
            RecommendationRequest request =
                    request(
                            recent,
                            List.of(),
                            List.of(),
                            List.of(new CategoryScore("C1", 1.0, 0L)));
            List<Collection<String>> lazyReads = new ArrayList<>();
            CustomerRecommendations lazy =
                    RankRecommendationsFunction.rank(
                            request,
                            reader(similar, trendingLists, ratings, lazyReads),
                            s,
                            reviews);
            CustomerRecommendations full =
                    RankRecommendationsFunction.rankRatingEveryCandidate(
                            request,
                            reader(similar, trendingLists, ratings, new ArrayList<>()),
                            s,
                            reviews);
            assertThat(lazy).as("round %d", round).isEqualTo(full);
            if (lazyReads.size() == 1) {
                lazyOnly++;
                assertThat(lazyReads.get(0)).hasSizeLessThanOrEqualTo(s.size());
            }
        }
        assertThat(lazyOnly)
                .as("rounds answered from the listed products' ratings")
                .isBetween(50, 490);
    }

    /**
     * What {@code personalize eval recommendations} relies on: without ratings (its data has no
     * reviews), ranking with the reviews settings gives exactly the lists it gave before, scores
     * bit for bit, over many random requests and lists.
     */
    @Test
    void shouldRankExactlyAsBeforeWhenNoRatingsExist() {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            Map<String, SimilarItems> similar = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                List<ScoredItem> items = new ArrayList<>();
                for (int j = 0; j < 1 + random.nextInt(12); j++) {
                    items.add(
                            item(
                                    "P" + random.nextInt(60),
                                    "C" + random.nextInt(5),
                                    random.nextDouble() * 10));
                }
                items.sort((a, b) -> Double.compare(b.getScore(), a.getScore()));
                similar.put("P" + i, similar("P" + i, items.toArray(new ScoredItem[0])));
            }
            Map<String, TrendingItems> trendingLists = new HashMap<>();
            for (String key : List.of(Trending.OVERALL, Trending.categoryKey("C1"))) {
                List<ScoredItem> items = new ArrayList<>();
                for (int j = 0; j < 25; j++) {
                    items.add(item("P" + random.nextInt(80), "C1", random.nextDouble()));
                }
                trendingLists.put(key, trending(key, items.toArray(new ScoredItem[0])));
            }
            List<String> recent = new ArrayList<>();
            for (int i = 0; i < random.nextInt(6); i++) {
                recent.add("P" + random.nextInt(40));
            }
            RecommendationRequest request =
                    request(
                            recent,
                            List.of("P" + random.nextInt(60)),
                            List.of(),
                            List.of(new CategoryScore("C1", 1.0, 0L)));
            CustomerRecommendations before =
                    RankRecommendationsFunction.rank(
                            request,
                            reader(similar, trendingLists, Map.of(), new ArrayList<>()),
                            s);
            CustomerRecommendations after =
                    RankRecommendationsFunction.rank(
                            request,
                            reader(similar, trendingLists, Map.of(), new ArrayList<>()),
                            s,
                            reviews);
            assertThat(after).isEqualTo(before);
        }
    }
}
