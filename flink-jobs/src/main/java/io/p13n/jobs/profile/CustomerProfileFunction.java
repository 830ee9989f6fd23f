package io.p13n.jobs.profile;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.churn.PurchaseRhythm;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.jobs.privacy.Consents;
import io.p13n.jobs.privacy.Erasures;
import io.p13n.jobs.privacy.Unprofiled;
import io.p13n.jobs.profile.ActivityWindows.Metric;
import io.p13n.jobs.reviews.ReviewSettings;
import io.p13n.jobs.state.KeyedStates;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.ChurnSignal;
import io.p13n.model.ChurnSignalType;
import io.p13n.model.ClickEvent;
import io.p13n.model.ConsentEvent;
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.Erasure;
import io.p13n.model.ErasureProgress;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.IdentityHandOff;
import io.p13n.model.MergedIdentity;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.ReviewEvent;
import io.p13n.model.Segment;
import io.p13n.model.SegmentChange;
import io.p13n.serde.EventValidator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops duplicate events, keeps each customer's profile and emits it, updated, on every event and
 * whenever it changes with time; keyed by customer id. Every event that is not a duplicate also
 * goes to {@link OutputTags#UNIQUE_EVENTS}, for the stages downstream.
 *
 * <p><b>Duplicates</b> (producers that retry resend the same event): the last {@code
 * dedupWindowSize} event identities are remembered, as hashes, in the profile itself ({@link
 * RecentEventHashes}), for {@code dedupTtl} after the customer's last event. A separate
 * de-duplication operator cost a second state read and write per event, about a tenth of all CPU on
 * RocksDB (native profile, issue 13). Segment changes go to {@link OutputTags#SEGMENT_CHANGES},
 * churn signals (at-risk, churned, reactivated, cart abandoned) to {@link
 * OutputTags#CHURN_SIGNALS}.
 *
 * <p>State is one Avro record per customer whose every list is bounded (see {@link
 * ProfileSettings}), expired after {@code customerTtl} without an update. Counts, sums and min/max
 * times are the same in any arrival order, so late events (behind the watermark) are still applied,
 * and counted.
 *
 * <p>Time-driven changes (at-risk, churned, new → active, cart abandonment, a quiet customer's
 * falling P(alive)) come from one event-time timer per customer, set to the next deadline and
 * replaced when an event moves it: no scans over customers, and at most one pending timer each.
 * Churned customers and prospects with an empty cart hold none, unless a birthday or signup
 * anniversary of theirs is due within {@code customerTtl} ({@link CustomerDates}).
 *
 * <p><b>Identity merge</b> (README, Identity merge): an {@link IdentifyEvent}, keyed by the id
 * merged away, turns that id's profile into a forwarding record ({@code mergedInto}: the id it now
 * belongs to) and sends the profile, as an {@link IdentityHandOff}, to {@link
 * OutputTags#IDENTITY_HAND_OFFS}; the workflow writes that to a Kafka topic on each checkpoint and
 * reads it back into this stage, keyed by the receiving id, which folds it in ({@link
 * ProfileMerge}) once per identification ({@code mergedIdentities}, capped). Later events of the
 * merged-away id take the same way. A keyed function cannot reach another key's state, and Flink 2
 * has no iterations: the topic is the second hop.
 */
public class CustomerProfileFunction
        extends KeyedProcessFunction<String, CustomerEvent, CustomerProfile>
        implements StateCaches.User {
    private static final long serialVersionUID = 1L;

    private transient StateCaches caches;

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    /** State name: stable, renaming it drops every profile on restore from a savepoint. */
    public static final String PROFILE = "customer-profile";

    /** State name of an erasure in progress (while its copies arrive). */
    public static final String ERASING = "erasure-progress";

    /**
     * How long the stage waits for an erasure's last copy before it forgets the wait: a copy goes
     * missing only when the entrance stage was rescaled in between. Until then the customer's
     * events are dropped here too; after it, the entrance stage's suppression list alone drops
     * them.
     */
    static final Duration ERASURE_WAIT = Duration.ofMinutes(10);

    private static final long DAY = PurchaseRhythm.DAY_MILLIS;

    private final Duration customerTtl;
    private final int dedupWindowSize;
    private final long dedupTtlMillis;
    private final ProfileSettings settings;
    private final LifecycleRules rules;
    private final ReviewSettings reviews;

    private transient ValueState<CustomerProfile> profileState;
    private transient Counter lateEvents;
    private transient Counter duplicates;
    private transient Counter timersFired;
    private transient Counter unprofiledClicks;
    private transient ValueState<ErasureProgress> erasing;
    private transient Counter erasures;
    private transient Counter erasedEventsDropped;
    private transient Counter merges;
    private transient Counter handOffsSent;
    private transient Counter handOffsRepeated;
    private transient Counter mergesRefusedAtCap;
    private transient Counter handOffsReturned;
    private transient Counter handOffsDropped;
    private transient Counter eventsRerouted;
    private transient Counter identificationsRepeated;

    /**
     * At most this many ids merged into one customer within {@code customerTtl}
     * (identity.max-anonymous-ids): also the bound of the profile's list of merged ids.
     */
    private final int maxMergedIds;

    /** Default of identity.max-anonymous-ids, for the constructor without it. */
    public static final int DEFAULT_MAX_MERGED_IDS = 20;

    /**
     * A forwarding record is rewritten (its TTL renewed) when an event of the id it forwards is
     * this much newer than the last renewal: a merged-away id that stays in use keeps forwarding,
     * at one state write a day.
     */
    static final long FORWARD_RENEWAL_MILLIS = PurchaseRhythm.DAY_MILLIS;

    public CustomerProfileFunction(
            Duration customerTtl,
            int dedupWindowSize,
            Duration dedupTtl,
            ProfileSettings settings) {
        this(customerTtl, dedupWindowSize, dedupTtl, settings, DEFAULT_MAX_MERGED_IDS);
    }

    /**
     * @param maxMergedIds identity.max-anonymous-ids: past it a merge is refused and the profile
     *     goes back to its id
     */
    public CustomerProfileFunction(
            Duration customerTtl,
            int dedupWindowSize,
            Duration dedupTtl,
            ProfileSettings settings,
            int maxMergedIds) {
        this(
                customerTtl,
                dedupWindowSize,
                dedupTtl,
                settings,
                maxMergedIds,
                ReviewSettings.defaults());
    }

    /**
     * @param reviews what a review does (README, Reviews and ratings)
     */
    public CustomerProfileFunction(
            Duration customerTtl,
            int dedupWindowSize,
            Duration dedupTtl,
            ProfileSettings settings,
            int maxMergedIds,
            ReviewSettings reviews) {
        if (reviews == null) {
            throw new IllegalArgumentException("reviews must not be null");
        }
        this.reviews = reviews;
        if (maxMergedIds < 1) {
            throw new IllegalArgumentException("maxMergedIds must be >= 1, was " + maxMergedIds);
        }
        this.maxMergedIds = maxMergedIds;
        if (customerTtl == null || customerTtl.isNegative() || customerTtl.isZero()) {
            throw new IllegalArgumentException("customerTtl must be positive, was " + customerTtl);
        }
        if (dedupWindowSize < 1) {
            throw new IllegalArgumentException(
                    "dedupWindowSize must be >= 1, was " + dedupWindowSize);
        }
        if (dedupTtl == null || dedupTtl.isNegative() || dedupTtl.isZero()) {
            throw new IllegalArgumentException("dedupTtl must be positive, was " + dedupTtl);
        }
        this.customerTtl = customerTtl;
        this.dedupWindowSize = dedupWindowSize;
        this.dedupTtlMillis = dedupTtl.toMillis();
        this.settings = settings;
        this.rules = new LifecycleRules(settings);
    }

    /** The profile state's descriptor (also for reading it from a savepoint). */
    public static ValueStateDescriptor<CustomerProfile> profileDescriptor(Duration customerTtl) {
        return KeyedStates.descriptor(
                PROFILE, new AvroTypeInfo<>(CustomerProfile.class), customerTtl);
    }

    @Override
    public void open(OpenContext openContext) {
        profileState =
                StateCaches.orNone(caches)
                        .cache(
                                PROFILE,
                                getRuntimeContext().getState(profileDescriptor(customerTtl)));
        // Not cached: read only for customers without a profile, and gone within milliseconds.
        erasing =
                getRuntimeContext()
                        .getState(
                                KeyedStates.descriptor(
                                        ERASING,
                                        new AvroTypeInfo<>(ErasureProgress.class),
                                        ERASURE_WAIT.multipliedBy(2)));
        erasures = getRuntimeContext().getMetricGroup().addGroup("p13n").counter("erasures");
        erasedEventsDropped =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("p13n")
                        .counter("eventsOfErasedCustomersDropped");
        lateEvents = getRuntimeContext().getMetricGroup().addGroup("p13n").counter("lateEvents");
        duplicates =
                getRuntimeContext().getMetricGroup().addGroup("p13n").counter("duplicateEvents");
        unprofiledClicks =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("p13n")
                        .counter("clicksWithoutPersonalizationConsent");
        timersFired =
                getRuntimeContext().getMetricGroup().addGroup("p13n").counter("profileTimersFired");
        var identity = getRuntimeContext().getMetricGroup().addGroup("p13n").addGroup("identity");
        merges = identity.counter("merges");
        handOffsSent = identity.counter("handOffsSent");
        handOffsRepeated = identity.counter("handOffsRepeated");
        mergesRefusedAtCap =
                identity.addGroup("reason", "MAX_ANONYMOUS_IDS").counter("identificationsRefused");
        handOffsReturned = identity.counter("handOffsReturned");
        handOffsDropped = identity.counter("handOffsDropped");
        eventsRerouted = identity.counter("eventsRerouted");
        identificationsRepeated = identity.counter("identificationsRepeated");
    }

    @Override
    public void processElement(CustomerEvent event, Context ctx, Collector<CustomerProfile> out)
            throws Exception {
        if (event.getPayload() instanceof Erasure erasure) {
            erase(erasure, event, ctx, out);
            return;
        }
        if (event.getPayload() instanceof IdentifyEvent identify) {
            identify(identify, ctx, out);
            return;
        }
        if (event.getPayload() instanceof IdentityHandOff handOff) {
            receive(handOff, ctx, out);
            return;
        }
        CustomerProfile profile = profileState.value();
        if (profile != null && profile.getMergedInto() != null) {
            forward(profile, event, ctx);
            return;
        }
        boolean fresh = profile == null;
        if (fresh) {
            if (erasing.value() != null) {
                erasedEventsDropped.inc(); // erased: its other copies are still on their way
                return;
            }
            profile = CustomerProfile.newBuilder().setCustomerId(ctx.getCurrentKey()).build();
        }
        java.nio.ByteBuffer window =
                RecentEventHashes.record(
                        profile.getRecentEventHashes(),
                        RecentEventHashes.hash(CustomerEvents.deduplicationKey(event)),
                        dedupWindowSize,
                        ctx.timerService().currentProcessingTime(),
                        dedupTtlMillis);
        if (window == null) {
            duplicates.inc();
            return; // seen: no state change, nothing emitted
        }
        profile.setRecentEventHashes(window);
        Object payload = event.getPayload();
        long eventTime = CustomerEvents.eventTimeMillis(event);
        long watermark = ctx.timerService().currentWatermark();
        if (eventTime < watermark) {
            lateEvents.inc();
        }
        long offerFactsBefore = offerFacts(profile);
        if (payload instanceof CustomerAttributesEvent attributes) {
            // Stated by the customer, not observed: kept whatever their consent to profiling (the
            // dates and zone their offers respect), and not activity (first and last seen stay).
            applyAttributes(profile, attributes);
            long now = Math.max(Math.max(profile.getLastEventTime(), watermark), eventTime);
            // A birthday whose local day is already over waits for next year (CustomerDates).
            settings.dates().restated(profile, eventTime, now);
            if (profiling(profile, now)) {
                evaluate(profile, now, false, ctx.timerService(), ctx);
            } else {
                profile = Unprofiled.of(profile);
            }
            publish(profile, fresh, offerFactsBefore, ctx, out);
            return;
        }
        if (payload instanceof ConsentEvent consent) {
            // On to the ledger (a marketing withdrawal takes offers down) and the session trail.
            ctx.output(OutputTags.UNIQUE_EVENTS, event);
            profile.setConsents(Consents.record(profile.getConsents(), consent));
            long now = Math.max(Math.max(profile.getLastEventTime(), watermark), eventTime);
            if (!profiling(profile, now)) {
                profile = Unprofiled.of(profile);
            }
            publish(profile, fresh, offerFactsBefore, ctx, out);
            return;
        }
        long now = Math.max(Math.max(profile.getLastEventTime(), watermark), eventTime);
        if (!profiling(profile, now)) {
            if (payload instanceof ClickEvent) {
                // No consent to profile: the click is not recorded, not even for the item models.
                unprofiledClicks.inc();
                profileState.update(profile); // the de-duplication window moved
                return;
            }
            // An order still earns points (the loyalty programme is owed), nothing else is kept.
            ctx.output(OutputTags.UNIQUE_EVENTS, event);
            apply(profile, payload, eventTime, settings);
            CustomerMoment complaint = null;
            if (payload instanceof ReviewEvent review) {
                // The complaint is answered all the same (marketing consent still decides whether
                // an offer may follow); no points: the purchases they would be checked against are
                // not kept.
                complaint = review(profile, review);
            }
            profile = Unprofiled.of(profile);
            profile.setTier(
                    Loyalty.tier(
                            Loyalty.rollingSpend(profile, profile.getLastEventTime()), settings));
            publish(profile, fresh, offerFactsBefore, ctx, out);
            emit(complaint, ctx);
            return;
        }
        ctx.output(OutputTags.UNIQUE_EVENTS, event);
        apply(profile, payload, eventTime, settings);
        CustomerMoment complaint =
                payload instanceof ReviewEvent review ? review(profile, review) : null;
        // "Now" for this customer: their newest event, or the job's event-time clock if ahead.
        now = Math.max(profile.getLastEventTime(), watermark);
        // The churn model's inputs change with orders; clicks reuse the last score (timers refresh
        // it).
        evaluate(profile, now, payload instanceof OrderEvent, ctx.timerService(), ctx);
        publish(profile, fresh, offerFactsBefore, ctx, out);
        emit(complaint, ctx);
    }

    /**
     * A review: counted, points for the first review of a bought product, and a low rating is a
     * SERVICE_RECOVERY moment for the offer stage right away, on the event (not on a timer), so a
     * complaint is answered within seconds ({@link Reviews}). The stars go on with the unique
     * events to the catalog stage, which keeps the product's rating.
     */
    private CustomerMoment review(CustomerProfile profile, ReviewEvent review) {
        return Reviews.apply(profile, review, reviews, settings.purchasedMax()).moment();
    }

    /**
     * A moment found on an event goes out after the profile it belongs to: the offer stage decides
     * only for customers whose profile it has seen, and a customer's first event can be a review.
     */
    private static void emit(CustomerMoment moment, Context ctx) {
        if (moment != null) {
            ctx.output(OutputTags.CUSTOMER_MOMENTS, moment);
        }
    }

    /**
     * Forgets the customer: the profile (with its de-duplication window) and its timer go, and the
     * first copy tells every later stage, the Redis sinks and the output topics. Events of the
     * customer that arrive before the last copy are dropped; after it the entrance stage drops
     * them, and nothing of the id is left in this stage.
     */
    private void erase(
            Erasure erasure, CustomerEvent event, Context ctx, Collector<CustomerProfile> out)
            throws Exception {
        String customer = ctx.getCurrentKey();
        CustomerProfile profile = profileState.value();
        if (profile != null) {
            // The ids merged into the customer go too: their forwarding records would otherwise
            // bring the customer back with their next event.
            for (MergedIdentity merged : profile.getMergedIdentities()) {
                ctx.output(
                        OutputTags.IDENTITY_HAND_OFFS,
                        new CustomerEvent(
                                new Erasure(
                                        merged.getAnonymousId(),
                                        erasure.getRequestId(),
                                        erasure.getRequestedAt(),
                                        1)));
            }
            if (profile.getNextTimer() > 0) {
                ctx.timerService().deleteEventTimeTimer(profile.getNextTimer());
            }
            profileState.clear();
        }
        ErasureProgress progress = erasing.value();
        if (progress == null) {
            erasures.inc();
            CustomerProfile erased = Erasures.erasedProfile(customer);
            out.collect(erased);
            ctx.output(OutputTags.OFFER_PROFILES, erased);
            ctx.output(OutputTags.UNIQUE_EVENTS, event);
            ctx.output(OutputTags.SEGMENT_CHANGES, Erasures.segmentTombstone(customer));
            ctx.output(OutputTags.CHURN_SIGNALS, Erasures.churnTombstone(customer));
            long giveUpAt = ctx.timerService().currentProcessingTime() + ERASURE_WAIT.toMillis();
            ctx.timerService().registerProcessingTimeTimer(giveUpAt);
            progress = new ErasureProgress(0, giveUpAt);
        }
        progress.setCopiesSeen(progress.getCopiesSeen() + 1);
        if (progress.getCopiesSeen() >= erasure.getCopies()) {
            ctx.timerService().deleteProcessingTimeTimer(progress.getGiveUpAt());
            erasing.clear();
        } else {
            erasing.update(progress);
        }
    }

    /**
     * An identification, at the id merged away: its live profile (if any) leaves for the receiving
     * id, its Redis keys and every later stage's state of it go (as on an erasure), and a
     * forwarding record takes its place. The latest identification of an id decides where its later
     * events go; its history moves once.
     */
    private void identify(IdentifyEvent identify, Context ctx, Collector<CustomerProfile> out)
            throws Exception {
        String from = ctx.getCurrentKey();
        String into = identify.getCustomerId();
        CustomerProfile profile = profileState.value();
        if (profile != null && into.equals(profile.getMergedInto())) {
            identificationsRepeated.inc(); // a re-sent identification, or a second login
            return;
        }
        long time = identify.getEventTime().toEpochMilli();
        CustomerProfile handed = null;
        if (profile != null && profile.getMergedInto() == null) {
            if (profile.getNextTimer() > 0) {
                ctx.timerService().deleteEventTimeTimer(profile.getNextTimer());
            }
            handed = profile;
            handed.setNextTimer(0);
            handed.setMergedIdentities(new ArrayList<>());
            forget(from, time, identify.getEventId(), ctx, out);
        }
        profileState.update(
                CustomerProfile.newBuilder()
                        .setCustomerId(from)
                        .setMergedInto(into)
                        .setLastSeen(time)
                        .build());
        handOffsSent.inc();
        ctx.output(
                OutputTags.IDENTITY_HAND_OFFS,
                new CustomerEvent(
                        new IdentityHandOff(
                                identify.getEventId(),
                                from,
                                into,
                                identify.getSource(),
                                time,
                                false,
                                handed)));
    }

    /**
     * Tells every later stage and the sinks that {@code id} is gone (its profile hash, offers and
     * recommendations deleted; tombstones on the compacted topics), as an erasure does.
     */
    private void forget(
            String id, long time, String why, Context ctx, Collector<CustomerProfile> out) {
        CustomerProfile gone = Erasures.erasedProfile(id);
        out.collect(gone);
        ctx.output(OutputTags.OFFER_PROFILES, gone);
        ctx.output(
                OutputTags.UNIQUE_EVENTS,
                new CustomerEvent(new Erasure(id, Erasures.MERGE_PREFIX + why, time, 1)));
        ctx.output(OutputTags.SEGMENT_CHANGES, Erasures.segmentTombstone(id));
        ctx.output(OutputTags.CHURN_SIGNALS, Erasures.churnTombstone(id));
    }

    /** An event of an id merged away: on to the id it belongs to, through the hand-off topic. */
    private void forward(CustomerProfile forwarding, CustomerEvent event, Context ctx)
            throws Exception {
        String into = forwarding.getMergedInto();
        Object payload = event.getPayload();
        Object moved;
        if (payload instanceof ClickEvent click) {
            moved = ClickEvent.newBuilder(click).setCustomerId(into).build();
        } else if (payload instanceof OrderEvent order) {
            moved = OrderEvent.newBuilder(order).setCustomerId(into).build();
        } else if (payload instanceof ReviewEvent review) {
            moved = ReviewEvent.newBuilder(review).setCustomerId(into).build();
        } else if (payload instanceof CustomerAttributesEvent attributes) {
            // stated under the id merged away: the customer's own statement all the same
            moved = CustomerAttributesEvent.newBuilder(attributes).setCustomerId(into).build();
        } else {
            moved = ConsentEvent.newBuilder((ConsentEvent) payload).setCustomerId(into).build();
        }
        eventsRerouted.inc();
        ctx.output(OutputTags.IDENTITY_HAND_OFFS, new CustomerEvent(moved));
        long eventTime = CustomerEvents.eventTimeMillis(event);
        if (eventTime - forwarding.getLastSeen() > FORWARD_RENEWAL_MILLIS) {
            forwarding.setLastSeen(eventTime);
            profileState.update(forwarding); // renews the forwarding record's TTL
        }
    }

    /**
     * A hand-off at the receiving id: folded into its profile once (a replay is recognised by the
     * identification's id), refused past the cap (and sent back), passed on if this id was itself
     * merged away since; a hand-off that comes back round to the id it left closes a cycle of
     * identifications (a merged into b, then b into a, before either hand-off arrived), and that id
     * keeps its own profile: the cycle cancels out instead of swapping histories.
     */
    private void receive(IdentityHandOff handOff, Context ctx, Collector<CustomerProfile> out)
            throws Exception {
        String here = ctx.getCurrentKey();
        CustomerProfile profile = profileState.value();
        if (handOff.getReturned()) {
            takeBack(handOff, profile, ctx, out);
            return;
        }
        if (here.equals(handOff.getAnonymousId())) {
            restore(handOff, ctx, out); // came back round: a cycle of identifications
            return;
        }
        if (profile != null && profile.getMergedInto() != null) {
            // Merged away itself since: on to where it went. A chain of forwarding records ends at
            // a live id, or back here at the id the profile left (above).
            IdentityHandOff onward = IdentityHandOff.newBuilder(handOff).build();
            onward.setCustomerId(profile.getMergedInto());
            ctx.output(OutputTags.IDENTITY_HAND_OFFS, new CustomerEvent(onward));
            return;
        }
        boolean fresh = profile == null;
        if (fresh) {
            if (erasing.value() != null) {
                handOffsDropped.inc(); // erased: nothing of it may be recreated
                return;
            }
            profile = CustomerProfile.newBuilder().setCustomerId(here).build();
        }
        List<MergedIdentity> merged = new ArrayList<>(profile.getMergedIdentities().size() + 1);
        boolean seen = false;
        for (MergedIdentity entry : profile.getMergedIdentities()) {
            if (entry.getIdentifyEventId().equals(handOff.getIdentifyEventId())) {
                handOffsRepeated.inc(); // replayed: merged once already
                return;
            }
            if (entry.getMergedAt() < handOff.getEventTime() - customerTtl.toMillis()) {
                continue; // its forwarding record has expired: it no longer counts
            }
            if (entry.getAnonymousId().equals(handOff.getAnonymousId())) {
                seen = true; // merged before, and again (it browsed anonymously in between)
                continue;
            }
            merged.add(entry);
        }
        if (!seen && merged.size() >= maxMergedIds) {
            mergesRefusedAtCap.inc();
            handOffsReturned.inc();
            IdentityHandOff back = IdentityHandOff.newBuilder(handOff).setReturned(true).build();
            ctx.output(OutputTags.IDENTITY_HAND_OFFS, new CustomerEvent(back));
            return;
        }
        merged.add(
                new MergedIdentity(
                        handOff.getAnonymousId(),
                        handOff.getIdentifyEventId(),
                        handOff.getEventTime()));
        long offerFactsBefore = offerFacts(profile);
        if (handOff.getProfile() != null) {
            ProfileMerge.merge(
                    profile,
                    handOff.getProfile(),
                    settings,
                    dedupWindowSize,
                    ctx.timerService().currentProcessingTime(),
                    dedupTtlMillis);
        }
        profile.setMergedInto(null);
        profile.setMergedIdentities(merged);
        merges.inc();
        settle(profile, fresh, offerFactsBefore, ctx, out);
    }

    /** A refused hand-off back at the id it left: the profile is that id's own again. */
    private void takeBack(
            IdentityHandOff handOff,
            CustomerProfile profile,
            Context ctx,
            Collector<CustomerProfile> out)
            throws Exception {
        if (profile == null || !handOff.getCustomerId().equals(profile.getMergedInto())) {
            handOffsDropped.inc(); // identified again (or erased) since: nothing to go back to
            return;
        }
        restore(handOff, ctx, out);
    }

    /** The handed-off profile (or a new one) becomes the live profile of its own id again. */
    private void restore(IdentityHandOff handOff, Context ctx, Collector<CustomerProfile> out)
            throws Exception {
        CustomerProfile profile =
                handOff.getProfile() != null
                        ? handOff.getProfile()
                        : CustomerProfile.newBuilder().setCustomerId(ctx.getCurrentKey()).build();
        profile.setCustomerId(ctx.getCurrentKey());
        profile.setMergedInto(null);
        profile.setNextTimer(0);
        settle(profile, true, offerFacts(profile), ctx, out);
    }

    /** Re-derives a merged or restored profile, stores and emits it. */
    private void settle(
            CustomerProfile profile,
            boolean fresh,
            long offerFactsBefore,
            Context ctx,
            Collector<CustomerProfile> out)
            throws Exception {
        long now = Math.max(profile.getLastEventTime(), ctx.timerService().currentWatermark());
        if (profiling(profile, now)) {
            evaluate(profile, now, true, ctx.timerService(), ctx);
        } else {
            if (profile.getNextTimer() > 0) {
                ctx.timerService().deleteEventTimeTimer(profile.getNextTimer());
            }
            profile = Unprofiled.of(profile);
            profile.setTier(Loyalty.tier(Loyalty.rollingSpend(profile, now), settings));
        }
        publish(profile, fresh, offerFactsBefore, ctx, out);
    }

    private boolean profiling(CustomerProfile profile, long now) {
        return Consents.personalizationAllowed(
                profile.getConsents(), now, settings.personalizationByDefault());
    }

    /** Stores the profile, emits it, and sends it to the offer stage if its offer facts changed. */
    private void publish(
            CustomerProfile profile,
            boolean fresh,
            long offerFactsBefore,
            Context ctx,
            Collector<CustomerProfile> out)
            throws Exception {
        profileState.update(profile);
        out.collect(profile);
        if (fresh || offerFacts(profile) != offerFactsBefore) {
            ctx.output(OutputTags.OFFER_PROFILES, profile);
        }
    }

    /**
     * A digest of what the offer stage detects moments from (segment, tier, points, cart and its
     * abandonment, churn risk, P(alive), orders, the stated attributes). Only profiles whose digest
     * changed go to the offer stage: most events are views that change none of it, and shipping the
     * whole profile across the network on every event was the largest single cost of the offer
     * path. Category affinity is left out on purpose (every view moves it): the offer stage's copy
     * is as of the last change above. A collision only delays such a copy to the next change.
     */
    static long offerFacts(CustomerProfile p) {
        long h = p.getSegment().ordinal();
        h = h * 31 + p.getTier().ordinal();
        h = h * 1_000_003 + p.getPoints();
        h = h * 31 + (p.getCartAbandonedSignalled() ? 1 : 0);
        h = h * 31 + p.getCart().size();
        h = h * 1_000_003 + Double.hashCode(OpenCart.value(p));
        h = h * 1_000_003 + Double.hashCode(p.getChurnRisk());
        h = h * 1_000_003 + (p.getPAlive() == null ? 0 : Double.hashCode(p.getPAlive()));
        h = h * 31 + p.getOrders();
        h = h * 31 + p.getConsents().hashCode();
        h = h * 31 + Objects.hashCode(p.getBirthday());
        h = h * 31 + Objects.hashCode(p.getTimeZone());
        h = h * 31 + Long.hashCode(p.getSignupDay());
        h = h * 31 + p.getPreferredChannel().ordinal();
        return h;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CustomerProfile> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            // the only processing-time timer: an erasure whose copies went missing
            ErasureProgress progress = erasing.value();
            if (progress != null && progress.getGiveUpAt() == timestamp) {
                erasing.clear();
            }
            return;
        }
        CustomerProfile profile = profileState.value();
        if (profile == null || profile.getNextTimer() != timestamp) {
            return; // state expired, or a timer this function has since replaced
        }
        timersFired.inc();
        long offerFactsBefore = offerFacts(profile);
        profile.setNextTimer(0); // this one has fired
        evaluate(profile, timestamp, true, ctx.timerService(), ctx);
        profileState.update(profile);
        out.collect(profile);
        if (offerFacts(profile) != offerFactsBefore) {
            ctx.output(OutputTags.OFFER_PROFILES, profile);
        }
    }

    /** Re-derives segment, churn score, tier and signals as of {@code now}; re-arms the timer. */
    private void evaluate(
            CustomerProfile profile,
            long now,
            boolean rescoreModel,
            TimerService timers,
            Context ctx) {
        String customer = profile.getCustomerId();
        long cartDeadline = Long.MAX_VALUE;
        if (!profile.getCart().isEmpty() && !profile.getCartAbandonedSignalled()) {
            long due = OpenCart.lastAddedAt(profile) + settings.cartAbandonAfterMillis();
            if (now >= due) {
                profile.setCartAbandonedSignalled(true);
                ctx.output(OutputTags.CHURN_SIGNALS, cartAbandoned(profile, due));
            } else {
                cartDeadline = due;
            }
        }

        // A search burst without an order: one moment, on the same single timer.
        CustomerMoment searched = SearchInterest.due(profile, now, settings.searches());
        if (searched != null) {
            ctx.output(OutputTags.CUSTOMER_MOMENTS, searched);
        }
        long searchDeadline = SearchInterest.deadline(profile, settings.searches());

        // Birthdays and signup anniversaries on the customer's local date: the same single timer,
        // and only from it (CustomerDates#deadline says why).
        if (ctx instanceof OnTimerContext) {
            for (CustomerMoment date : settings.dates().due(profile, now)) {
                ctx.output(OutputTags.CUSTOMER_MOMENTS, date);
            }
        }
        long dateDeadline = settings.dates().deadline(profile, now);

        LifecycleRules.Assessment assessment = rules.assess(profile, now, rescoreModel);
        Segment before = profile.getSegment();
        Segment after = assessment.segment();
        if (after != before) {
            // A first-seen visitor becoming a prospect is an assignment, not news.
            if (!(before == Segment.UNKNOWN && after == Segment.PROSPECT)) {
                ctx.output(
                        OutputTags.SEGMENT_CHANGES,
                        new SegmentChange(
                                customer + ":" + now + ":" + before + ">" + after,
                                customer,
                                before,
                                after,
                                Instant.ofEpochMilli(now),
                                assessment.reasons()));
                ChurnSignalType signal = signalFor(before, after);
                if (signal != null) {
                    ctx.output(
                            OutputTags.CHURN_SIGNALS,
                            churnSignal(profile, signal, now, assessment));
                }
            }
            profile.setSegment(after);
            profile.setSegmentSince(now);
        }
        profile.setPAlive(assessment.pAlive());
        profile.setExpectedPurchases30d(assessment.expectedPurchases30d());
        profile.setChurnRisk(assessment.churnRisk());
        profile.setChurnReasons(assessment.reasons());
        profile.setTier(Loyalty.tier(Loyalty.rollingSpend(profile, now), settings));
        profile.setScoredAt(now);

        long next =
                Math.min(
                        Math.min(assessment.nextDeadline(), cartDeadline),
                        Math.min(searchDeadline, dateDeadline));
        if (next == Long.MAX_VALUE) {
            next = 0;
        }
        if (next != profile.getNextTimer()) {
            if (profile.getNextTimer() > 0) {
                timers.deleteEventTimeTimer(profile.getNextTimer());
            }
            if (next > 0) {
                timers.registerEventTimeTimer(next);
            }
            profile.setNextTimer(next);
        }
    }

    private static ChurnSignalType signalFor(Segment before, Segment after) {
        if (after == Segment.AT_RISK) {
            return ChurnSignalType.AT_RISK;
        }
        if (after == Segment.CHURNED) {
            return ChurnSignalType.CHURNED;
        }
        if ((before == Segment.AT_RISK || before == Segment.CHURNED) && after != Segment.PROSPECT) {
            return ChurnSignalType.REACTIVATED;
        }
        return null;
    }

    private static ChurnSignal churnSignal(
            CustomerProfile p, ChurnSignalType type, long at, LifecycleRules.Assessment a) {
        return ChurnSignal.newBuilder()
                .setSignalId(p.getCustomerId() + ":" + type + ":" + at)
                .setCustomerId(p.getCustomerId())
                .setType(type)
                .setEventTime(Instant.ofEpochMilli(at))
                .setChurnRisk(a.churnRisk())
                .setPAlive(a.pAlive())
                .setSegment(a.segment())
                .setReasons(a.reasons())
                .build();
    }

    private static ChurnSignal cartAbandoned(CustomerProfile p, long at) {
        List<String> items = new ArrayList<>(p.getCart().size());
        p.getCart().forEach(item -> items.add(item.getProductId()));
        double value = OpenCart.value(p);
        return ChurnSignal.newBuilder()
                .setSignalId(p.getCustomerId() + ":" + ChurnSignalType.CART_ABANDONED + ":" + at)
                .setCustomerId(p.getCustomerId())
                .setType(ChurnSignalType.CART_ABANDONED)
                .setEventTime(Instant.ofEpochMilli(at))
                .setChurnRisk(p.getChurnRisk())
                .setPAlive(p.getPAlive())
                .setSegment(p.getSegment())
                .setCartValue(value)
                .setCartItems(items)
                .setReasons(List.of(LifecycleRules.cartAbandonedReason(p)))
                .build();
    }

    /** Folds one event into the profile (visible for tests). */
    static void apply(
            CustomerProfile profile, Object payload, long eventTime, ProfileSettings settings) {
        profile.setFirstSeen(
                profile.getFirstSeen() == 0
                        ? eventTime
                        : Math.min(profile.getFirstSeen(), eventTime));
        profile.setLastSeen(Math.max(profile.getLastSeen(), eventTime));
        profile.setLastEventTime(Math.max(profile.getLastEventTime(), eventTime));
        if (payload instanceof ClickEvent) {
            applyClick(profile, (ClickEvent) payload, eventTime, settings);
        } else if (payload instanceof OrderEvent) {
            applyOrder(profile, (OrderEvent) payload, eventTime, settings);
        }
        // A ReviewEvent counts as activity here (first and last seen); its effect is Reviews'.
    }

    /**
     * Takes over what the customer stated; a field the event leaves null keeps its value (an
     * account page that changes the time zone does not erase the birthday). The event was validated
     * at the door (EventValidator), so every stated value parses.
     */
    static void applyAttributes(CustomerProfile profile, CustomerAttributesEvent attributes) {
        if (attributes.getBirthday() != null) {
            MonthDay birthday = EventValidator.birthday(attributes.getBirthday());
            profile.setBirthday(birthday.toString().substring(2)); // "--MM-DD" -> "MM-DD"
        }
        if (attributes.getTimeZone() != null) {
            profile.setTimeZone(ZoneId.of(attributes.getTimeZone()).getId());
        }
        if (attributes.getSignupDate() != null) {
            profile.setSignupDay(LocalDate.parse(attributes.getSignupDate()).toEpochDay());
        }
        if (attributes.getPreferredChannel() != null) {
            profile.setPreferredChannel(attributes.getPreferredChannel());
        }
    }

    private static void applyClick(
            CustomerProfile profile, ClickEvent click, long eventTime, ProfileSettings s) {
        long day = Math.floorDiv(eventTime, DAY);
        String session = click.getSessionId();
        if (!session.isEmpty() && !session.equals(profile.getLastSessionId())) {
            // Sessions interleave rarely (two tabs share one id), so a change of id is a new
            // session.
            profile.setSessions(profile.getSessions() + 1);
            profile.setLastSessionId(session);
            ActivityWindows.increment(profile, Metric.SESSIONS, day);
        }
        switch (click.getType()) {
            case PAGE_VIEW -> profile.setPageViews(profile.getPageViews() + 1);
            case PRODUCT_VIEW -> {
                profile.setProductViews(profile.getProductViews() + 1);
                ActivityWindows.increment(profile, Metric.PRODUCT_VIEWS, day);
                RecentViews.record(profile, click.getProductId(), eventTime, s.recentlyViewedMax());
                CategoryAffinity.add(
                        profile,
                        click.getCategoryId(),
                        s.affinityWeightView(),
                        eventTime,
                        s.affinityHalfLifeMillis(),
                        s.affinityTopN());
                SearchInterest.onView(
                        profile,
                        session,
                        click.getProductId(),
                        click.getCategoryId(),
                        eventTime,
                        s);
            }
            case SEARCH -> {
                profile.setSearches(profile.getSearches() + 1);
                ActivityWindows.increment(profile, Metric.SEARCHES, day);
                // searchQuery is the entrance's keyed token by now, never the text
                SearchInterest.onSearch(profile, click.getSearchQuery(), session, eventTime, s);
            }
            case ADD_TO_CART -> {
                profile.setCartAdds(profile.getCartAdds() + 1);
                ActivityWindows.increment(profile, Metric.CART_ADDS, day);
                int quantity = click.getQuantity() == null ? 1 : click.getQuantity();
                double price = click.getPrice() == null ? 0 : click.getPrice();
                // Clicks and orders come from different topics: an add read after the (later) order
                // that
                // bought the product is already settled, not an open cart line.
                boolean boughtSince =
                        eventTime <= profile.getLastOrderTime()
                                && profile.getPurchasedProducts().contains(click.getProductId());
                if (!boughtSince) {
                    OpenCart.add(
                            profile,
                            click.getProductId(),
                            click.getCategoryId(),
                            quantity,
                            price,
                            eventTime,
                            s.cartMaxItems());
                }
                CategoryAffinity.add(
                        profile,
                        click.getCategoryId(),
                        s.affinityWeightCart(),
                        eventTime,
                        s.affinityHalfLifeMillis(),
                        s.affinityTopN());
            }
            case REMOVE_FROM_CART -> {
                profile.setCartRemoves(profile.getCartRemoves() + 1);
                OpenCart.remove(profile, click.getProductId(), click.getQuantity());
            }
            case WISHLIST -> {
                profile.setWishlistAdds(profile.getWishlistAdds() + 1);
                CategoryAffinity.add(
                        profile,
                        click.getCategoryId(),
                        s.affinityWeightCart(),
                        eventTime,
                        s.affinityHalfLifeMillis(),
                        s.affinityTopN());
            }
            default -> {
                // UNKNOWN: a type added by a newer producer; it still counts as activity (seen
                // times above).
            }
        }
    }

    // Spend is a plain sum, not clamped at zero, so it is the same in any arrival order; a refund
    // of an
    // order placed before the engine's history began can make it negative, which is the truth.
    private static void applyOrder(
            CustomerProfile profile, OrderEvent order, long eventTime, ProfileSettings s) {
        switch (order.getStatus()) {
            case PLACED -> {
                profile.setOrders(profile.getOrders() + 1);
                profile.setTotalSpend(profile.getTotalSpend() + order.getTotal());
                profile.setFirstOrderTime(
                        profile.getFirstOrderTime() == 0
                                ? eventTime
                                : Math.min(profile.getFirstOrderTime(), eventTime));
                profile.setLastOrderTime(Math.max(profile.getLastOrderTime(), eventTime));
                PurchaseRhythm rhythm = LifecycleRules.rhythmOf(profile);
                if (rhythm.onPurchase(eventTime)) {
                    profile.setFirstPurchaseDay(rhythm.getFirstDay());
                    profile.setLastPurchaseDay(rhythm.getLastDay());
                    profile.setPurchaseDays(rhythm.getPurchaseDays());
                    profile.setRecentPurchaseDays(rhythm.getRecentDays());
                }
                Loyalty.apply(profile, order.getTotal(), +1, eventTime, s.pointsPerUnit());
                for (OrderLine line : order.getLines()) {
                    profile.setPurchasedProducts(
                            RecentItems.pushFront(
                                    profile.getPurchasedProducts(),
                                    line.getProductId(),
                                    s.purchasedMax()));
                    CategoryAffinity.add(
                            profile,
                            line.getCategoryId(),
                            s.affinityWeightPurchase(),
                            eventTime,
                            s.affinityHalfLifeMillis(),
                            s.affinityTopN());
                }
                OpenCart.removeBought(profile, order.getLines());
            }
            case CANCELLED -> {
                profile.setCancellations(profile.getCancellations() + 1);
                profile.setTotalSpend(profile.getTotalSpend() - order.getTotal());
                Loyalty.apply(profile, order.getTotal(), -1, eventTime, s.pointsPerUnit());
            }
            case REFUNDED -> {
                profile.setRefunds(profile.getRefunds() + 1);
                profile.setTotalSpend(profile.getTotalSpend() - order.getTotal());
                Loyalty.apply(profile, order.getTotal(), -1, eventTime, s.pointsPerUnit());
            }
            default -> {
                // UNKNOWN status from a newer producer: activity only.
            }
        }
    }
}
