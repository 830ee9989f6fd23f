package io.p13n.jobs.offers.stats;

/**
 * What the sequential test of one variant against control supports so far ({@link
 * ExperimentStatistics#compare}).
 */
public enum Decision {
    /** The variant converts better than control: always-valid p-value below 1 - confidence. */
    BETTER,
    /** The variant converts worse than control, with the same evidence. */
    WORSE,
    /** Neither yet; {@link Comparison#morePerArm()} says roughly how many more customers. */
    NOT_ENOUGH_DATA
}
