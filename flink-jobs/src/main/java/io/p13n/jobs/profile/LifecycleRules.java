package io.p13n.jobs.profile;

import io.p13n.jobs.churn.BgNbdModel;
import io.p13n.jobs.churn.PurchaseRhythm;
import io.p13n.model.CustomerProfile;
import io.p13n.model.Segment;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Puts a customer in exactly one lifecycle segment and scores their churn risk, as of an event
 * time. The rules, first match wins (also in the README, for marketers):
 *
 * <ol>
 *   <li>PROSPECT: no purchase yet.
 *   <li>CHURNED: no activity at all (visit or order) for the churn silence: their typical gap
 *       between purchases × the churn factor; a fixed default for one-time buyers.
 *   <li>AT_RISK: no activity for the at-risk silence (typical gap × at-risk factor, at least the
 *       minimum; a default for one-time buyers), or a repeat buyer's P(alive) below the threshold
 *       (they may still visit, but have stopped buying at their usual rate).
 *   <li>HIGH_VALUE: rolling 12-month net spend at or above the high-value threshold.
 *   <li>LOYAL: at least the loyal number of purchase days.
 *   <li>NEW: first purchase within the new period.
 *   <li>ACTIVE: everyone else who has bought.
 * </ol>
 *
 * Churn risk is {@code max(1 − P(alive), silence ÷ churn silence)}, capped at 1: the BG/NBD model
 * cannot see a one-time buyer drop out (their P(alive) is 1 by construction), the silence term can.
 */
public final class LifecycleRules implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long DAY = PurchaseRhythm.DAY_MILLIS;
    private static final double WEEK = 7.0 * DAY;

    private final ProfileSettings settings;
    private final BgNbdModel model;

    public LifecycleRules(ProfileSettings settings) {
        this.settings = settings;
        this.model = new BgNbdModel(settings.churnModel());
    }

    /** Where a customer stands at {@code now}, and when that can next change without an event. */
    public record Assessment(
            Segment segment,
            List<String> reasons,
            Double pAlive,
            Double expectedPurchases30d,
            double churnRisk,
            long nextDeadline) {}

    public Assessment assess(CustomerProfile p, long now) {
        return assess(p, now, true);
    }

    /**
     * @param rescoreModel recompute P(alive) and the expected purchases; otherwise reuse the values
     *     on the profile. They change with the purchase rhythm and, slowly, with age: recomputing
     *     on purchases and timers (at least every {@code churn.rescore-interval}) is enough, and
     *     keeps the hypergeometric series off the per-click path.
     */
    public Assessment assess(CustomerProfile p, long now, boolean rescoreModel) {
        PurchaseRhythm rhythm = rhythmOf(p);
        List<String> reasons = new ArrayList<>(3);
        if (rhythm.isEmpty()) {
            return new Assessment(Segment.PROSPECT, reasons, null, null, 0.0, Long.MAX_VALUE);
        }
        // Silence counts from the last activity of any kind: a customer who still visits is not
        // gone,
        // whatever their purchases say (P(alive) covers that side).
        long lastActivity = p.getLastEventTime();
        long silence = Math.max(0, now - lastActivity);
        OptionalDouble typicalDays = rhythm.typicalIntervalDays();
        long atRiskAfter =
                typicalDays.isPresent()
                        ? Math.max(
                                settings.atRiskMinMillis(),
                                (long) (settings.atRiskFactor() * typicalDays.getAsDouble() * DAY))
                        : settings.atRiskDefaultMillis();
        long churnAfter =
                typicalDays.isPresent()
                        ? Math.max(
                                atRiskAfter + DAY,
                                (long) (settings.churnFactor() * typicalDays.getAsDouble() * DAY))
                        : settings.churnDefaultMillis();

        boolean reuse =
                !rescoreModel && p.getPAlive() != null && p.getExpectedPurchases30d() != null;
        double pAlive = reuse ? p.getPAlive() : model.probabilityAlive(rhythm, now);
        double expected30d =
                reuse
                        ? p.getExpectedPurchases30d()
                        : model.expectedPurchases(30 * DAY / WEEK, rhythm, now);
        double churnRisk = Math.min(1.0, Math.max(1.0 - pAlive, (double) silence / churnAfter));
        boolean repeatBuyer = rhythm.frequency() >= 1;
        double rollingSpend = Loyalty.rollingSpend(p, now);

        long silenceDays = silence / DAY;
        if (typicalDays.isPresent()) {
            reasons.add(
                    "no visit in "
                            + silenceDays
                            + " days, usually buys every "
                            + Decimals.fixed(typicalDays.getAsDouble(), 0));
        } else {
            reasons.add("no visit in " + silenceDays + " days, one purchase so far");
        }
        reasons.add("P(alive) " + Decimals.fixed(pAlive, 2));
        if (p.getCartAbandonedSignalled() && !p.getCart().isEmpty()) {
            reasons.add(cartAbandonedReason(p));
        }

        Segment segment;
        if (silence >= churnAfter) {
            segment = Segment.CHURNED;
        } else if (silence >= atRiskAfter || (repeatBuyer && pAlive < settings.pAliveAtRisk())) {
            segment = Segment.AT_RISK;
        } else if (rollingSpend >= settings.highValueSpend()) {
            segment = Segment.HIGH_VALUE;
        } else if (p.getPurchaseDays() >= settings.loyalMinPurchases()) {
            segment = Segment.LOYAL;
        } else if (now - p.getFirstOrderTime() < settings.newPeriodMillis()) {
            segment = Segment.NEW;
        } else {
            segment = Segment.ACTIVE;
        }

        // The next moment anything can change with no event: a deadline, or a periodic re-score
        // (P(alive) and the rolling spend move continuously). A churned customer needs only the
        // moment
        // their last spend leaves the 12-month window (their tier drops); after that, no timer.
        long next = Long.MAX_VALUE;
        if (segment != Segment.CHURNED) {
            next = earliestAfter(now, next, lastActivity + atRiskAfter);
            next = earliestAfter(now, next, lastActivity + churnAfter);
            next = earliestAfter(now, next, p.getFirstOrderTime() + settings.newPeriodMillis());
            next = earliestAfter(now, next, now + settings.rescoreIntervalMillis());
        } else if (rollingSpend > 0) {
            next = earliestAfter(now, next, Loyalty.endOfRollingYear(p.getLastOrderTime()));
        }
        return new Assessment(segment, reasons, pAlive, expected30d, churnRisk, next);
    }

    /** "cart abandoned: 2 items worth 59.90" */
    public static String cartAbandonedReason(CustomerProfile p) {
        return "cart abandoned: "
                + p.getCart().size()
                + " items worth "
                + Decimals.fixed(OpenCart.value(p), 2);
    }

    public static PurchaseRhythm rhythmOf(CustomerProfile p) {
        return PurchaseRhythm.of(
                p.getFirstPurchaseDay(),
                p.getLastPurchaseDay(),
                p.getPurchaseDays(),
                p.getRecentPurchaseDays());
    }

    private static long earliestAfter(long now, long current, long candidate) {
        return candidate > now && candidate < current ? candidate : current;
    }
}
