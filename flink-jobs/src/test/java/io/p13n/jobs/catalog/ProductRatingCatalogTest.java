package io.p13n.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.CatalogInput;
import io.p13n.model.CustomerEvent;
import io.p13n.model.Erasure;
import io.p13n.model.ProductMoment;
import io.p13n.model.ProductRating;
import io.p13n.model.ProductReview;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The catalog stage keeps each product's rating (README, Reviews and ratings). */
class ProductRatingCatalogTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private KeyedBroadcastOperatorTestHarness<String, CatalogInput, Erasure, ProductMoment> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new CatalogWatchersFunction(
                                        new CatalogSettings(Duration.ofDays(14), 3, 0.05, 10)),
                                List.of(CatalogWatchersFunction.RECENTLY_ERASED)),
                        CatalogInputs::productId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** The reviews as the workflow turns unique events into catalog inputs. */
    private static List<CatalogInput> inputs(CustomerEvent event) {
        List<CatalogInput> out = new ArrayList<>();
        CatalogInputs.interests(
                event,
                new Collector<>() {
                    @Override
                    public void collect(CatalogInput record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    private void review(String customer, String product, int stars, Instant at) throws Exception {
        for (CatalogInput input :
                inputs(new CustomerEvent(TestEvents.review(customer, product, stars, at)))) {
            harness.processElement(new StreamRecord<>(input, at.toEpochMilli()));
        }
    }

    private List<ProductRating> ratings() {
        var queue = harness.getSideOutput(CatalogWatchersFunction.RATINGS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void shouldPublishEachProductsSumAndCountOnEveryReview() throws Exception {
        review("a", "P1", 5, T0);
        review("b", "P1", 1, T0.plusSeconds(10));
        review("c", "P2", 4, T0.plusSeconds(20));

        assertThat(ratings())
                .extracting(
                        ProductRating::getProductId,
                        ProductRating::getRatingSum,
                        ProductRating::getRatings)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("P1", 5L, 1L),
                        org.assertj.core.groups.Tuple.tuple("P1", 6L, 2L),
                        org.assertj.core.groups.Tuple.tuple("P2", 4L, 1L));
        assertThat(ratings().get(1).getUpdatedAt()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
        // no customer id anywhere in the aggregate, and no moment
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void shouldCarryTheStarsOnlyAndCombineReviewsOfOneProductInABundle() {
        List<CatalogInput> in = inputs(new CustomerEvent(TestEvents.review("alice", "P1", 2, T0)));
        assertThat(in).hasSize(1);
        assertThat(in.get(0).getPayload())
                .isEqualTo(new ProductReview("P1", 2L, 1L, T0.toEpochMilli()));

        CatalogInputs.CombineInterests combiner = new CatalogInputs.CombineInterests();
        CatalogInput first = combiner.own(in.get(0));
        CatalogInput second =
                inputs(new CustomerEvent(TestEvents.review("bob", "P1", 5, T0.plusSeconds(1))))
                        .get(0);
        CatalogInput other =
                inputs(new CustomerEvent(TestEvents.review("bob", "P2", 5, T0))).get(0);
        assertThat(combiner.keyOf(first)).isEqualTo(combiner.keyOf(second));
        assertThat(combiner.keyOf(first)).isNotEqualTo(combiner.keyOf(other));
        CatalogInput combined = combiner.combine(first, second);
        assertThat(combined.getPayload())
                .isEqualTo(new ProductReview("P1", 7L, 2L, T0.plusSeconds(1).toEpochMilli()));
        assertThat(in.get(0).getPayload()) // the upstream record is untouched
                .isEqualTo(new ProductReview("P1", 2L, 1L, T0.toEpochMilli()));
    }
}
