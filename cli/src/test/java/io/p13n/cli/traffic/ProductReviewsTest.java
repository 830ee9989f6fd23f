package io.p13n.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.ReviewEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class ProductReviewsTest {
    private static final Clock FIXED =
            Clock.fixed(Instant.parse("2026-05-01T08:00:00Z"), ZoneOffset.UTC);

    private static List<SpecificRecordBase> take(StorefrontSimulator simulator, int n) {
        List<SpecificRecordBase> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(simulator.next());
        }
        return out;
    }

    @Test
    void shouldSendNoReviewsByDefault() {
        assertThat(take(new StorefrontSimulator(7, 1_000, 500, 20, FIXED), 20_000))
                .noneMatch(e -> e instanceof ReviewEvent);
    }

    @Test
    void shouldReviewABoughtProductAfterTheOrderAndLeaveTheShoppersEventsAsTheyWere() {
        List<SpecificRecordBase> plain =
                take(new StorefrontSimulator(7, 1_000, 500, 20, FIXED), 20_000);
        List<SpecificRecordBase> mixed =
                take(new StorefrontSimulator(7, 1_000, 500, 20, FIXED).withReviews(0.5), 20_000);
        List<SpecificRecordBase> shoppers =
                mixed.stream().filter(e -> !(e instanceof ReviewEvent)).toList();
        assertThat(shoppers).isEqualTo(plain.subList(0, shoppers.size()));

        Map<String, OrderEvent> ordersSoFar = new HashMap<>();
        int reviews = 0;
        for (SpecificRecordBase e : mixed) {
            if (e instanceof OrderEvent order) {
                ordersSoFar.put(order.getOrderId(), order);
            } else if (e instanceof ReviewEvent review) {
                reviews++;
                OrderEvent order = ordersSoFar.get(review.getOrderId());
                assertThat(order).as("the order came first").isNotNull();
                assertThat(review.getCustomerId()).isEqualTo(order.getCustomerId());
                assertThat(order.getLines())
                        .extracting(OrderLine::getProductId)
                        .contains(review.getProductId());
                assertThat(review.getRating()).isBetween(1, 5);
                assertThat(review.getTextLength()).isNotNegative();
            }
        }
        long orders = plain.stream().filter(e -> e instanceof OrderEvent).count();
        assertThat(orders).isPositive();
        // half the orders, less the ones whose review is not yet due at the end
        assertThat(reviews).isBetween((int) (orders * 0.3), (int) (orders * 0.6));
    }

    @Test
    void shouldRateJShapedMostlyFiveAndFourSomeOne() {
        ProductReviews reviews = new ProductReviews(1.0, new Random(3), "run", FIXED);
        int[] stars = new int[6];
        Map<Boolean, double[]> byQuality = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            String product = "p" + (i % 997);
            reviews.onOrder(
                    OrderEvent.newBuilder()
                            .setOrderId("o" + i)
                            .setCustomerId("c" + i)
                            .setLines(List.of(new OrderLine(product, "cat", 1, 10.0)))
                            .setTotal(10)
                            .setEventTime(FIXED.instant())
                            .build());
            ReviewEvent review = reviews.due();
            if (review != null) {
                stars[review.getRating()]++;
                double[] sum =
                        byQuality.computeIfAbsent(
                                ProductReviews.poor(review.getProductId()), k -> new double[2]);
                sum[0] += review.getRating();
                sum[1]++;
            }
        }
        double n = stars[1] + stars[2] + stars[3] + stars[4] + stars[5];
        assertThat(n).isGreaterThan(30_000);
        assertThat(stars[5] / n).isBetween(0.52, 0.64);
        assertThat(stars[4] / n).isBetween(0.16, 0.24);
        assertThat(stars[5]).isGreaterThan(stars[4]);
        assertThat(stars[4]).isGreaterThan(stars[1]);
        // the J's hook: more ones than twos or threes
        assertThat(stars[1]).isGreaterThan(stars[3]).isGreaterThan(stars[2]);
        assertThat((stars[1] + stars[2]) / n).as("low ratings").isBetween(0.12, 0.19);
        // poor products average far lower than the others
        double poor = byQuality.get(true)[0] / byQuality.get(true)[1];
        double good = byQuality.get(false)[0] / byQuality.get(false)[1];
        assertThat(poor).isLessThan(3.0);
        assertThat(good).isGreaterThan(4.0);
    }
}
