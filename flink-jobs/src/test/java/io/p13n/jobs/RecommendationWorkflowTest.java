package io.p13n.jobs;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.recommend.Trending;
import io.p13n.jobs.testing.CampaignSources;
import io.p13n.jobs.testing.CollectedOutputs;
import io.p13n.jobs.testing.SourceRecords;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.SourceRecord;
import io.p13n.model.TrendingItems;
import io.p13n.model.testing.TestEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A scripted clickstream through the whole workflow produces the expected serving lists: similar
 * items learned from sessions and orders, trending per category and overall, a ranked list for a
 * customer (with exclusions and reasons) and a cold-start list for a newcomer.
 */
class RecommendationWorkflowTest {

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

    @Test
    void shouldLearnSimilarItemsAndTrendingAndRankACustomersList() throws Exception {
        List<SourceRecord> clicks = new ArrayList<>();
        // 12 shoppers look at P1 → P2 → P3; sessions a minute apart, so each list is published at
        // once
        for (int i = 0; i < 12; i++) {
            Instant start = T0.plusSeconds(60L * i);
            String shopper = "shopper-" + i;
            clicks.add(view(shopper, "s" + i, "P1", "C1", start));
            clicks.add(view(shopper, "s" + i, "P2", "C1", start.plusSeconds(10)));
            clicks.add(view(shopper, "s" + i, "P3", "C2", start.plusSeconds(20)));
        }
        // a popular item of its own category: trending, but never seen with P1
        for (int i = 0; i < 20; i++) {
            clicks.add(view("browser-" + i, "b" + i, "P9", "C3", T0.plusSeconds(30L * i + 5)));
        }
        // alice, an hour later: looks at P1, then puts P3 in her cart
        Instant later = T0.plusSeconds(3600);
        clicks.add(view("alice", "a1", "P1", "C1", later));
        clicks.add(
                SourceRecords.of(
                        TestEvents.click("alice", ClickType.ADD_TO_CART, later.plusSeconds(30))
                                .setSessionId("a1")
                                .setProductId("P3")
                                .setCategoryId("C2")
                                .setQuantity(1)
                                .setPrice(10.0)
                                .build()));
        // bob is new and looks at a product nobody else has: cold start
        clicks.add(view("bob", "b-new", "P42", "C3", later.plusSeconds(40)));

        // bought together, by one customer, long before
        OrderEvent order =
                TestEvents.order("buyer", io.p13n.model.OrderStatus.PLACED, T0.plusSeconds(30), 25)
                        .setLines(
                                List.of(
                                        new OrderLine("P5", "C4", 1, 10.0),
                                        new OrderLine("P6", "C4", 1, 15.0)))
                        .build();

        CollectedOutputs outputs = new CollectedOutputs();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // One source reader keeps each session in order; the keyed stages still shuffle.
        env.setParallelism(1);
        PersonalizationJob.defineWorkflow(
                env,
                SourceRecords.pacedSource(clicks, 25),
                SourceRecords.boundedSource(List.of(SourceRecords.of(order))),
                CampaignSources.none(),
                CollectedOutputs.defaultSettings(),
                outputs.sinks());
        env.execute("recommendation-workflow-test");

        Map<String, SimilarItems> similar = new LinkedHashMap<>();
        outputs.similarItems.collected().forEach(s -> similar.put(s.getItemId(), s));
        assertThat(ids(similar.get("P1").getItems()))
                .startsWith("P2")
                .contains("P3")
                .doesNotContain("P1", "P9");
        assertThat(similar.get("P1").getItems().get(0).getReason())
                .isEqualTo("viewed together with P1");
        assertThat(similar.get("P1").getItems().get(0).getScore())
                .isGreaterThan(similar.get("P1").getItems().get(1).getScore());
        assertThat(ids(similar.get("P5").getItems())).containsExactly("P6");
        assertThat(similar.get("P5").getItems().get(0).getReason())
                .isEqualTo("bought together with P5");

        Map<String, TrendingItems> trending = new LinkedHashMap<>();
        outputs.trending.collected().forEach(t -> trending.put(t.getCategoryId(), t));
        assertThat(ids(trending.get("C3").getItems())).first().isEqualTo("P9");
        assertThat(ids(trending.get("C1").getItems())).containsExactlyInAnyOrder("P1", "P2");
        assertThat(ids(trending.get(Trending.OVERALL).getItems())).first().isEqualTo("P9");
        assertThat(ids(trending.get(Trending.OVERALL).getItems()))
                .contains("P1", "P2", "P3", "P42");

        Map<String, CustomerRecommendations> latest = new LinkedHashMap<>();
        outputs.recommendations.collected().forEach(r -> latest.put(r.getCustomerId(), r));
        CustomerRecommendations alice = latest.get("alice");
        assertThat(ids(alice.getItems()))
                .as("P2 follows P1; P1 was just viewed and P3 is in the cart")
                .startsWith("P2")
                .doesNotContain("P1", "P3");
        assertThat(alice.getItems().get(0).getReason()).isEqualTo("viewed together with P1");
        assertThat(alice.getItems())
                .extracting(ScoredItem::getItemId)
                .doesNotHaveDuplicates()
                .hasSizeLessThanOrEqualTo(20);

        CustomerRecommendations bob = latest.get("bob");
        assertThat(bob.getStrategy()).isEqualTo("trending");
        assertThat(ids(bob.getItems()))
                .as("trending in his category first")
                .first()
                .isEqualTo("P9");
        assertThat(ids(bob.getItems())).doesNotContain("P42");
    }

    private static List<String> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::getItemId).toList();
    }
}
