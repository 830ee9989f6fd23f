package io.p13n.jobs.recommend;

/**
 * How much of an item's ranking score its rating leaves it: 1 for most items, less for a product
 * rated low by enough reviewers ({@link io.p13n.jobs.reviews.ProductRatings#rankingFactor}; README,
 * Reviews and ratings).
 */
@FunctionalInterface
public interface RatingFactors {
    /** No ratings: every item keeps its score (the ranking is exactly as without reviews). */
    RatingFactors NONE = itemId -> 1.0;

    /** The factor of {@code itemId}, in (0, 1]. */
    double of(String itemId);
}
