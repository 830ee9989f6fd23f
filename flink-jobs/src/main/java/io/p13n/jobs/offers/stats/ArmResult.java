package io.p13n.jobs.offers.stats;

/**
 * One arm's rates with their intervals.
 *
 * @param arm the arm's name (a variant, {@code control} or {@code global-control})
 * @param exposed customers (decisions) in the arm: offers sent to a variant, held out of a control
 *     arm
 * @param converted of them, those who ordered within the offer's validity
 * @param conversionRate converted / exposed, Wilson score interval
 * @param redemptionRate redeemed / sent, Wilson score interval; undefined for a control arm (it is
 *     sent nothing)
 * @param revenuePerExposed attributed revenue / exposed, Student-t interval from the per-customer
 *     sum of squares (lower bound not below 0: revenue is never negative)
 */
public record ArmResult(
        String arm,
        long exposed,
        long converted,
        Interval conversionRate,
        Interval redemptionRate,
        Interval revenuePerExposed) {}
