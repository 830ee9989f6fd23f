package io.p13n.jobs.offers;

import io.p13n.model.ConsentEvent;
import io.p13n.model.CustomerProfile;
import io.p13n.model.Erasure;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferLedgerInput;
import io.p13n.model.OrderEvent;

/**
 * Wrapping the offer stages' inputs, and their keys (usable as {@code KeySelector}s by method
 * reference).
 */
public final class OfferInputs {
    private OfferInputs() {}

    public static OfferInput of(CustomerProfile profile) {
        return new OfferInput(profile);
    }

    public static OfferInput of(OrderEvent order) {
        return new OfferInput(order);
    }

    public static OfferLedgerInput ledger(OfferDecision decision) {
        return new OfferLedgerInput(decision);
    }

    public static OfferLedgerInput ledger(OrderEvent order) {
        return new OfferLedgerInput(order);
    }

    public static OfferLedgerInput ledger(ConsentEvent consent) {
        return new OfferLedgerInput(consent);
    }

    public static OfferLedgerInput ledger(Erasure erasure) {
        return new OfferLedgerInput(erasure);
    }

    /** Key of {@link OfferTriggerFunction}: the customer. */
    public static String customerId(OfferInput input) {
        Object p = input.getPayload();
        return p instanceof CustomerProfile profile
                ? profile.getCustomerId()
                : ((OrderEvent) p).getCustomerId();
    }

    /** Key of {@link ActiveOffersFunction}: the customer. */
    public static String customerId(OfferLedgerInput input) {
        Object p = input.getPayload();
        if (p instanceof OfferDecision d) {
            return d.getCustomerId();
        }
        if (p instanceof OrderEvent order) {
            return order.getCustomerId();
        }
        if (p instanceof ConsentEvent consent) {
            return consent.getCustomerId();
        }
        return ((Erasure) p).getCustomerId();
    }
}
