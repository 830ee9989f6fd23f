package io.p13n.jobs.offers.stats;

/**
 * A point estimate with the bounds of its confidence interval (95 % unless the {@link
 * ExperimentStatistics} was made with another level). NaN marks what the data cannot tell yet: an
 * estimate of NaN when there is nothing to estimate from (no customers), bounds of NaN when the
 * estimate exists but its interval does not (e.g. a revenue mean of one customer).
 */
public record Interval(double estimate, double lower, double upper) {
    /** Nothing to estimate from. */
    public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN, Double.NaN);

    /** Whether there is an estimate. */
    public boolean defined() {
        return !Double.isNaN(estimate);
    }

    /** Whether there are bounds. */
    public boolean bounded() {
        return !Double.isNaN(lower) && !Double.isNaN(upper);
    }

    /** Whether the interval lies wholly above {@code value}. */
    public boolean above(double value) {
        return bounded() && lower > value;
    }

    /** Whether the interval lies wholly below {@code value}. */
    public boolean below(double value) {
        return bounded() && upper < value;
    }
}
