package io.p13n.jobs.offers;

import io.p13n.model.OfferCustomerState;
import io.p13n.model.TriggerType;

/**
 * After a SERVICE_RECOVERY moment (a low rating), promotions are kept away from the customer for
 * {@code reviews.promotion-pause}: a moment of any other trigger until then is SUPPRESSED, while
 * service-recovery campaigns still fire. A customer who just complained hears from the store about
 * the complaint, not a sale.
 *
 * <p><b>Event time</b>: the pause runs from the low rating's event time, and a moment is inside it
 * when its own event time is. So the decisions do not depend on when the job processes the events:
 * a replay after a failure, a backfill, or a job catching up on a backlog of days decides every
 * moment as the live job did (processing time would shrink a two-week pause to the minutes a
 * backlog takes to read), and a restored savepoint keeps the pause exactly.
 */
public final class PromotionPause {
    private PromotionPause() {}

    /**
     * A SERVICE_RECOVERY moment at {@code at}: the pause runs until {@code at + pause} at least.
     */
    public static void start(OfferCustomerState s, long at, long pauseMillis) {
        if (pauseMillis > 0) {
            s.setPromotionsPausedUntil(Math.max(s.getPromotionsPausedUntil(), at + pauseMillis));
        }
    }

    /**
     * Why a campaign with {@code trigger} may not act on a moment at {@code at}, or null when the
     * pause does not stop it.
     */
    public static String stops(OfferCustomerState s, TriggerType trigger, long at) {
        long until = s.getPromotionsPausedUntil();
        if (trigger == TriggerType.SERVICE_RECOVERY || at >= until) {
            return null;
        }
        return "promotions paused after a service recovery, until "
                + java.time.Instant.ofEpochMilli(until);
    }
}
