package io.p13n.jobs.testing;

import io.p13n.jobs.WorkflowSettings;
import io.p13n.jobs.WorkflowSinks;
import io.p13n.jobs.catalog.CatalogSettings;
import io.p13n.jobs.privacy.ErasureSettings;
import io.p13n.jobs.profile.ProfileSettings;
import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.ActiveOffers;
import io.p13n.model.CampaignStats;
import io.p13n.model.ChurnSignal;
import io.p13n.model.CustomerProfile;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.DeadLetter;
import io.p13n.model.OfferDecision;
import io.p13n.model.RecentDecision;
import io.p13n.model.SegmentChange;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.time.Duration;

/** One collecting sink per workflow output, and the default workflow settings, for tests. */
public final class CollectedOutputs {
    public final CollectingSink<CustomerProfile> profiles = new CollectingSink<>();
    public final CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
    public final CollectingSink<SegmentChange> segmentChanges = new CollectingSink<>();
    public final CollectingSink<ChurnSignal> churnSignals = new CollectingSink<>();
    public final CollectingSink<SimilarItems> similarItems = new CollectingSink<>();
    public final CollectingSink<TrendingItems> trending = new CollectingSink<>();
    public final CollectingSink<CustomerRecommendations> recommendations = new CollectingSink<>();
    public final CollectingSink<ActiveOffers> activeOffers = new CollectingSink<>();
    public final CollectingSink<OfferDecision> offerTriggers = new CollectingSink<>();
    public final CollectingSink<CampaignStats> campaignStats = new CollectingSink<>();
    public final CollectingSink<CampaignStats> campaignStatsHistory = new CollectingSink<>();
    public final CollectingSink<SegmentChange> segmentHistory = new CollectingSink<>();
    public final CollectingSink<RecentDecision> recentDecisions = new CollectingSink<>();

    public WorkflowSinks sinks() {
        return new WorkflowSinks(
                profiles,
                deadLetters,
                segmentChanges,
                churnSignals,
                similarItems,
                trending,
                recommendations,
                new CollectedServingLists(similarItems, trending),
                activeOffers,
                offerTriggers,
                campaignStats,
                campaignStatsHistory,
                segmentHistory,
                recentDecisions);
    }

    /** The documented defaults, as an empty configuration gives them. */
    public static WorkflowSettings defaultSettings() {
        return new WorkflowSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                32,
                Duration.ofDays(1),
                Duration.ofDays(400),
                new StateCaches.Settings(4096, StateCaches.MAX_AGE),
                ProfileSettings.defaults(),
                RecommendationSettings.defaults(),
                TestOffers.settings(),
                ErasureSettings.defaults(),
                CatalogSettings.defaults());
    }
}
