package io.p13n.jobs.recommend;

import static io.p13n.jobs.recommend.RecommendFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.ScoredItem;
import io.p13n.model.TrendingItems;
import io.p13n.model.TrendingState;
import org.junit.jupiter.api.Test;

class TrendingTest {
    private final RecommendationSettings s = RecommendationSettings.defaults();
    private final long halfLife = s.popularityHalfLifeMillis();

    @Test
    void shouldDecayPopularityAndLetAFreshItemOvertakeAnOldFavourite() {
        TrendingState state = Trending.empty("shoes");
        Trending.apply(state, new ItemPopularityUpdate("OLD", "shoes", 10.0, T0), s);
        Trending.apply(state, new ItemPopularityUpdate("NEW", "shoes", 4.0, T0 + 2 * halfLife), s);

        TrendingItems top = Trending.top(state, T0 + 2 * halfLife, s);
        assertThat(top.getItems()).extracting(ScoredItem::getItemId).containsExactly("NEW", "OLD");
        assertThat(top.getItems().get(1).getScore()).isCloseTo(2.5, within(1e-12));
        assertThat(top.getItems())
                .extracting(ScoredItem::getReason)
                .containsOnly("trending in shoes");
    }

    @Test
    void shouldReplaceAnItemsPopularityWithItsLatestValue() {
        TrendingState state = Trending.empty("shoes");
        Trending.apply(state, new ItemPopularityUpdate("A", "shoes", 1.0, T0), s);
        Trending.apply(state, new ItemPopularityUpdate("A", "shoes", 3.0, T0), s);

        assertThat(Trending.top(state, T0, s).getItems())
                .singleElement()
                .satisfies(i -> assertThat(i.getScore()).isEqualTo(3.0));
    }

    @Test
    void shouldKeepTheListBoundedAndPublishTheTopN() {
        TrendingState state = Trending.empty("x");
        for (int i = 0; i < 3 * s.trendingCandidates(); i++) {
            Trending.apply(state, new ItemPopularityUpdate("I" + i, "x", 1.0 + i, T0), s);
        }
        assertThat(state.getItems()).hasSize(s.trendingCandidates());
        TrendingItems top = Trending.top(state, T0, s);
        assertThat(top.getItems()).hasSize(s.trendingSize());
        assertThat(top.getItems().get(0).getItemId())
                .isEqualTo("I" + (3 * s.trendingCandidates() - 1));
    }

    @Test
    void shouldMergeCategoryTopsIntoTheOverallList() {
        TrendingState shoes = Trending.empty("shoes");
        TrendingState hats = Trending.empty("hats");
        Trending.apply(shoes, new ItemPopularityUpdate("S1", "shoes", 5.0, T0), s);
        Trending.apply(shoes, new ItemPopularityUpdate("S2", "shoes", 1.0, T0), s);
        Trending.apply(hats, new ItemPopularityUpdate("H1", "hats", 3.0, T0 + halfLife), s);

        TrendingState overall = Trending.empty(Trending.OVERALL);
        Trending.merge(overall, Trending.top(shoes, T0, s), s);
        Trending.merge(overall, Trending.top(hats, T0 + halfLife, s), s);

        TrendingItems top = Trending.top(overall, T0 + halfLife, s);
        // S1 has decayed to 2.5 by then, below H1's 3
        assertThat(top.getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("H1", "S1", "S2");
        assertThat(top.getItems())
                .extracting(ScoredItem::getCategoryId)
                .containsExactly("hats", "shoes", "shoes");
        assertThat(top.getItems()).extracting(ScoredItem::getReason).containsOnly("trending now");
        assertThat(Trending.categoryKey(null)).isEqualTo(Trending.UNKNOWN);
    }
}
