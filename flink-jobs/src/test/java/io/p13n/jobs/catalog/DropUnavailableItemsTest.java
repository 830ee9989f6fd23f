package io.p13n.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.ProductAvailability;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import java.util.List;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Lists leave for Redis without the products that are out of stock or inactive. */
class DropUnavailableItemsTest {

    private static SimilarItems list(String... ids) {
        return new SimilarItems(
                "P0",
                java.util.Arrays.stream(ids)
                        .map(id -> new ScoredItem(id, null, 1.0, null))
                        .toList(),
                7L);
    }

    private static List<String> ids(SimilarItems list) {
        return list.getItems().stream().map(ScoredItem::getItemId).toList();
    }

    private static BroadcastOperatorTestHarness<SimilarItems, ProductAvailability, SimilarItems>
            harness(int maxUnavailable) throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new DropUnavailableItems<>(new ListItems.Similar(), maxUnavailable),
                DropUnavailableItems.UNAVAILABLE);
    }

    @Test
    void shouldLeaveOutUnavailableProductsUntilTheyAreAvailableAgain() throws Exception {
        try (var harness = harness(100)) {
            SimilarItems original = list("A", "B", "C");
            harness.processElement(original, 1);
            harness.processBroadcastElement(new ProductAvailability("B", false, 10L), 2);
            harness.processElement(list("A", "B", "C"), 3);
            harness.processBroadcastElement(new ProductAvailability("B", true, 20L), 4);
            harness.processElement(list("A", "B", "C"), 5);

            List<SimilarItems> out = harness.extractOutputValues();
            assertThat(out.get(0)).isEqualTo(original);
            assertThat(ids(out.get(1))).containsExactly("A", "C");
            assertThat(out.get(1).getItemId()).isEqualTo("P0");
            assertThat(out.get(1).getUpdatedAt()).isEqualTo(7L);
            assertThat(ids(out.get(2))).containsExactly("A", "B", "C");
        }
    }

    @Test
    void shouldForgetTheProductUnavailableLongestPastTheBound() throws Exception {
        try (var harness = harness(2)) {
            harness.processBroadcastElement(new ProductAvailability("A", false, 10L), 1);
            harness.processBroadcastElement(new ProductAvailability("B", false, 20L), 2);
            harness.processBroadcastElement(new ProductAvailability("B", false, 25L), 3); // again
            harness.processBroadcastElement(new ProductAvailability("C", false, 30L), 4);
            harness.processElement(list("A", "B", "C", "D"), 5);
            assertThat(ids(harness.extractOutputValues().get(0))).containsExactly("A", "D");
        }
    }
}
