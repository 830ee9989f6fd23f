package io.p13n.jobs.recommend;

import static io.p13n.jobs.recommend.RecommendFixtures.DAY;
import static io.p13n.jobs.recommend.RecommendFixtures.T0;
import static io.p13n.jobs.recommend.RecommendFixtures.transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.p13n.model.ItemLink;
import io.p13n.model.ItemNeighboursState;
import io.p13n.model.ItemPopularityState;
import io.p13n.model.ItemTransition;
import io.p13n.model.ItemView;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemNeighboursTest {
    private final RecommendationSettings s = RecommendationSettings.defaults();
    private final long halfLife = s.neighboursHalfLifeMillis();

    @Test
    void shouldHalveAWeightEveryHalfLife() {
        RecommendationSettings raw = s.withPopularityExponent(0);
        ItemNeighboursState state = ItemNeighbours.empty("A");
        ItemNeighbours.apply(state, transition("A", "B", 1.0, 1.0, T0), raw);

        assertThat(score(ItemNeighbours.similar(state, T0, raw), "B"))
                .isCloseTo(1.0, within(1e-12));
        assertThat(score(ItemNeighbours.similar(state, T0 + halfLife, raw), "B"))
                .isCloseTo(0.5, within(1e-12));
        assertThat(score(ItemNeighbours.similar(state, T0 + 3 * halfLife, raw), "B"))
                .isCloseTo(0.125, within(1e-12));
    }

    @Test
    void shouldRankAPairSeenLongAgoBelowAFreshOneEvenIfItWasSeenMoreOften() {
        ItemNeighboursState state = ItemNeighbours.empty("A");
        for (int i = 0; i < 3; i++) {
            ItemNeighbours.apply(state, transition("A", "OLD", 1.0, 1.0, T0), s);
        }
        long later = T0 + 4 * halfLife; // 3 x 2^-4 < 1
        ItemNeighbours.apply(state, transition("A", "NEW", 1.0, 1.0, later), s);

        assertThat(ItemNeighbours.similar(state, later, s).getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("NEW", "OLD");
    }

    @Test
    void shouldKeepValuesExactAcrossALandmarkMove() {
        RecommendationSettings raw = s.withPopularityExponent(0);
        ItemNeighboursState state = ItemNeighbours.empty("A");
        ItemNeighbours.apply(state, transition("A", "B", 1.0, 1.0, T0), raw);
        // beyond MAX_EXPONENT half-lives the landmark moves; the values must not change
        long far = T0 + 70 * halfLife;
        ItemNeighbours.apply(state, transition("A", "C", 1.0, 1.0, far), raw);

        assertThat(state.getLandmark()).isEqualTo(far);
        SimilarItems similar = ItemNeighbours.similar(state, far + halfLife, raw);
        assertThat(score(similar, "C")).isCloseTo(0.5, within(1e-12));
        assertThat(score(similar, "B")).isCloseTo(Math.pow(2, -71), within(1e-25));
    }

    @Test
    void shouldNeverKeepMoreCandidatesThanTheCapNorPublishMoreThanK() {
        ItemNeighboursState state = ItemNeighbours.empty("A");
        for (int i = 0; i < 5 * s.maxCandidates(); i++) {
            ItemNeighbours.apply(state, transition("A", "B" + i, 1.0, 1.0, T0 + i * 1000L), s);
            assertThat(state.getCandidates()).hasSizeLessThanOrEqualTo(s.maxCandidates());
        }
        assertThat(state.getCandidates()).hasSize(s.maxCandidates());
        // the newest survive: with equal raw weights the oldest have faded most
        assertThat(state.getCandidates())
                .extracting(c -> c.getItemId())
                .contains("B" + (5 * s.maxCandidates() - 1))
                .doesNotContain("B0");
        assertThat(ItemNeighbours.similar(state, T0 + DAY, s).getItems()).hasSize(s.similarSize());
    }

    @Test
    void shouldNotLetAGloballyPopularItemDrownASpecificCoOccurrence() {
        ItemNeighboursState state = ItemNeighbours.empty("A");
        // POPULAR follows A 10 times but is viewed 1000 times overall; NICHE follows A 4 times of
        // its 5
        for (int i = 0; i < 10; i++) {
            ItemNeighbours.apply(state, transition("A", "POPULAR", 1.0, 1000.0, T0), s);
        }
        for (int i = 0; i < 4; i++) {
            ItemNeighbours.apply(state, transition("A", "NICHE", 1.0, 5.0, T0), s);
        }

        assertThat(ItemNeighbours.similar(state, T0, s.withPopularityExponent(0)).getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("POPULAR", "NICHE");
        assertThat(ItemNeighbours.similar(state, T0, s.withPopularityExponent(0.5)).getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("NICHE", "POPULAR");
    }

    @Test
    void shouldCarryTheTargetsPopularityIntoEachTransition() {
        RecommendationSettings s = this.s.withBackwardWeight(0);
        ItemPopularityState pop = ItemPopularity.empty("B");
        ItemView first = new ItemView("B", "cat", T0, 1.0, List.of(new ItemLink("A", 1.0)), false);
        ItemPopularity.apply(pop, first, s);
        List<ItemTransition> ts =
                ItemPopularity.apply(
                        pop,
                        new ItemView(
                                "B",
                                null,
                                T0 + s.popularityHalfLifeMillis(),
                                2.0,
                                List.of(new ItemLink("A", 1.0), new ItemLink("Z", 0.5)),
                                false),
                        s);

        // 1 decayed by one half-life, plus 2
        assertThat(pop.getPopularity()).isCloseTo(2.5, within(1e-12));
        assertThat(ts).extracting(ItemTransition::getFromItemId).containsExactly("A", "Z");
        assertThat(ts)
                .allSatisfy(
                        t -> {
                            assertThat(t.getToItemId()).isEqualTo("B");
                            assertThat(t.getToCategoryId())
                                    .isEqualTo("cat"); // remembered from the first view
                            assertThat(t.getToPopularity()).isCloseTo(2.5, within(1e-12));
                        });
        assertThat(ts.get(1).getWeight()).isEqualTo(1.0); // 0.5 link x 2.0 view
        assertThat(ItemPopularity.update(pop, T0 + s.popularityHalfLifeMillis()).getPopularity())
                .isCloseTo(2.5, within(1e-12));
    }

    @Test
    void shouldLinkBackToPredecessorsAtADiscountWithUnknownPopularity() {
        RecommendationSettings s = this.s.withBackwardWeight(0.25);
        List<ItemTransition> ts =
                ItemPopularity.apply(
                        ItemPopularity.empty("B"),
                        new ItemView("B", null, T0, 2.0, List.of(new ItemLink("A", 0.5)), false),
                        s);

        assertThat(ts)
                .extracting(ItemTransition::getFromItemId, ItemTransition::getToItemId)
                .containsExactly(tuple("A", "B"), tuple("B", "A"));
        assertThat(ts.get(1).getWeight()).isCloseTo(0.25 * 0.5 * 2.0, within(1e-12));
        assertThat(ts.get(1).getToPopularity()).isZero();

        // the neighbour stage keeps a known popularity when a backward link says "unknown"
        ItemNeighboursState state = ItemNeighbours.empty("B");
        ItemNeighbours.apply(state, transition("B", "A", 1.0, 9.0, T0), s);
        ItemNeighbours.apply(state, ts.get(1), s);
        assertThat(state.getCandidates())
                .singleElement()
                .satisfies(c -> assertThat(c.getToPopularity()).isEqualTo(9.0));
        // and no backward links from order lines, which link to each other already
        assertThat(
                        ItemPopularity.apply(
                                ItemPopularity.empty("B"),
                                new ItemView(
                                        "B", null, T0, 2.0, List.of(new ItemLink("A", 1.0)), true),
                                s))
                .extracting(ItemTransition::getFromItemId)
                .containsExactly("A");
    }

    @Test
    void shouldNeverListAnItemAsSimilarToItself() {
        ItemNeighboursState state = ItemNeighbours.empty("A");
        ItemNeighbours.apply(state, transition("A", "A", 2.0, 1.0, T0), s);
        ItemNeighbours.apply(state, transition("A", "B", 1.0, 1.0, T0), s);

        assertThat(ItemNeighbours.similar(state, T0, s).getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactly("B");
    }

    @Test
    void shouldSayWhetherItemsWereViewedOrBoughtTogether() {
        ItemNeighboursState state = ItemNeighbours.empty("A");
        ItemNeighbours.apply(state, transition("A", "V", 1.0, 1.0, T0), s);
        ItemNeighbours.apply(state, new ItemTransition("A", "P", null, 1.0, 1.0, T0, true), s);

        SimilarItems similar = ItemNeighbours.similar(state, T0, s);
        assertThat(similar.getItems())
                .extracting(ScoredItem::getReason)
                .containsExactlyInAnyOrder("viewed together with A", "bought together with A");
    }

    private static double score(SimilarItems similar, String item) {
        return similar.getItems().stream()
                .filter(i -> i.getItemId().equals(item))
                .findFirst()
                .orElseThrow()
                .getScore();
    }
}
