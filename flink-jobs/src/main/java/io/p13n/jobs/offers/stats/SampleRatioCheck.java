package io.p13n.jobs.offers.stats;

/**
 * The sample-ratio-mismatch check: are the arms' sizes what the split (control share, variant
 * weights) makes them? A chi-squared goodness-of-fit test of the observed counts against the
 * expected shares.
 *
 * @param chiSquare the statistic; NaN when the check cannot run (fewer than two arms with a known
 *     share, or no customers)
 * @param pValue its p-value; NaN when the check cannot run
 * @param flagged p-value below the threshold (0.001 by default): the split is broken, and every
 *     other number of the experiment is suspect until the cause is found
 */
public record SampleRatioCheck(double chiSquare, double pValue, boolean flagged) {
    public static final SampleRatioCheck NOT_CHECKED =
            new SampleRatioCheck(Double.NaN, Double.NaN, false);

    public boolean checked() {
        return !Double.isNaN(pValue);
    }
}
