package io.p13n.jobs.offers.stats;

import java.util.List;

/**
 * Everything {@link ExperimentStatistics#report} says about one campaign (or the global control
 * group): every arm's rates, every variant against control, and the sample-ratio check.
 */
public record ExperimentReport(
        List<ArmResult> arms, List<Comparison> comparisons, SampleRatioCheck sampleRatio) {
    public ExperimentReport {
        arms = List.copyOf(arms);
        comparisons = List.copyOf(comparisons);
    }

    /** The arm's result, or null. */
    public ArmResult arm(String name) {
        for (ArmResult a : arms) {
            if (a.arm().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The variant's comparison with control, or null. */
    public Comparison comparison(String variant) {
        for (Comparison c : comparisons) {
            if (c.arm().equals(variant)) {
                return c;
            }
        }
        return null;
    }
}
