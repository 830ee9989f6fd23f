package io.p13n.jobs;

/**
 * Operator uids. Savepoint state is matched to operators by these strings: never change one of a
 * stateful operator, or that state is lost on upgrade (Flink refuses the savepoint unless
 * --allowNonRestoredState).
 */
public final class Uids {
    private Uids() {}

    public static final String CLICKS_SOURCE = "clicks-kafka-source";
    public static final String ORDERS_SOURCE = "orders-kafka-source";
    public static final String CONSENTS_SOURCE = "consents-kafka-source";
    public static final String ERASURES_SOURCE = "erasures-kafka-source";
    public static final String ROUTE_DEAD_LETTERS = "route-dead-letters";
    public static final String IDENTITIES_SOURCE = "identities-kafka-source";
    public static final String CHECK_IDENTIFICATIONS = "check-identifications";
    public static final String IDENTITY_HAND_OFF_SOURCE = "identity-hand-offs-kafka-source";
    public static final String IDENTITY_HAND_OFF_SINK = "kafka-identity-hand-off-wal-sink";
    public static final String CUSTOMER_PROFILE = "customer-profile";
    public static final String PROFILE_SINK = "redis-profile-sink";
    public static final String DEAD_LETTER_SINK = "kafka-dead-letter-sink";
    public static final String SEGMENT_CHANGE_SINK = "kafka-segment-change-sink";
    public static final String CHURN_SIGNAL_SINK = "kafka-churn-signal-sink";
    public static final String ITEM_VIEWS = "item-views";
    public static final String ITEM_TRANSITIONS = "item-transitions";
    public static final String SIMILAR_ITEMS = "similar-items";
    public static final String CATEGORY_TRENDING = "category-trending";
    public static final String OVERALL_TRENDING = "overall-trending";
    public static final String RECOMMENDATION_REQUESTS = "recommendation-requests";
    public static final String RANK_RECOMMENDATIONS = "rank-recommendations";
    public static final String SIMILAR_ITEMS_SINK = "redis-similar-items-sink";
    public static final String TRENDING_SINK = "redis-trending-sink";
    public static final String RECOMMENDATIONS_SINK = "redis-recommendations-sink";
    public static final String CAMPAIGNS_SOURCE = "campaigns-kafka-source";
    public static final String OFFER_INPUTS = "offer-inputs";
    public static final String OFFER_TRIGGERS = "offer-triggers";
    public static final String CAMPAIGN_BUDGETS = "campaign-budgets";
    public static final String QUIET_HOURS = "offer-quiet-hours-hold";
    public static final String ACTIVE_OFFERS = "active-offers";
    public static final String CAMPAIGN_STATS = "campaign-stats";
    public static final String CONSENT_SUPPRESSED_STATS = "campaign-stats-consent-suppressed";
    public static final String OFFER_TRIGGER_SINK = "kafka-offer-trigger-wal-sink";
    public static final String ACTIVE_OFFERS_SINK = "redis-active-offers-sink";
    public static final String CAMPAIGN_STATS_SINK = "redis-campaign-stats-sink";
    public static final String CATALOG_SOURCE = "catalog-kafka-source";
    public static final String REVIEWS_SOURCE = "reviews-kafka-source";
    public static final String CUSTOMER_ATTRIBUTES_SOURCE = "customer-attributes-kafka-source";
    public static final String CUSTOMER_MOMENTS = "customer-moments";
    public static final String CATALOG_ROUTE = "catalog-route";
    public static final String CATALOG_DEAD_LETTER_SINK = "kafka-catalog-dead-letter-sink";
    public static final String CATALOG_INTERESTS = "catalog-interests";
    public static final String CATALOG_WATCHERS = "catalog-watchers";
    public static final String CATALOG_ERASURES = "catalog-erasures";
    public static final String PRODUCT_RATINGS_SINK = "redis-product-ratings-sink";
    public static final String SIMILAR_ITEMS_AVAILABLE = "similar-items-available";
    public static final String TRENDING_AVAILABLE = "trending-available";
    public static final String RECOMMENDATIONS_AVAILABLE = "recommendations-available";
    public static final String PRODUCT_MOMENTS = "offer-inputs-product-moments";
    public static final String GLOBAL_CONTROL_STATS = "campaign-stats-global-control";
    public static final String CAMPAIGN_STATS_HISTORY_SINK = "redis-campaign-stats-history-sink";
    public static final String SEGMENT_HISTORY_SINK = "redis-segment-history-sink";
    public static final String RECENT_DECISIONS = "recent-decisions";
    public static final String RECENT_DECISIONS_SINK = "redis-recent-decisions-sink";
}
