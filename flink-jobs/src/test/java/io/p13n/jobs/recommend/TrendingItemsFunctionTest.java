package io.p13n.jobs.recommend;

import static io.p13n.jobs.recommend.RecommendFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.ScoredItem;
import io.p13n.model.TrendingItems;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TrendingItemsFunctionTest {
    private final RecommendationSettings settings = RecommendationSettings.defaults();
    private final long halfLife = settings.popularityHalfLifeMillis();

    /**
     * Two item subtasks feed one category, so an older update can arrive after a newer one. The
     * list it publishes stays as of the newest time: decayed to the older time every score would be
     * inflated, and the list would differ from the one `redis rebuild` reads back from the state.
     */
    @Test
    void shouldPublishTheListAsOfTheNewestUpdateWhenAnOlderOneArrivesLate() throws Exception {
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new TrendingItemsFunction(settings)),
                        ItemPopularityUpdate::getCategoryId,
                        Types.STRING)) {
            harness.open();
            long newest = T0 + 2 * halfLife;
            harness.processElement(
                    new StreamRecord<>(new ItemPopularityUpdate("NEW", "shoes", 4.0, newest)));
            harness.processElement(
                    new StreamRecord<>(new ItemPopularityUpdate("OLD", "shoes", 8.0, T0)));

            List<TrendingItems> lists =
                    harness.extractOutputValues().stream().map(TrendingItems.class::cast).toList();
            TrendingItems last = lists.get(lists.size() - 1);
            assertThat(last.getUpdatedAt()).isEqualTo(newest);
            assertThat(last.getItems())
                    .extracting(ScoredItem::getItemId)
                    .containsExactly("NEW", "OLD");
            assertThat(last.getItems().get(0).getScore()).isCloseTo(4.0, within(1e-9));
            // 8 two half-lives ago
            assertThat(last.getItems().get(1).getScore()).isCloseTo(2.0, within(1e-9));
        }
    }
}
