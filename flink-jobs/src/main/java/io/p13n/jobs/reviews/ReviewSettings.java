package io.p13n.jobs.reviews;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.io.Serializable;
import java.util.Map;

/**
 * What reviews and ratings do, read once from {@code reviews.*} (README, Reviews and ratings) and
 * shipped with the functions as plain values.
 *
 * @param lowRating a rating at or below this (stars) is a SERVICE_RECOVERY moment
 * @param points loyalty points for the first review of a product the customer bought; 0: none
 * @param promotionPauseMillis after a SERVICE_RECOVERY moment, campaigns with any other trigger are
 *     suppressed for this long (event time); 0: no pause
 * @param ratingPriorMean the rating a product is assumed to have before its reviews say otherwise
 * @param ratingPriorWeight how many reviews that assumption counts as
 * @param demoteBelow ranking demotes a product whose Bayesian-average rating is below this
 */
public record ReviewSettings(
        int lowRating,
        long points,
        long promotionPauseMillis,
        double ratingPriorMean,
        double ratingPriorWeight,
        double demoteBelow)
        implements Serializable {

    public ReviewSettings {
        if (lowRating < 1 || lowRating > 4) {
            throw new IllegalArgumentException("low rating must be 1..4 stars, was " + lowRating);
        }
        if (points < 0 || promotionPauseMillis < 0) {
            throw new IllegalArgumentException("points and pause must not be negative");
        }
        if (!(ratingPriorMean >= 1 && ratingPriorMean <= 5)
                || !(demoteBelow >= 1 && demoteBelow <= 5)) {
            throw new IllegalArgumentException("prior mean and demotion bar must be 1..5 stars");
        }
        if (!(ratingPriorWeight >= 0)) {
            throw new IllegalArgumentException(
                    "prior weight must not be negative, was " + ratingPriorWeight);
        }
    }

    public static ReviewSettings from(EngineConfig config) {
        return new ReviewSettings(
                config.get(EngineOptions.REVIEWS_LOW_RATING),
                config.get(EngineOptions.REVIEWS_POINTS),
                config.get(EngineOptions.REVIEWS_PROMOTION_PAUSE).toMillis(),
                config.get(EngineOptions.REVIEWS_RATING_PRIOR_MEAN),
                config.get(EngineOptions.REVIEWS_RATING_PRIOR_WEIGHT),
                config.get(EngineOptions.REVIEWS_DEMOTE_BELOW));
    }

    /** The documented defaults (what an empty configuration gives), for tests. */
    public static ReviewSettings defaults() {
        return from(
                EngineConfig.fromMap(
                        Map.of(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092"),
                        Map.of()));
    }
}
