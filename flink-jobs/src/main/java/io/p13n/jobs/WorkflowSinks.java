package io.p13n.jobs;

import io.p13n.jobs.recommend.ServingLists;
import io.p13n.model.ActiveOffers;
import io.p13n.model.CampaignStats;
import io.p13n.model.ChurnSignal;
import io.p13n.model.CustomerProfile;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.DeadLetter;
import io.p13n.model.OfferDecision;
import io.p13n.model.ProductRating;
import io.p13n.model.RecentDecision;
import io.p13n.model.SegmentChange;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the workflow's outputs go: real Redis and Kafka sinks in production, collecting ones in
 * tests. {@code servingLists} is where the ranking stage reads the similar-items and trending lists
 * back, so it must see what {@code similarItems} and {@code trending} wrote. {@code activeOffers}
 * and {@code offerTriggers} must only publish what a completed checkpoint covers (a checkpoint-
 * committed Redis sink, an exactly-once Kafka sink), or a restart could show a customer a coupon
 * the restarted job does not issue again. {@code campaignStats} and {@code campaignStatsHistory}
 * get the same stream (the latest totals and the hourly snapshots). {@code segmentHistory} gets the
 * same stream as {@code segmentChanges} (tombstones included: they delete the history), and {@code
 * recentDecisions} every decision of every outcome, keyed by customer, with an erased entry per
 * erasure or merge; both are display lists, at least once. {@code productRatings} gets every change
 * of a product's rating (README, Reviews and ratings); null: not published (ranking then finds no
 * ratings and ranks as without reviews).
 */
public record WorkflowSinks(
        Sink<CustomerProfile> profiles,
        Sink<DeadLetter> deadLetters,
        Sink<SegmentChange> segmentChanges,
        Sink<ChurnSignal> churnSignals,
        Sink<SimilarItems> similarItems,
        Sink<TrendingItems> trending,
        Sink<CustomerRecommendations> recommendations,
        ServingLists servingLists,
        Sink<ActiveOffers> activeOffers,
        Sink<OfferDecision> offerTriggers,
        Sink<CampaignStats> campaignStats,
        Sink<CampaignStats> campaignStatsHistory,
        Sink<SegmentChange> segmentHistory,
        Sink<RecentDecision> recentDecisions,
        Sink<ProductRating> productRatings) {

    /** Without a product-ratings sink: ratings are kept but not published. */
    public WorkflowSinks(
            Sink<CustomerProfile> profiles,
            Sink<DeadLetter> deadLetters,
            Sink<SegmentChange> segmentChanges,
            Sink<ChurnSignal> churnSignals,
            Sink<SimilarItems> similarItems,
            Sink<TrendingItems> trending,
            Sink<CustomerRecommendations> recommendations,
            ServingLists servingLists,
            Sink<ActiveOffers> activeOffers,
            Sink<OfferDecision> offerTriggers,
            Sink<CampaignStats> campaignStats,
            Sink<CampaignStats> campaignStatsHistory,
            Sink<SegmentChange> segmentHistory,
            Sink<RecentDecision> recentDecisions) {
        this(
                profiles,
                deadLetters,
                segmentChanges,
                churnSignals,
                similarItems,
                trending,
                recommendations,
                servingLists,
                activeOffers,
                offerTriggers,
                campaignStats,
                campaignStatsHistory,
                segmentHistory,
                recentDecisions,
                null);
    }
}
