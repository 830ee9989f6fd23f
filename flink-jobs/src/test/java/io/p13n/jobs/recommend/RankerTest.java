package io.p13n.jobs.recommend;

import static io.p13n.jobs.recommend.RecommendFixtures.T0;
import static io.p13n.jobs.recommend.RecommendFixtures.item;
import static io.p13n.jobs.recommend.RecommendFixtures.request;
import static io.p13n.jobs.recommend.RecommendFixtures.similar;
import static io.p13n.jobs.recommend.RecommendFixtures.trending;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankerTest {
    private final RecommendationSettings s =
            RecommendationSettings.defaults().withExcludeRecentlyViewed(1);

    @Test
    void shouldExcludeCartPurchasedAndRecentlyViewedItems() {
        Map<String, SimilarItems> similar =
                Map.of(
                        "A",
                        similar(
                                "A",
                                item("CART", null, 5),
                                item("BOUGHT", null, 4),
                                item("A", null, 3),
                                item("OK", null, 2),
                                item("B", null, 1)));
        CustomerRecommendations recs =
                Ranker.rank(
                        request(List.of("A", "B"), List.of("CART"), List.of("BOUGHT"), List.of()),
                        similar,
                        Map.of(),
                        s);

        // A is the last viewed (excluded with excludeRecentlyViewed = 1); B was viewed before it
        // and
        // stays, as a neighbour of A (1/5) and viewed again (revisit weight 1.5 x recency 1/2)
        assertThat(recs.getItems()).extracting(ScoredItem::getItemId).containsExactly("B", "OK");
        assertThat(recs.getItems().get(0).getScore()).isCloseTo(0.2 + 0.75, within(1e-12));
        assertThat(recs.getItems().get(0).getReason()).isEqualTo("viewed recently");
        assertThat(recs.getStrategy()).isEqualTo("neighbours");
        assertThat(recs.getCustomerId()).isEqualTo("c1");
    }

    @Test
    void shouldWeighTheMostRecentItemsNeighboursMost() {
        Map<String, SimilarItems> similar =
                Map.of(
                        "LAST",
                        similar("LAST", item("X", null, 1)),
                        "EARLIER",
                        similar("EARLIER", item("Y", null, 1)));
        CustomerRecommendations recs =
                Ranker.rank(
                        request(List.of("LAST", "EARLIER"), List.of(), List.of(), List.of()),
                        similar,
                        Map.of(),
                        s.withExcludeRecentlyViewed(2));

        assertThat(recs.getItems()).extracting(ScoredItem::getItemId).startsWith("X", "Y");
        assertThat(recs.getItems().get(0).getScore())
                .isEqualTo(2 * recs.getItems().get(1).getScore());
        assertThat(recs.getItems().get(0).getReason()).isEqualTo("viewed together with LAST");
        assertThat(recs.getItems().get(1).getReason()).isEqualTo("viewed together with EARLIER");
    }

    @Test
    void shouldCapItemsPerCategory() {
        List<ScoredItem> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(item("S" + i, "shoes", 100 - i));
        }
        items.add(item("H", "hats", 1));
        Map<String, SimilarItems> similar =
                Map.of("A", similar("A", items.toArray(ScoredItem[]::new)));
        CustomerRecommendations recs =
                Ranker.rank(
                        request(List.of("A"), List.of(), List.of(), List.of()),
                        similar,
                        Map.of(),
                        s.withPerCategoryCap(3));

        assertThat(recs.getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("S0", "S1", "S2", "H");
    }

    @Test
    void shouldBoostCategoriesTheCustomerLikes() {
        Map<String, SimilarItems> similar =
                Map.of("A", similar("A", item("S", "shoes", 1.0), item("H", "hats", 0.9)));
        List<CategoryScore> likesHats =
                List.of(new CategoryScore("hats", 4.0, T0), new CategoryScore("shoes", 0.4, T0));
        CustomerRecommendations recs =
                Ranker.rank(
                        request(List.of("A"), List.of(), List.of(), likesHats),
                        similar,
                        Map.of(),
                        s);

        assertThat(recs.getItems()).extracting(ScoredItem::getItemId).containsExactly("H", "S");
    }

    @Test
    void shouldFillAColdStartFromCategoryTrendingThenOverallTrending() {
        Map<String, TrendingItems> trending =
                Map.of(
                        "hats",
                        trending("hats", item("H1", "hats", 9), item("H2", "hats", 8)),
                        Trending.OVERALL,
                        trending(
                                Trending.OVERALL,
                                item("T1", "toys", 20),
                                item("T2", "toys", 10),
                                item("H1", "hats", 9)));
        List<CategoryScore> likesHats = List.of(new CategoryScore("hats", 4.0, T0));
        CustomerRecommendations recs =
                Ranker.rank(
                        request(List.of(), List.of(), List.of("T2"), likesHats),
                        Map.of(),
                        trending,
                        s);

        assertThat(recs.getStrategy()).isEqualTo("trending");
        assertThat(recs.getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("H1", "H2", "T1");
        assertThat(recs.getItems())
                .extracting(ScoredItem::getReason)
                .containsExactly("trending in hats", "trending in hats", "trending now");
        assertThat(recs.getItems())
                .extracting(ScoredItem::getScore)
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void shouldTopUpTooFewNeighboursFromTrending() {
        Map<String, SimilarItems> similar = Map.of("A", similar("A", item("N", null, 1.0)));
        Map<String, TrendingItems> trending =
                Map.of(
                        Trending.OVERALL,
                        trending(Trending.OVERALL, item("N", null, 5), item("T", null, 3)));
        CustomerRecommendations recs =
                Ranker.rank(
                        request(List.of("A"), List.of(), List.of(), List.of()),
                        similar,
                        trending,
                        s);

        assertThat(recs.getStrategy()).isEqualTo("neighbours+trending");
        assertThat(recs.getItems()).extracting(ScoredItem::getItemId).containsExactly("N", "T");
        assertThat(recs.getItems()).allSatisfy(i -> assertThat(i.getReason()).isNotBlank());
        assertThat(recs.getItems().get(1).getScore()).isLessThan(recs.getItems().get(0).getScore());
    }

    @Test
    void shouldRecommendRecentItemsAgainOnlyWhereNotExcluded() {
        Map<String, SimilarItems> similar = Map.of("A", similar("A", item("X", null, 1.0)));

        CustomerRecommendations allowed =
                Ranker.rank(
                        request(List.of("A", "B"), List.of(), List.of(), List.of()),
                        similar,
                        Map.of(),
                        s.withExcludeRecentlyViewed(0));
        // A: 1.5 x 1; X: the best neighbour of the most recent item, 1; B: 1.5 x 1/2
        assertThat(allowed.getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("A", "X", "B");
        assertThat(allowed.getItems())
                .extracting(ScoredItem::getScore)
                .containsExactly(1.5, 1.0, 0.75);
        assertThat(allowed.getItems().get(0).getReason()).isEqualTo("viewed recently");

        CustomerRecommendations excluded =
                Ranker.rank(
                        request(List.of("A", "B"), List.of(), List.of(), List.of()),
                        similar,
                        Map.of(),
                        s.withExcludeRecentlyViewed(2));
        assertThat(excluded.getItems()).extracting(ScoredItem::getItemId).containsExactly("X");
        CustomerRecommendations off =
                Ranker.rank(
                        request(List.of("A", "B"), List.of(), List.of(), List.of()),
                        similar,
                        Map.of(),
                        s.withExcludeRecentlyViewed(0).withRevisitWeight(0));
        assertThat(off.getItems()).extracting(ScoredItem::getItemId).containsExactly("X");
    }

    @Test
    void shouldReturnAtMostTheListSize() {
        List<ScoredItem> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            items.add(item("I" + i, null, 100 - i));
        }
        CustomerRecommendations recs =
                Ranker.rank(
                        request(List.of("A"), List.of(), List.of(), List.of()),
                        Map.of("A", similar("A", items.toArray(ScoredItem[]::new))),
                        Map.of(),
                        s);
        assertThat(recs.getItems()).hasSize(s.size());
    }
}
