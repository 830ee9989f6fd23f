package io.p13n.jobs.offers;

import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.ConsentEvent;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.Erasure;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferLedgerInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.OrderEvent;
import io.p13n.model.ProductMoment;
import org.apache.flink.util.Collector;

/**
 * Wrapping the offer stages' inputs (and the stats stage's consent-suppressed deltas), and their
 * keys (usable as {@code KeySelector}s by method reference).
 */
public final class OfferInputs {
    private OfferInputs() {}

    public static OfferInput of(CustomerProfile profile) {
        return new OfferInput(profile);
    }

    public static OfferInput of(OrderEvent order) {
        return new OfferInput(order);
    }

    public static OfferInput of(ProductMoment moment) {
        return new OfferInput(moment);
    }

    public static OfferInput of(CustomerMoment moment) {
        return new OfferInput(moment);
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

    /**
     * The stats stage's campaign-level input from {@link OfferTriggerFunction}'s {@link
     * OfferOutputTags#SUPPRESSED} side output (a flatMap): a SUPPRESSED_CONSENT decision counts
     * once in its campaign's {@code suppressedForConsent}, with no arm (the customer is in
     * neither); a decision the frequency cap or a cooldown stopped (SUPPRESSED) counts nowhere.
     */
    public static void consentSuppressed(
            OfferDecision decision, Collector<CampaignStatsDelta> out) {
        if (decision.getOutcome() == OfferOutcome.SUPPRESSED_CONSENT) {
            out.collect(
                    CampaignStatsDelta.newBuilder()
                            .setCampaignId(decision.getCampaignId())
                            .setArm(null)
                            .setEventTime(decision.getIssuedAt())
                            .setSuppressedForConsent(1L)
                            .build());
        }
    }

    /** Key of {@link OfferTriggerFunction}: the customer. */
    public static String customerId(OfferInput input) {
        Object p = input.getPayload();
        if (p instanceof CustomerProfile profile) {
            return profile.getCustomerId();
        }
        if (p instanceof ProductMoment moment) {
            return moment.getCustomerId();
        }
        if (p instanceof CustomerMoment moment) {
            return moment.getCustomerId();
        }
        return ((OrderEvent) p).getCustomerId();
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
