package io.p13n.jobs.offers;

import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.OfferDecision;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** Side outputs of the offer functions, shared with the workflow that routes them. */
public final class OfferOutputTags {
    private OfferOutputTags() {}

    /**
     * Decisions stopped before anything was sent or held out, from {@link OfferTriggerFunction}:
     * outcome SUPPRESSED_CONSENT (no marketing consent for the campaign's channel), counted per
     * campaign by {@link CampaignStatsFunction} ({@link OfferInputs#consentSuppressed}); outcome
     * SUPPRESSED (the frequency cap or a campaign cooldown), which nothing downstream needs.
     */
    public static final OutputTag<OfferDecision> SUPPRESSED =
            new OutputTag<>("offer-suppressed", new AvroTypeInfo<>(OfferDecision.class));

    /**
     * SENT decisions over the campaign's budget (outcome OVER_BUDGET), from {@link
     * CampaignBudgetFunction}. The customer's frequency cap and cooldown were already consumed
     * upstream.
     */
    public static final OutputTag<OfferDecision> OVER_BUDGET =
            new OutputTag<>("offer-over-budget", new AvroTypeInfo<>(OfferDecision.class));

    /**
     * Increments of campaign arm totals, from {@link ActiveOffersFunction}, for {@link
     * CampaignStatsFunction}.
     */
    public static final OutputTag<CampaignStatsDelta> STATS_DELTAS =
            new OutputTag<>("campaign-stats-deltas", new AvroTypeInfo<>(CampaignStatsDelta.class));
}
