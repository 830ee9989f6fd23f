package io.p13n.jobs.offers;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.model.ConsentEvent;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.Erasure;
import io.p13n.model.HeldOffers;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferLedgerInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * Holds offers decided in their channel's quiet hours until the window ends; keyed by customer id.
 * Sits between the budget stage and everything that delivers an offer (the offer-triggers topic the
 * push, SMS and email senders read, and the ledger that shows it in Redis and attributes orders to
 * it). Input ({@link OfferLedgerInput}): decisions that passed the budget (SENT and HELD_OUT),
 * withdrawals of marketing consent, erasures.
 *
 * <p>The trigger stage decides when an offer may go out ({@link OfferDecision#getDeliverAt}, from
 * {@link QuietHours}, with {@code expiresAt} counted from then). A decision to deliver later than
 * the watermark is kept in keyed state with an event-time timer at {@code deliverAt}; every other
 * decision passes at once. HELD_OUT decisions are held exactly like SENT ones, so both arms of an
 * experiment start at the same point (their attribution counts from delivery) and lose the same
 * decisions to a withdrawal or an erasure during the night.
 *
 * <p>Event time, like the whole offer path: where a decision is held, and when it leaves, follows
 * from the events alone, so a replay or a restore holds and releases the same offers at the same
 * event times, and a released offer leaves once (the state and the timer are in the checkpoint; the
 * Kafka sink's transaction and the ledger's decision ids deal with what a restore replays). The
 * price: an offer leaves when the <em>watermark</em> passes the end of the window, i.e. with the
 * first events after it. A shop without traffic in the early morning releases the night's offers
 * with its first morning events (late, never early); a stalled watermark (a source that stops
 * without going idle) holds them until it moves.
 *
 * <p>A withdrawal of marketing consent drops the held offers of its channel (all channels when it
 * names none): they were decided under a consent that no longer holds. An {@link Erasure} drops the
 * customer's held offers and, for {@code privacy.erasure.grace}, the decisions still on their way
 * (queued in a campaign's budget stage), then forgets the customer (a processing-time timer), as
 * the ledger does.
 *
 * <p>State: one record per customer who has offers held, at most {@link #MAX_HELD}, gone when the
 * last one is released; one event-time timer (the earliest delivery). Expires after {@link
 * #STATE_TTL} as a backstop.
 */
public class QuietHoursHoldFunction
        extends KeyedProcessFunction<String, OfferLedgerInput, OfferDecision> {
    private static final long serialVersionUID = 1L;

    /**
     * Offers held per customer. The trigger stage lets a customer have one offer (SENT or HELD_OUT)
     * per {@code offers.frequency-cap} across campaigns, a week by default, so a night holds one;
     * 16 is only reached with the cap set to minutes and a customer firing moments all night. Past
     * it the earliest decided leaves at once: a message in the night is a smaller harm than a
     * coupon lost, and the bound is a safety valve, not a policy.
     */
    static final int MAX_HELD = 16;

    /**
     * Backstop for the state of a customer (processing time): a quiet window is shorter than a day,
     * so an offer is due within a day of event time and the timer releases it; this only clears
     * state whose release the watermark never reaches, e.g. a job whose event sources stop for a
     * week. Such offers would be stale by then.
     */
    static final Duration STATE_TTL = Duration.ofDays(7);

    private final long erasureGraceMillis;

    private transient ValueState<HeldOffers> state;
    private transient Counter held;
    private transient Counter released;
    private transient Counter releasedOverBound;
    private transient Counter dropped;

    public QuietHoursHoldFunction(Duration erasureGrace) {
        if (erasureGrace == null || erasureGrace.isNegative() || erasureGrace.isZero()) {
            // positive: a marker's time is also how it is told apart from "not erased" (0)
            throw new IllegalArgumentException(
                    "erasureGrace must be positive, was " + erasureGrace);
        }
        this.erasureGraceMillis = erasureGrace.toMillis();
    }

    /** The held offers' descriptor (also for reading them from a savepoint). */
    public static ValueStateDescriptor<HeldOffers> heldDescriptor() {
        return KeyedStates.descriptor(
                OfferStateDescriptors.HELD_OFFERS, new AvroTypeInfo<>(HeldOffers.class), STATE_TTL);
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(heldDescriptor());
        var group = getRuntimeContext().getMetricGroup().addGroup("p13n");
        held = group.counter("offersHeldForQuietHours");
        released = group.counter("offersReleasedAfterQuietHours");
        releasedOverBound = group.counter("offersReleasedEarlyOverHoldBound");
        dropped = group.counter("heldOffersDropped");
    }

    /** Whether the decision waits: it is to be delivered after it was decided. */
    static boolean heldBack(OfferDecision d) {
        return d.getDeliverAt() > d.getIssuedAt();
    }

    @Override
    public void processElement(OfferLedgerInput input, Context ctx, Collector<OfferDecision> out)
            throws Exception {
        HeldOffers s = state.value();
        Object payload = input.getPayload();
        if (payload instanceof Erasure) {
            erase(s, ctx);
            return;
        }
        if (s != null && s.getErasedUntil() > 0) {
            if (payload instanceof OfferDecision) {
                dropped.inc();
            }
            return; // erased: what still arrives of the customer is dropped
        }
        if (payload instanceof ConsentEvent consent) {
            if (s != null && withdraw(s, consent) > 0) {
                save(s, ctx.timerService());
            }
            return;
        }
        if (!(payload instanceof OfferDecision d)) {
            return; // orders are not routed here
        }
        if (!heldBack(d) || d.getDeliverAt() <= ctx.timerService().currentWatermark()) {
            // Not in quiet hours, or they ended already (a decision arriving late): deliver now.
            out.collect(d);
            return;
        }
        if (s == null) {
            s = new HeldOffers(new ArrayList<>(), 0L, 0L);
        }
        for (OfferDecision h : s.getOffers()) {
            if (h.getDecisionId().equals(d.getDecisionId())) {
                return; // the same decision again: it is held once, and leaves once
            }
        }
        List<OfferDecision> offers = new ArrayList<>(s.getOffers());
        // A copy: with object reuse the element may be a buffer the runtime reuses.
        offers.add(OfferDecision.newBuilder(d).build());
        held.inc();
        if (offers.size() > MAX_HELD) {
            offers.sort(Comparator.comparingLong(OfferDecision::getIssuedAt));
            while (offers.size() > MAX_HELD) {
                out.collect(offers.remove(0));
                releasedOverBound.inc();
            }
        }
        s.setOffers(offers);
        save(s, ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OfferDecision> out)
            throws Exception {
        HeldOffers s = state.value();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            // the only processing-time timer: an erasure's grace period is over
            if (s != null && s.getErasedUntil() == timestamp) {
                state.clear();
            }
            return;
        }
        if (s == null || s.getTimer() != timestamp) {
            return; // state gone (erased, TTL) or a timer since replaced
        }
        s.setTimer(0);
        List<OfferDecision> due = new ArrayList<>();
        List<OfferDecision> left = new ArrayList<>();
        for (OfferDecision d : s.getOffers()) {
            (d.getDeliverAt() <= timestamp ? due : left).add(d);
        }
        // Earliest decided first, so a sender sees them in the order they were decided.
        due.sort(Comparator.comparingLong(OfferDecision::getIssuedAt));
        for (OfferDecision d : due) {
            out.collect(d);
            released.inc();
        }
        s.setOffers(left);
        save(s, ctx.timerService());
    }

    /**
     * Re-arms the timer at the earliest delivery held, and stores the state (clears it if empty).
     */
    private void save(HeldOffers s, TimerService timers) throws Exception {
        long next = Long.MAX_VALUE;
        for (OfferDecision d : s.getOffers()) {
            next = Math.min(next, d.getDeliverAt());
        }
        next = next == Long.MAX_VALUE ? 0 : next;
        if (next != s.getTimer()) {
            if (s.getTimer() > 0) {
                timers.deleteEventTimeTimer(s.getTimer());
            }
            if (next > 0) {
                timers.registerEventTimeTimer(next);
            }
            s.setTimer(next);
        }
        if (s.getOffers().isEmpty()) {
            state.clear();
        } else {
            state.update(s);
        }
    }

    /**
     * Drops the held offers on the withdrawn channel (every channel when it names none), SENT and
     * HELD_OUT alike; how many. A grant changes nothing: what was held was decided with consent.
     */
    int withdraw(HeldOffers s, ConsentEvent consent) {
        if (consent.getPurpose() != ConsentPurpose.MARKETING || consent.getGranted()) {
            return 0;
        }
        List<OfferDecision> kept = new ArrayList<>(s.getOffers().size());
        for (OfferDecision d : s.getOffers()) {
            if (consent.getChannel() == null || consent.getChannel() == d.getChannel()) {
                dropped.inc();
            } else {
                kept.add(d);
            }
        }
        int removed = s.getOffers().size() - kept.size();
        s.setOffers(kept);
        return removed;
    }

    /** Drops what is held and keeps only the erasure marker for the grace period. */
    private void erase(HeldOffers s, Context ctx) throws Exception {
        if (s != null && s.getErasedUntil() > 0) {
            return; // already erased, still within the grace period
        }
        if (s != null) {
            dropped.inc(s.getOffers().size());
            if (s.getTimer() > 0) {
                ctx.timerService().deleteEventTimeTimer(s.getTimer());
            }
        }
        long until = ctx.timerService().currentProcessingTime() + erasureGraceMillis;
        ctx.timerService().registerProcessingTimeTimer(until);
        state.update(new HeldOffers(new ArrayList<>(), 0L, until));
    }
}
