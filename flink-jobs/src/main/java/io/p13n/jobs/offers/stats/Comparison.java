package io.p13n.jobs.offers.stats;

/**
 * One variant against control.
 *
 * @param arm the variant
 * @param controlArm the arm it is compared with
 * @param lift relative difference of the conversion rates, variant / control - 1, with its interval
 *     (delta method on the log of the ratio, Katz et al. 1978); undefined while either arm has no
 *     conversion
 * @param revenueDifference revenue per exposed customer, variant minus control, with a normal
 *     (Welch) interval
 * @param alwaysValidPValue the mixture-SPRT p-value of "the conversion rates are equal" (Johari et
 *     al.), valid however often it is looked at; 1 while there is nothing to test
 * @param decision what it supports at the configured confidence
 * @param morePerArm for {@link Decision#NOT_ENOUGH_DATA}: about this many more customers per arm
 *     would give a fixed-horizon test 80 % power at the rates observed now; 0 when that size is
 *     reached already, -1 when the rates observed so far do not differ (or an arm is empty), so no
 *     size follows from them
 * @param verdict the decision as one sentence for people, e.g. "variant B better than control (95
 *     %)"
 */
public record Comparison(
        String arm,
        String controlArm,
        Interval lift,
        Interval revenueDifference,
        double alwaysValidPValue,
        Decision decision,
        long morePerArm,
        String verdict) {}
