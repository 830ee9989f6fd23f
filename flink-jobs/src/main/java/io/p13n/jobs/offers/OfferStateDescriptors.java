package io.p13n.jobs.offers;

import io.p13n.model.Campaign;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * State descriptors of the offer functions. Names are stable: renaming one drops that state on
 * restore from a savepoint.
 */
public final class OfferStateDescriptors {
    private OfferStateDescriptors() {}

    /**
     * Broadcast state: the latest version of every non-ENDED campaign, by id. Pass it to {@code
     * campaigns.broadcast(OfferStateDescriptors.CAMPAIGNS)}. Bounded by the number of live
     * campaigns (ended ones are removed). Flink offers no TTL on broadcast state: ending a campaign
     * is how it leaves, and `personalize campaign end` is how an operator does it.
     */
    public static final MapStateDescriptor<String, Campaign> CAMPAIGNS =
            new MapStateDescriptor<>(
                    "offer-campaigns", Types.STRING, new AvroTypeInfo<>(Campaign.class));

    /** Keyed (customer) state of {@link OfferTriggerFunction}. */
    public static final String CUSTOMER_STATE = "offer-customer-state";

    /**
     * Keyed (customer) state of {@link OfferTriggerFunction}: moments waiting for a late campaign.
     */
    public static final String PENDING_MOMENTS = "offer-pending-moments";

    /** Keyed (campaign) state of {@link CampaignBudgetFunction}. */
    public static final String BUDGET_STATE = "offer-campaign-budget";

    /** Keyed (customer) state of {@link QuietHoursHoldFunction}: offers held for quiet hours. */
    public static final String HELD_OFFERS = "offer-held-for-quiet-hours";

    /** Keyed (customer) state of {@link ActiveOffersFunction}. */
    public static final String LEDGER_STATE = "offer-ledger";

    /** Keyed (campaign) state of {@link CampaignStatsFunction}. */
    public static final String STATS_STATE = "offer-campaign-stats";
}
