package io.p13n.jobs.offers;

import io.p13n.jobs.privacy.Consents;
import io.p13n.jobs.profile.Decimals;
import io.p13n.jobs.profile.OpenCart;
import io.p13n.jobs.state.KeyedStates;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignIssue;
import io.p13n.model.CampaignStatus;
import io.p13n.model.CategoryScore;
import io.p13n.model.ConsentGrant;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.OfferCategoryFact;
import io.p13n.model.OfferCustomerState;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import io.p13n.model.PendingMoment;
import io.p13n.model.PendingMoments;
import io.p13n.model.ProductMoment;
import io.p13n.model.PurchaseAnniversary;
import io.p13n.model.Reward;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import io.p13n.model.Variant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects the moments a campaign can react to and decides which offer, if any, a customer gets;
 * keyed by customer id, with the campaigns broadcast ({@link OfferStateDescriptors#CAMPAIGNS}).
 *
 * <p>Moments come from the difference between a new profile and what this function last saw of the
 * customer ({@link OfferCustomerState}): entering AT_RISK (or churn risk / P(alive) crossing the
 * {@code offers.at-risk.*} thresholds) after having been ACTIVE, LOYAL or HIGH_VALUE; a cart
 * abandoned; CHURNED (win-back); a tier upgrade; a points milestone; and, from orders, an
 * event-time timer {@code offers.seasonal.lead-days} before the first anniversary of the latest
 * purchase in a category; and moments found upstream, as {@link ProductMoment}s (price drop, back
 * in stock) and {@link CustomerMoment}s (low rating, search without order, birthday, signup
 * anniversary). The first profile of a customer sets the baseline and fires nothing.
 *
 * <p>For a moment the ACTIVE campaign with that trigger, a date window containing the moment and a
 * matching audience, with the highest priority (then smallest id), is chosen; a customer without
 * marketing consent for the campaign's channel gets SUPPRESSED_CONSENT (to {@link
 * OfferOutputTags#SUPPRESSED}, counted in the campaign's stats, in neither arm); then the promotion
 * pause after a low rating ({@link PromotionPause}: any trigger but SERVICE_RECOVERY), the
 * frequency cap across campaigns and the campaign's cooldown (decision SUPPRESSED, to {@link
 * OfferOutputTags#SUPPRESSED} only); then the global control group ({@code
 * offers.global-control.*}: HELD_OUT with {@code globalControl}), the campaign's control group
 * (HELD_OUT) or SENT, caps consumed either way, so all arms count the same moments ({@link
 * ControlGroup}). The A/B variant is a stable hash. Output: SENT and HELD_OUT decisions.
 *
 * <p>Late campaigns: the campaigns topic has its own source, which can lag the event topics (a job
 * starting on a backlog, a campaign published just before a burst of events). A moment no campaign
 * matched waits in {@link PendingMoments} for {@code offers.late-campaign-grace} (wall-clock); when
 * a campaign this subtask did not hold arrives ACTIVE, it decides the waiting moments it matches
 * (trigger, date window, audience on the customer's current facts) exactly as if it had been there,
 * caps and control group included. So which moments a campaign applies to does not depend on which
 * source Flink happened to read first. The cost is one pass over the customers that have waiting
 * moments per new campaign received (rare: marketing actions). A paused campaign that resumes, or
 * an existing one whose audience changes, applies from then on only.
 *
 * <p>With {@code offers.backfill} the state evolves exactly as in normal operation (caps included)
 * but nothing is emitted, so history can be replayed without spamming customers, and a moment seen
 * during backfill never fires afterwards.
 *
 * <p>State: one Avro record per customer, every list bounded ({@link OfferSettings}), expiring
 * after {@code offers.state-ttl} without an update; one event-time timer per customer at most (the
 * next seasonal reminder).
 */
public class OfferTriggerFunction
        extends KeyedBroadcastProcessFunction<String, OfferInput, Campaign, OfferDecision> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OfferTriggerFunction.class);
    private static final long DAY = OfferSettings.DAY_MILLIS;

    private final OfferSettings settings;
    private final ControlGroup controlGroup;

    /** {@code reviews.promotion-pause} ({@link PromotionPause}); 0: none. */
    private final long promotionPauseMillis;

    private transient ValueState<OfferCustomerState> state;

    /** Null when {@code offers.late-campaign-grace} is 0. */
    private transient ValueStateDescriptor<PendingMoments> pendingDescriptor;

    private transient ValueState<PendingMoments> pending;
    private transient Counter decidedLate;
    private transient Counter moments;
    private transient Counter unmatched;
    private transient Counter sent;
    private transient Counter heldOut;
    private transient Counter suppressed;
    private transient Counter suppressedForConsent;
    private transient Counter campaignsRejected;

    public OfferTriggerFunction(OfferSettings settings) {
        this(settings, io.p13n.jobs.reviews.ReviewSettings.defaults().promotionPauseMillis());
    }

    /**
     * @param promotionPauseMillis after a SERVICE_RECOVERY moment, other campaigns are suppressed
     *     for this long, in event time ({@code reviews.promotion-pause}; 0: no pause)
     */
    public OfferTriggerFunction(OfferSettings settings, long promotionPauseMillis) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        if (promotionPauseMillis < 0) {
            throw new IllegalArgumentException(
                    "promotionPauseMillis must not be negative, was " + promotionPauseMillis);
        }
        this.promotionPauseMillis = promotionPauseMillis;
        this.settings = settings;
        this.controlGroup = ControlGroup.of(settings);
    }

    /** The per-customer state's descriptor (also for reading it from a savepoint). */
    public static ValueStateDescriptor<OfferCustomerState> customerStateDescriptor(
            OfferSettings settings) {
        ValueStateDescriptor<OfferCustomerState> descriptor =
                new ValueStateDescriptor<>(
                        OfferStateDescriptors.CUSTOMER_STATE,
                        new AvroTypeInfo<>(OfferCustomerState.class));
        // Over a year by default: seasonal reminders need the purchase a year back.
        descriptor.enableTimeToLive(
                KeyedStates.ttl(java.time.Duration.ofMillis(settings.stateTtlMillis())));
        return descriptor;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(customerStateDescriptor(settings));
        if (settings.lateCampaignGraceMillis() > 0 && !settings.backfill()) {
            pendingDescriptor =
                    new ValueStateDescriptor<>(
                            OfferStateDescriptors.PENDING_MOMENTS,
                            new AvroTypeInfo<>(PendingMoments.class));
            // A backstop for customers who never come back; each moment also carries its own
            // deadline.
            pendingDescriptor.enableTimeToLive(
                    KeyedStates.ttl(
                            java.time.Duration.ofMillis(settings.lateCampaignGraceMillis())));
            pending = getRuntimeContext().getState(pendingDescriptor);
        }
        var group = getRuntimeContext().getMetricGroup().addGroup("p13n");
        decidedLate = group.counter("offerMomentsDecidedByLateCampaign");
        moments = group.counter("offerMoments");
        unmatched = group.counter("offerMomentsUnmatched");
        sent = group.counter("offersSent");
        heldOut = group.counter("offersHeldOut");
        suppressed = group.counter("offersSuppressed");
        suppressedForConsent = group.counter("offersSuppressedForConsent");
        campaignsRejected = group.counter("campaignsRejected");
    }

    // ---- campaigns
    // ----------------------------------------------------------------------------------

    @Override
    public void processBroadcastElement(
            Campaign campaign, Context ctx, Collector<OfferDecision> out) throws Exception {
        List<String> problems = Campaigns.problems(campaign);
        if (!problems.isEmpty()) {
            campaignsRejected.inc();
            LOG.warn(
                    "Ignoring invalid campaign {} v{}: {}",
                    campaign.getId(),
                    campaign.getVersion(),
                    problems);
            return;
        }
        BroadcastState<String, Campaign> campaigns =
                ctx.getBroadcastState(OfferStateDescriptors.CAMPAIGNS);
        Campaign held = campaigns.get(campaign.getId());
        if (held != null && campaign.getVersion() < held.getVersion()) {
            return; // an older version (re-read, or out of order): the held one is newer
        }
        if (campaign.getStatus() == CampaignStatus.ENDED) {
            // Forgotten: the topic is keyed by id, so older versions cannot arrive after the end.
            campaigns.remove(campaign.getId());
        } else {
            // A copy: with object reuse the element may be a buffer the source reuses.
            Campaign copy = Campaign.newBuilder(campaign).build();
            campaigns.put(copy.getId(), copy);
            // Only a campaign this subtask did not know: a paused campaign resumed, or one whose
            // audience
            // changed, applies from now on, not to the moments of its pause or of its old audience.
            if (held == null
                    && copy.getStatus() == CampaignStatus.ACTIVE
                    && pendingDescriptor != null) {
                decideWaitingMoments(copy, campaigns, ctx, out);
            }
        }
        LOG.info(
                "Campaign {} v{} {} in force from here on (subtask {})",
                campaign.getId(),
                campaign.getVersion(),
                campaign.getStatus(),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }

    /** Decides, for every customer, the waiting moments that {@code campaign} matches. */
    private void decideWaitingMoments(
            Campaign campaign,
            ReadOnlyBroadcastState<String, Campaign> campaigns,
            Context ctx,
            Collector<OfferDecision> out)
            throws Exception {
        long now = ctx.currentProcessingTime();
        long before = decidedLate.getCount();
        // Flink sets each customer as the current key, so the customer's other state is theirs too.
        ctx.applyToKeyedState(
                pendingDescriptor,
                (customer, waiting) -> {
                    PendingMoments p = waiting.value();
                    OfferCustomerState s = state.value();
                    if (p == null || s == null) {
                        waiting.clear();
                        return;
                    }
                    List<PendingMoment> left = new ArrayList<>(p.getMoments().size());
                    boolean decided = false;
                    for (PendingMoment m : p.getMoments()) {
                        if (m.getPendedAt() + settings.lateCampaignGraceMillis() < now) {
                            continue; // waited long enough
                        }
                        if (CampaignMatcher.matches(
                                campaign, m.getTrigger(), m.getAt(), s, m.getCategory())) {
                            decide(
                                    s,
                                    new Moment(
                                            m.getTrigger(),
                                            m.getAt(),
                                            m.getReason(),
                                            m.getCategory()),
                                    campaigns,
                                    now,
                                    d -> ctx.output(OfferOutputTags.SUPPRESSED, d),
                                    out);
                            decidedLate.inc();
                            decided = true;
                        } else {
                            left.add(m);
                        }
                    }
                    if (decided) {
                        state.update(s);
                    }
                    if (left.isEmpty()) {
                        waiting.clear();
                    } else if (left.size() != p.getMoments().size()) {
                        waiting.update(new PendingMoments(left));
                    }
                });
        long late = decidedLate.getCount() - before;
        if (late > 0) {
            LOG.info(
                    "Campaign {} v{} decided {} moments that came before it (within offers.late-campaign-grace)",
                    campaign.getId(),
                    campaign.getVersion(),
                    late);
        }
    }

    // ---- customers
    // ----------------------------------------------------------------------------------

    @Override
    public void processElement(OfferInput input, ReadOnlyContext ctx, Collector<OfferDecision> out)
            throws Exception {
        OfferCustomerState s = state.value();
        Object payload = input.getPayload();
        if (payload instanceof CustomerProfile erased && erased.getErased()) {
            // Forgotten: caps, cooldowns, anniversaries and waiting moments, with the timer.
            if (s != null && s.getTimer() > 0) {
                ctx.timerService().deleteEventTimeTimer(s.getTimer());
            }
            state.clear();
            if (pending != null) {
                pending.clear();
            }
            return;
        }
        if (s == null) {
            s = OfferCustomerState.newBuilder().setCustomerId(ctx.getCurrentKey()).build();
        }
        List<Moment> found = new ArrayList<>(2);
        boolean firstProfile = false;
        if (payload instanceof CustomerProfile profile) {
            firstProfile = !s.getProfileSeen();
            found = observe(s, profile, settings);
        } else if (payload instanceof OrderEvent order) {
            recordPurchase(s, order, ctx.timerService().currentWatermark(), settings);
            s.setLastEventTime(Math.max(s.getLastEventTime(), order.getEventTime().toEpochMilli()));
        } else if (payload instanceof ProductMoment product) {
            if (!s.getProfileSeen()) {
                // Not a customer this stage knows (or one erased since they watched the product):
                // no facts to match an audience or consent on, so no offer, and no state kept.
                return;
            }
            found.add(productMoment(product));
        } else if (payload instanceof CustomerMoment moment) {
            Moment m =
                    new Moment(
                            moment.getTrigger(),
                            moment.getEventTime(),
                            moment.getReason(),
                            moment.getCategoryId());
            if (!s.getProfileSeen()) {
                // A customer whose first event raised the moment (a review from a new customer):
                // their first profile comes from the same customer stage but on another network
                // channel, so it may arrive just after. The moment waits for it like for a late
                // campaign (offers.late-campaign-grace); no other state is kept meanwhile.
                awaitLateCampaign(m, ctx.currentProcessingTime());
                return;
            }
            found.add(customerMoment(s, m));
        }
        ReadOnlyBroadcastState<String, Campaign> campaigns =
                ctx.getBroadcastState(OfferStateDescriptors.CAMPAIGNS);
        for (Moment m : found) {
            decide(
                    s,
                    m,
                    campaigns,
                    ctx.currentProcessingTime(),
                    d -> ctx.output(OfferOutputTags.SUPPRESSED, d),
                    out);
        }
        if (firstProfile) {
            decideMomentsAwaitingTheProfile(s, campaigns, ctx, out);
        }
        rearm(s, ctx.timerService());
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OfferDecision> out)
            throws Exception {
        OfferCustomerState s = state.value();
        if (s == null || s.getTimer() != timestamp) {
            return; // state expired, or a timer since replaced
        }
        s.setTimer(0);
        ReadOnlyBroadcastState<String, Campaign> campaigns =
                ctx.getBroadcastState(OfferStateDescriptors.CAMPAIGNS);
        for (PurchaseAnniversary a : s.getAnniversaries()) {
            long due = reminderDue(a.getPurchaseDay(), settings.seasonalLeadDays());
            if (a.getFiredDay() != a.getPurchaseDay() && due <= timestamp) {
                a.setFiredDay(a.getPurchaseDay());
                String reason =
                        "buys "
                                + a.getCategoryId()
                                + " around "
                                + LocalDate.ofEpochDay(a.getPurchaseDay()).plusYears(1);
                decide(
                        s,
                        new Moment(TriggerType.SEASONAL_REPURCHASE, due, reason, a.getCategoryId()),
                        campaigns,
                        ctx.currentProcessingTime(),
                        d -> ctx.output(OfferOutputTags.SUPPRESSED, d),
                        out);
            }
        }
        rearm(s, ctx.timerService());
        state.update(s);
    }

    /** The moment of a watched product's price drop or restock; about the product's category. */
    static Moment productMoment(ProductMoment m) {
        String reason =
                m.getTrigger() == TriggerType.PRICE_DROP
                        ? "price of "
                                + m.getProductId()
                                + " dropped from "
                                + Decimals.fixed(m.getPreviousPrice(), 2)
                                + " to "
                                + Decimals.fixed(m.getPrice(), 2)
                        : m.getProductId() + " is back in stock";
        return new Moment(m.getTrigger(), m.getEventTime(), reason, m.getCategoryId());
    }

    /**
     * A moment a campaign can react to. {@code category}: what it is about (seasonal), else null.
     */
    record Moment(TriggerType trigger, long at, String reason, String category) {}

    /**
     * Compares the profile with what was last seen, returns the moments, and copies the facts into
     * the state (scalars and fresh objects only: the profile is the upstream's state instance).
     */
    static List<Moment> observe(OfferCustomerState s, CustomerProfile p, OfferSettings settings) {
        long at = Math.max(p.getScoredAt(), p.getLastEventTime());
        Segment segment = p.getSegment();
        LoyaltyTier tier = p.getTier();
        long milestone = Math.floorDiv(Math.max(0, p.getPoints()), settings.pointsMilestoneStep());
        boolean cartAbandoned = p.getCartAbandonedSignalled();
        boolean atRisk =
                segment == Segment.AT_RISK
                        || (segment != Segment.CHURNED
                                && wasEverBought(p)
                                && (p.getChurnRisk() > settings.atRiskChurnRisk()
                                        || (p.getPAlive() != null
                                                && p.getPAlive() < settings.atRiskPAlive())));
        double cartValue = OpenCart.value(p);
        int cartItems = 0;
        for (var item : p.getCart()) {
            cartItems += item.getQuantity();
        }

        // facts as of this profile (matching uses the new ones)
        Segment beforeSegment = s.getSegment();
        LoyaltyTier beforeTier = s.getTier();
        long beforeMilestone = s.getMilestoneIndex();
        boolean beforeCart = s.getCartAbandoned();
        boolean beforeAtRisk = s.getAtRiskScore();
        boolean wasActive = s.getEverActive();
        boolean baseline = !s.getProfileSeen();

        s.setProfileSeen(true);
        s.setSegment(segment);
        s.setTier(tier);
        // The highest reached: points that dip (a cancellation) and come back do not pass it again.
        s.setMilestoneIndex(Math.max(beforeMilestone, milestone));
        s.setCartAbandoned(cartAbandoned);
        s.setAtRiskScore(atRisk);
        s.setEverActive(
                wasActive
                        || segment == Segment.ACTIVE
                        || segment == Segment.LOYAL
                        || segment == Segment.HIGH_VALUE);
        s.setChurnRisk(p.getChurnRisk());
        s.setPAlive(p.getPAlive());
        s.setPoints(p.getPoints());
        s.setCartValue(cartValue);
        s.setCartItems(cartItems);
        List<OfferCategoryFact> categories =
                new ArrayList<>(Math.min(p.getCategories().size(), OfferSettings.MAX_CATEGORIES));
        for (CategoryScore c : p.getCategories()) {
            if (categories.size() == OfferSettings.MAX_CATEGORIES) {
                break;
            }
            categories.add(new OfferCategoryFact(c.getCategoryId(), c.getScore()));
        }
        s.setCategories(categories);
        List<ConsentGrant> consents = new ArrayList<>(p.getConsents().size());
        for (ConsentGrant g : p.getConsents()) {
            consents.add(ConsentGrant.newBuilder(g).build());
        }
        s.setConsents(consents);
        s.setTimeZone(p.getTimeZone()); // where quiet hours are read; null: the default zone
        s.setLastEventTime(Math.max(s.getLastEventTime(), at));

        List<Moment> moments = new ArrayList<>(2);
        if (baseline) {
            return moments;
        }
        if (atRisk && !beforeAtRisk && wasActive) {
            String why =
                    segment == Segment.AT_RISK && beforeSegment != Segment.AT_RISK
                            ? "became at risk (was " + beforeSegment + ")"
                            : "churn risk "
                                    + Decimals.fixed(p.getChurnRisk(), 2)
                                    + (p.getPAlive() == null
                                            ? ""
                                            : ", P(alive) " + Decimals.fixed(p.getPAlive(), 2));
            moments.add(new Moment(TriggerType.AT_RISK, at, why, null));
        }
        if (cartAbandoned && !beforeCart) {
            moments.add(
                    new Moment(
                            TriggerType.CART_ABANDONED,
                            at,
                            "cart abandoned: "
                                    + cartItems
                                    + (cartItems == 1 ? " item, " : " items, ")
                                    + Decimals.fixed(cartValue, 2),
                            null));
        }
        if (segment == Segment.CHURNED && beforeSegment != Segment.CHURNED) {
            moments.add(
                    new Moment(
                            TriggerType.WIN_BACK, at, "churned (was " + beforeSegment + ")", null));
        }
        if (tier.ordinal() > beforeTier.ordinal() && beforeTier != LoyaltyTier.UNKNOWN) {
            moments.add(
                    new Moment(
                            TriggerType.TIER_UPGRADE,
                            at,
                            "tier up: " + beforeTier + " to " + tier,
                            null));
        }
        if (milestone > beforeMilestone) {
            moments.add(
                    new Moment(
                            TriggerType.POINTS_MILESTONE,
                            at,
                            "passed " + milestone * settings.pointsMilestoneStep() + " points",
                            null));
        }
        return moments;
    }

    private static boolean wasEverBought(CustomerProfile p) {
        return p.getOrders() > 0;
    }

    /** Remembers the latest purchase day per category of a placed order's lines (bounded). */
    static void recordPurchase(
            OfferCustomerState s, OrderEvent order, long watermark, OfferSettings settings) {
        if (order.getStatus() != OrderStatus.PLACED) {
            return; // a cancelled or refunded order's anniversary still marks the season; keep the
            // placed one
        }
        int day = (int) Math.floorDiv(order.getEventTime().toEpochMilli(), DAY);
        List<PurchaseAnniversary> list = new ArrayList<>(s.getAnniversaries());
        for (OrderLine line : order.getLines()) {
            String category = line.getCategoryId();
            if (category == null || category.isEmpty()) {
                continue;
            }
            PurchaseAnniversary existing = null;
            for (PurchaseAnniversary a : list) {
                if (a.getCategoryId().equals(category)) {
                    existing = a;
                    break;
                }
            }
            if (existing != null && existing.getPurchaseDay() >= day) {
                continue; // an older (late) order: the latest purchase sets the season
            }
            list.remove(existing);
            // A reminder whose day already passed (a replayed or very late order) is not sent late.
            int fired = reminderDue(day, settings.seasonalLeadDays()) <= watermark ? day : -1;
            list.add(0, new PurchaseAnniversary(category, day, fired));
        }
        // Bound: drop reminders already sent first, then the oldest purchases.
        while (list.size() > OfferSettings.MAX_ANNIVERSARIES) {
            int victim = list.size() - 1;
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).getFiredDay() == list.get(i).getPurchaseDay()) {
                    victim = i;
                    break;
                }
            }
            list.remove(victim);
        }
        s.setAnniversaries(list);
    }

    /**
     * Event time of the reminder for a purchase on {@code purchaseDay}: a year later, minus the
     * lead.
     */
    public static long reminderDue(int purchaseDay, int leadDays) {
        return LocalDate.ofEpochDay(purchaseDay).plusYears(1).minusDays(leadDays).toEpochDay()
                * DAY;
    }

    /** One timer per customer: the earliest reminder not yet sent. */
    private void rearm(OfferCustomerState s, TimerService timers) {
        long next = Long.MAX_VALUE;
        for (PurchaseAnniversary a : s.getAnniversaries()) {
            if (a.getFiredDay() != a.getPurchaseDay()) {
                next = Math.min(next, reminderDue(a.getPurchaseDay(), settings.seasonalLeadDays()));
            }
        }
        if (next == Long.MAX_VALUE) {
            next = 0;
        }
        if (next != s.getTimer()) {
            if (s.getTimer() > 0) {
                timers.deleteEventTimeTimer(s.getTimer());
            }
            if (next > 0) {
                timers.registerEventTimeTimer(next);
            }
            s.setTimer(next);
        }
    }

    /**
     * Decides one moment against the campaigns held: SENT or HELD_OUT to {@code out}, SUPPRESSED to
     * {@code suppressedOut}; a moment no campaign matches waits for a late one ({@code
     * processingTime} starts its grace).
     */
    private void decide(
            OfferCustomerState s,
            Moment m,
            ReadOnlyBroadcastState<String, Campaign> campaigns,
            long processingTime,
            java.util.function.Consumer<OfferDecision> suppressedOut,
            Collector<OfferDecision> out)
            throws Exception {
        moments.inc();
        Campaign best = null;
        for (Map.Entry<String, Campaign> e : campaigns.immutableEntries()) {
            if (CampaignMatcher.matches(e.getValue(), m.trigger(), m.at(), s, m.category())) {
                best = CampaignMatcher.better(best, e.getValue());
            }
        }
        if (best == null) {
            unmatched.inc();
            awaitLateCampaign(m, processingTime);
            return;
        }
        String customer = s.getCustomerId();
        OfferDecision decision = decision(customer, best, m);
        // Consent first, before the guardrails and the control split: a customer who may not be
        // contacted on the campaign's channel is in neither arm, so the arms stay comparable.
        if (!Consents.marketingAllowed(
                s.getConsents(), best.getChannel(), m.at(), settings.marketingByDefault())) {
            decision.setOutcome(OfferOutcome.SUPPRESSED_CONSENT);
            decision.setReason(
                    "no marketing consent for " + best.getChannel() + "; " + decision.getReason());
            suppressedForConsent.inc();
            if (!settings.backfill()) {
                suppressedOut.accept(decision);
            }
            return;
        }
        // The guardrails apply to control customers too, on their own (virtual) caps: a held-out
        // record
        // then stands for exactly the offer a treated customer would have received, so treated and
        // control arms count the same moments and the lift between them is not skewed.
        String stop = guardrail(s, best, m.at());
        if (stop != null) {
            decision.setOutcome(OfferOutcome.SUPPRESSED);
            decision.setReason(stop + "; " + decision.getReason());
            suppressed.inc();
            if (!settings.backfill()) {
                suppressedOut.accept(decision);
            }
            return;
        }
        consumeCaps(s, best.getId(), m.at());
        // The global control group first (held out of every campaign), then the campaign's own.
        // Each decision records its arm's designed share for the sample-ratio check.
        double global = controlGroup.globalShare();
        if (controlGroup.isGlobalControl(customer, m.at())) {
            decision.setOutcome(OfferOutcome.HELD_OUT);
            decision.setGlobalControl(true);
            decision.setArmShare(global);
            heldOut.inc();
        } else if (controlGroup.isControl(best.getId(), customer)) {
            decision.setOutcome(OfferOutcome.HELD_OUT);
            decision.setArmShare((1 - global) * controlGroup.share());
            heldOut.inc();
        } else {
            decision.setOutcome(OfferOutcome.SENT);
            decision.setArmShare(
                    (1 - global)
                            * (1 - controlGroup.share())
                            * VariantAssignment.weightShare(best, decision.getVariant()));
            sent.inc();
        }
        // When it may reach the customer: after the channel's quiet hours, in their zone. Held-out
        // decisions too, so both arms start (and are attributed) at the same point.
        settings.quietHours().schedule(decision, s.getTimeZone());
        if (!settings.backfill()) {
            out.collect(decision);
        }
    }

    /** A moment of the customer's own: a service recovery also starts the promotion pause. */
    private Moment customerMoment(OfferCustomerState s, Moment m) {
        if (m.trigger() == TriggerType.SERVICE_RECOVERY) {
            // before it is decided: the pause holds whether or not a campaign answers it
            PromotionPause.start(s, m.at(), promotionPauseMillis);
        }
        return m;
    }

    /**
     * The customer's first profile arrived: the customer moments that came before it (see {@link
     * #processElement}) are decided now, within their grace; one still unmatched waits on for a
     * late campaign with its original waiting time.
     */
    private void decideMomentsAwaitingTheProfile(
            OfferCustomerState s,
            ReadOnlyBroadcastState<String, Campaign> campaigns,
            ReadOnlyContext ctx,
            Collector<OfferDecision> out)
            throws Exception {
        if (pending == null) {
            return;
        }
        PendingMoments p = pending.value();
        if (p == null) {
            return;
        }
        pending.clear();
        long now = ctx.currentProcessingTime();
        for (PendingMoment w : p.getMoments()) {
            if (w.getPendedAt() + settings.lateCampaignGraceMillis() < now) {
                continue;
            }
            Moment m = new Moment(w.getTrigger(), w.getAt(), w.getReason(), w.getCategory());
            decide(
                    s,
                    customerMoment(s, m),
                    campaigns,
                    w.getPendedAt(),
                    d -> ctx.output(OfferOutputTags.SUPPRESSED, d),
                    out);
        }
    }

    /** Keeps an unmatched moment for a campaign that may still arrive (bounded, oldest dropped). */
    private void awaitLateCampaign(Moment m, long processingTime) throws java.io.IOException {
        if (pending == null) {
            return;
        }
        PendingMoments p = pending.value();
        List<PendingMoment> list = new ArrayList<>(p == null ? 1 : p.getMoments().size() + 1);
        if (p != null) {
            for (PendingMoment old : p.getMoments()) {
                if (old.getPendedAt() + settings.lateCampaignGraceMillis() >= processingTime) {
                    list.add(old);
                }
            }
        }
        list.add(new PendingMoment(m.trigger(), m.at(), m.reason(), m.category(), processingTime));
        while (list.size() > OfferSettings.MAX_PENDING_MOMENTS) {
            list.remove(0);
        }
        pending.update(new PendingMoments(list));
    }

    /**
     * Why the promotion pause after a service recovery, the frequency cap or the cooldown stops an
     * offer now, or null when none does. The pause first: it is the reason a customer who
     * complained sees.
     */
    String guardrail(OfferCustomerState s, Campaign campaign, long at) {
        String paused = PromotionPause.stops(s, campaign.getTrigger(), at);
        if (paused != null) {
            return paused;
        }
        if (s.getLastCouponAt() > 0 && at - s.getLastCouponAt() < settings.frequencyCapMillis()) {
            return "frequency cap: last coupon "
                    + ((at - s.getLastCouponAt()) / DAY)
                    + " days before";
        }
        long cooldown =
                campaign.getCooldownDays() != null
                        ? campaign.getCooldownDays() * DAY
                        : settings.defaultCooldownMillis();
        for (CampaignIssue issue : s.getCampaignIssues()) {
            if (issue.getCampaignId().equals(campaign.getId())
                    && at - issue.getIssuedAt() < cooldown) {
                return "cooldown: campaign sent "
                        + ((at - issue.getIssuedAt()) / DAY)
                        + " days before";
            }
        }
        return null;
    }

    /** A SENT offer: starts the frequency-cap period and the campaign's cooldown (bounded list). */
    static void consumeCaps(OfferCustomerState s, String campaignId, long at) {
        s.setLastCouponAt(Math.max(s.getLastCouponAt(), at));
        List<CampaignIssue> issues = new ArrayList<>(s.getCampaignIssues().size() + 1);
        issues.add(new CampaignIssue(campaignId, at));
        long horizon = at - Campaigns.MAX_COOLDOWN_DAYS * DAY;
        for (CampaignIssue issue : s.getCampaignIssues()) {
            // no cooldown reaches back further than MAX_COOLDOWN_DAYS: older entries are dead
            // weight
            if (!issue.getCampaignId().equals(campaignId)
                    && issue.getIssuedAt() > horizon
                    && issues.size() < OfferSettings.MAX_CAMPAIGN_COOLDOWNS) {
                issues.add(issue);
            } else if (issue.getCampaignId().equals(campaignId) && issue.getIssuedAt() > at) {
                issues.set(0, issue); // keep the later one
            }
        }
        s.setCampaignIssues(issues);
    }

    /** The decision for this campaign at this moment, outcome not yet set. Deterministic. */
    static OfferDecision decision(String customer, Campaign campaign, Moment m) {
        Variant variant = VariantAssignment.assign(campaign, customer);
        Reward reward = Reward.newBuilder(VariantAssignment.rewardOf(campaign, variant)).build();
        String id = CouponIds.decisionId(customer, campaign.getId(), m.trigger(), m.at());
        return OfferDecision.newBuilder()
                .setDecisionId(id)
                .setCouponCode(CouponIds.couponCode(id))
                .setCustomerId(customer)
                .setCampaignId(campaign.getId())
                .setCampaignVersion(campaign.getVersion())
                .setVariant(VariantAssignment.armName(variant))
                .setOutcome(OfferOutcome.UNKNOWN)
                .setTrigger(m.trigger())
                .setReward(reward)
                .setBudget(io.p13n.model.Budget.newBuilder(campaign.getBudget()).build())
                .setIssuedAt(m.at())
                .setExpiresAt(m.at() + reward.getValidityDays() * DAY)
                .setReason(m.reason())
                .setChannel(campaign.getChannel())
                .build();
    }
}
