package io.p13n.jobs.reviews;

import io.p13n.model.ProductRating;
import io.p13n.model.ProductReview;

/**
 * A product's rating: the plain sum and count of its reviews' stars (kept by the catalog stage),
 * the plain average the storefront shows, and the Bayesian average ranking uses.
 *
 * <p><b>Why a Bayesian average for ranking</b>: a product with two one-star reviews has a plain
 * average of 1, but two reviews say little; the Bayesian average {@code (C·m + Σ stars) / (C + n)}
 * pulls the average of {@code n} reviews towards a prior mean {@code m} as if {@code C} reviews of
 * {@code m} stars had been seen first (the IMDb top-250 formula), so only a low rating from enough
 * reviewers moves it far. With the defaults (m = 4, C = 10, demotion below 3): three one-star
 * reviews give 3.3 (no effect), twenty at an average of 1.5 give 2.3.
 *
 * <p><b>Why only a demotion, and a mild one</b>: a product's score is multiplied by {@code bayes /
 * demoteBelow} when its Bayesian average is below {@code demoteBelow}, by 1 otherwise. A rating
 * never promotes (ratings are J-shaped, most products sit at 4 to 5 stars, so a boost would mostly
 * reorder good products by noise), never removes a product (the factor is at least 1/5: what the
 * customer looked at is still the strongest evidence), and a product without reviews, or without
 * enough of them, ranks exactly as before.
 */
public final class ProductRatings {
    private ProductRatings() {}

    /** Adds reviews (possibly combined) to a product's rating; {@code rating} may be null. */
    public static ProductRating add(ProductRating rating, ProductReview review) {
        ProductRating r =
                rating != null
                        ? rating
                        : ProductRating.newBuilder().setProductId(review.getProductId()).build();
        r.setRatingSum(r.getRatingSum() + review.getRatingSum());
        r.setRatings(r.getRatings() + review.getRatings());
        r.setUpdatedAt(Math.max(r.getUpdatedAt(), review.getEventTime()));
        return r;
    }

    /** The plain average, 0 without reviews. */
    public static double average(long ratingSum, long ratings) {
        return ratings <= 0 ? 0 : (double) ratingSum / ratings;
    }

    /** The average pulled towards the prior: {@code (C·m + Σ stars) / (C + n)}. */
    public static double bayesianAverage(long ratingSum, long ratings, ReviewSettings s) {
        double weight = s.ratingPriorWeight() + Math.max(0, ratings);
        if (weight <= 0) {
            return s.ratingPriorMean(); // no prior and no reviews
        }
        return (s.ratingPriorWeight() * s.ratingPriorMean() + ratingSum) / weight;
    }

    /**
     * The factor ranking multiplies a product's score by: 1 for a product without reviews or whose
     * Bayesian average is at least {@code demoteBelow}, else {@code bayes / demoteBelow} (at least
     * 1/5, as a rating is at least one star).
     */
    public static double rankingFactor(long ratingSum, long ratings, ReviewSettings s) {
        if (ratings <= 0) {
            return 1.0;
        }
        double bayes = bayesianAverage(ratingSum, ratings, s);
        return bayes < s.demoteBelow() ? bayes / s.demoteBelow() : 1.0;
    }
}
