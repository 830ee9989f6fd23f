package io.p13n.jobs;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.recommend.Trending;
import io.p13n.jobs.testing.CampaignSources;
import io.p13n.jobs.testing.CollectedOutputs;
import io.p13n.jobs.testing.SourceRecords;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.CatalogEvent;
import io.p13n.model.ClickType;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferOutcome;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.SourceRecord;
import io.p13n.model.TrendingItems;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Catalog changes through the whole workflow: an out-of-stock product leaves the similar-items and
 * trending lists, and a price drop of a product a customer looked at fires the PRICE_DROP campaign
 * for them.
 *
 * <p>The catalog source is paced at one change every four seconds and the clicks at 20 a second
 * (about nine seconds of them), so each change reaches the catalog stage seconds after the clicks
 * it depends on (alice's view eight seconds before the price drop; the first sessions through P2
 * four seconds before the stock-out) and seconds before the last lists are published (the last
 * sessions through P2 five seconds after it).
 */
class CatalogWorkflowTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static SourceRecord view(
            String customer, String session, String product, String category, Instant at) {
        return SourceRecords.of(
                TestEvents.click(customer, ClickType.PRODUCT_VIEW, at)
                        .setSessionId(session)
                        .setProductId(product)
                        .setCategoryId(category)
                        .build());
    }

    private static SourceRecord change(
            String id, String product, Double price, Integer stock, Instant at) {
        return SourceRecords.of(
                CatalogEvent.newBuilder()
                        .setEventId(id)
                        .setProductId(product)
                        .setCategoryId("C1")
                        .setPrice(price)
                        .setStock(stock)
                        .setEventTime(at)
                        .build());
    }

    @Test
    void shouldDropOutOfStockProductsFromListsAndTellWatchersOfAPriceDrop() throws Exception {
        List<SourceRecord> clicks = new ArrayList<>();
        clicks.add(view("alice", "a1", "P7", "C1", T0));
        // 60 shoppers look at P1 → P2 → P3, a minute apart (each list is published at once)
        for (int i = 0; i < 60; i++) {
            Instant start = T0.plusSeconds(60L * (i + 1));
            clicks.add(view("shopper-" + i, "s" + i, "P1", "C1", start));
            clicks.add(view("shopper-" + i, "s" + i, "P2", "C1", start.plusSeconds(10)));
            clicks.add(view("shopper-" + i, "s" + i, "P3", "C1", start.plusSeconds(20)));
        }
        List<SourceRecord> catalog =
                List.of(
                        change("c1", "P7", 100.0, 5, T0),
                        change("c2", "P2", null, 0, T0.plusSeconds(60)),
                        change("c3", "P7", 80.0, null, T0.plusSeconds(120)));

        CollectedOutputs outputs = new CollectedOutputs();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        PersonalizationJob.defineWorkflow(
                env,
                SourceRecords.pacedSource(clicks, 20),
                SourceRecords.nothing(),
                null,
                null,
                SourceRecords.pacedSource(catalog, 0.25),
                CampaignSources.of(
                        List.of(TestOffers.campaign("drop", TriggerType.PRICE_DROP).build())),
                CollectedOutputs.defaultSettings(),
                outputs.sinks());
        env.execute("catalog-workflow-test");

        List<SimilarItems> p1 =
                outputs.similarItems.collected().stream()
                        .filter(s -> s.getItemId().equals("P1"))
                        .toList();
        assertThat(ids(p1.get(0).getItems())).as("before the stock-out").contains("P2");
        assertThat(ids(p1.get(p1.size() - 1).getItems()))
                .as("after it")
                .contains("P3")
                .doesNotContain("P2");
        List<TrendingItems> c1 =
                outputs.trending.collected().stream()
                        .filter(t -> t.getCategoryId().equals(Trending.categoryKey("C1")))
                        .toList();
        assertThat(ids(c1.get(c1.size() - 1).getItems())).contains("P1").doesNotContain("P2");

        List<OfferDecision> offers = outputs.offerTriggers.collected();
        assertThat(offers)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getCustomerId()).isEqualTo("alice");
                            assertThat(d.getTrigger()).isEqualTo(TriggerType.PRICE_DROP);
                            assertThat(d.getOutcome()).isEqualTo(OfferOutcome.SENT);
                            assertThat(d.getReason())
                                    .isEqualTo("price of P7 dropped from 100.00 to 80.00");
                        });
    }

    @Test
    void shouldGiveTheCatalogStagesStableUids() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PersonalizationJob.defineWorkflow(
                env,
                SourceRecords.nothing(),
                SourceRecords.nothing(),
                null,
                null,
                SourceRecords.nothing(),
                CampaignSources.none(),
                CollectedOutputs.defaultSettings(),
                new CollectedOutputs().sinks());
        StreamGraph graph = env.getStreamGraph();
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(
                        Uids.CATALOG_SOURCE,
                        Uids.CATALOG_ROUTE,
                        Uids.CATALOG_WATCHERS,
                        Uids.SIMILAR_ITEMS_AVAILABLE,
                        Uids.TRENDING_AVAILABLE,
                        Uids.RECOMMENDATIONS_AVAILABLE,
                        Uids.PRODUCT_MOMENTS)
                .doesNotHaveDuplicates();
    }

    private static List<String> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::getItemId).toList();
    }
}
