package io.p13n.jobs.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ProductRating;
import io.p13n.model.ProductReview;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProductRatingsTest {
    private final ReviewSettings defaults = ReviewSettings.defaults();

    @Test
    void shouldDocumentTheDefaults() {
        assertThat(defaults.lowRating()).isEqualTo(2);
        assertThat(defaults.points()).isEqualTo(50);
        assertThat(defaults.promotionPauseMillis()).isEqualTo(Duration.ofDays(14).toMillis());
        assertThat(defaults.ratingPriorMean()).isEqualTo(4.0);
        assertThat(defaults.ratingPriorWeight()).isEqualTo(10.0);
        assertThat(defaults.demoteBelow()).isEqualTo(3.0);
    }

    @Test
    void shouldAddReviewsToARating() {
        ProductRating r = ProductRatings.add(null, new ProductReview("P", 5L, 1L, 1_000L));
        r = ProductRatings.add(r, new ProductReview("P", 3L, 2L, 500L)); // a combined bundle
        assertThat(r.getProductId()).isEqualTo("P");
        assertThat(r.getRatingSum()).isEqualTo(8);
        assertThat(r.getRatings()).isEqualTo(3);
        assertThat(r.getUpdatedAt()).isEqualTo(1_000L);
        assertThat(ProductRatings.average(8, 3)).isCloseTo(2.667, within(1e-3));
        assertThat(ProductRatings.average(0, 0)).isZero();
    }

    @Test
    void shouldLeaveProductsWithFewLowReviewsAlone() {
        // three one-star reviews: (10 x 4 + 3) / 13 = 3.3, above the bar of 3
        assertThat(ProductRatings.bayesianAverage(3, 3, defaults)).isCloseTo(3.31, within(0.01));
        assertThat(ProductRatings.rankingFactor(3, 3, defaults)).isEqualTo(1.0);
        assertThat(ProductRatings.rankingFactor(0, 0, defaults)).isEqualTo(1.0);
    }

    @Test
    void shouldDemoteProductsRatedLowByEnoughReviewers() {
        // twenty reviews averaging 1.5: (40 + 30) / 30 = 2.33, so x 2.33/3
        assertThat(ProductRatings.rankingFactor(30, 20, defaults))
                .isCloseTo(70.0 / 30 / 3, within(1e-12));
        // a thousand one-star reviews: close to 1 star, so about a third, never below a fifth
        assertThat(ProductRatings.rankingFactor(1_000, 1_000, defaults)).isBetween(0.2, 0.35);
    }

    @Test
    void shouldNeverPromoteWellRatedProducts() {
        assertThat(ProductRatings.rankingFactor(500, 100, defaults)).isEqualTo(1.0);
        assertThat(ProductRatings.rankingFactor(300, 100, defaults)).isEqualTo(1.0); // 3.0 flat
    }

    @Test
    void shouldWriteTheRatingHashForTheStorefront() {
        RedisKeys keys = new RedisKeys("p13n");
        ProductRatingRedisMapper mapper = new ProductRatingRedisMapper(keys, Duration.ofDays(365));
        RedisHashWrite write =
                (RedisHashWrite)
                        mapper.toWrite(
                                new ProductRating(
                                        "P1",
                                        9L,
                                        4L,
                                        Instant.parse("2026-12-07T10:00:00Z").toEpochMilli()));
        assertThat(write.key()).isEqualTo("p13n:{i:P1}:rating");
        assertThat(write.fields())
                .containsEntry("avg", "2.25")
                .containsEntry("count", "4")
                .containsEntry("sum", "9")
                .containsEntry("updatedAt", "2026-12-07T10:00:00Z");
        assertThat(write.ttlMillis()).isEqualTo(Duration.ofDays(365).toMillis());
        assertThat(mapper.keyOf(new ProductRating("P1", 1L, 1L, 0L))).isEqualTo(write.key());
    }
}
