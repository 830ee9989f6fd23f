package io.p13n.jobs.offers;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.model.ActiveOffer;
import io.p13n.model.ActiveOffers;
import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.ConsentEvent;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.Erasure;
import io.p13n.model.IssuedOffer;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferLedgerInput;
import io.p13n.model.OfferLedgerState;
import io.p13n.model.OfferOutcome;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.RecentOrder;
import io.p13n.model.Reward;
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
 * The customer's offer ledger; keyed by customer id. Input: decisions that passed the budget (SENT
 * and HELD_OUT) and the customer's orders ({@link OfferLedgerInput}).
 *
 * <p>Keeps every issued offer until {@code expiresAt + offers.attribution-window} (at most {@code
 * offers.max-per-customer}, the oldest dropped first), ignoring a decision whose couponId it
 * already holds: this is the exactly-once issued set. Emits the customer's active offers (SENT, not
 * redeemed, not expired) as one {@link ActiveOffers} snapshot whenever that set changes — on a new
 * offer, a redemption, and at expiry (an event-time timer).
 *
 * <p>To {@link OfferOutputTags#STATS_DELTAS}: {@code sent}/{@code heldOut} for a new decision (arm
 * = variant, or {@value VariantAssignment#CONTROL_ARM} when held out by the campaign's control
 * group, {@value VariantAssignment#GLOBAL_CONTROL_ARM} by the global one; with the arm's designed
 * share for the sample-ratio check); for a PLACED order, per offer: {@code redeemed} when the
 * order's coupon code is the offer's (SENT only; the offer stops being active), {@code converted}
 * for the first order within the offer's validity, from its delivery (after quiet hours, {@link
 * OfferDecision#getDeliverAt}) to its expiry (SENT and HELD_OUT alike, so treated and control
 * conversion compare), {@code revenue} the order total once per offer it redeems or converts, and
 * {@code revenueSquares} the matching increment of the sum of squared revenue per offer (an offer
 * converts once; it can gain revenue twice, from its converting order and a later redeeming one,
 * and the square is of their sum). Cancelled and refunded orders are not reversed (documented
 * limitation).
 *
 * <p>State: one record per customer, bounded as above, expiring after {@code offers.state-ttl}; at
 * most one event-time timer (the next expiry or prune), none once the ledger is empty.
 *
 * <p>An {@link Erasure} empties the ledger and takes the customer's offers off Redis. Decisions
 * made just before it may still be queued in a campaign's budget stage (another path than the
 * erasure's): for {@code privacy.erasure.grace} the ledger keeps only a marker that drops them,
 * then forgets the customer (a processing-time timer).
 */
public class ActiveOffersFunction
        extends KeyedProcessFunction<String, OfferLedgerInput, ActiveOffers> {
    private static final long serialVersionUID = 1L;

    /** {@code privacy.erasure.grace}'s default. */
    static final Duration DEFAULT_ERASURE_GRACE = Duration.ofSeconds(30);

    private final OfferSettings settings;
    private final long erasureGraceMillis;

    private transient ValueState<OfferLedgerState> state;
    private transient Counter duplicates;
    private transient Counter redemptions;
    private transient Counter erasedDropped;

    public ActiveOffersFunction(OfferSettings settings) {
        this(settings, DEFAULT_ERASURE_GRACE);
    }

    public ActiveOffersFunction(OfferSettings settings, Duration erasureGrace) {
        this.settings = settings;
        this.erasureGraceMillis = erasureGrace.toMillis();
    }

    /** The ledger state's descriptor (also for reading it from a savepoint). */
    public static ValueStateDescriptor<OfferLedgerState> ledgerDescriptor(OfferSettings settings) {
        return KeyedStates.descriptor(
                OfferStateDescriptors.LEDGER_STATE,
                new AvroTypeInfo<>(OfferLedgerState.class),
                Duration.ofMillis(settings.stateTtlMillis()));
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(ledgerDescriptor(settings));
        var group = getRuntimeContext().getMetricGroup().addGroup("p13n");
        duplicates = group.counter("offerDecisionDuplicates");
        erasedDropped = group.counter("offerDecisionsOfErasedCustomersDropped");
        redemptions = group.counter("offerRedemptions");
    }

    @Override
    public void processElement(OfferLedgerInput input, Context ctx, Collector<ActiveOffers> out)
            throws Exception {
        OfferLedgerState s = state.value();
        Object payload = input.getPayload();
        long watermark = ctx.timerService().currentWatermark();
        if (payload instanceof Erasure) {
            erase(s, ctx, out);
            return;
        }
        if (s != null && s.getErasedUntil() > 0) {
            if (payload instanceof OfferDecision) {
                erasedDropped.inc();
            }
            return; // erased: what still arrives of the customer is dropped
        }
        if (s == null) {
            s = new OfferLedgerState(new ArrayList<>(), 0L, 0L, new ArrayList<>());
        }
        long now;
        List<String> before;
        if (payload instanceof OfferDecision d) {
            now = Math.max(watermark, QuietHours.deliveredAt(d));
            before = activeIds(s, now);
            if (!add(s, d, ctx)) {
                return; // already issued: nothing changes
            }
        } else if (payload instanceof ConsentEvent consent) {
            now = Math.max(watermark, consent.getEventTime().toEpochMilli());
            before = activeIds(s, now);
            if (!withdraw(s, consent)) {
                return;
            }
        } else {
            OrderEvent order = (OrderEvent) payload;
            now = Math.max(watermark, order.getEventTime().toEpochMilli());
            before = activeIds(s, now);
            if (order.getStatus() != OrderStatus.PLACED) {
                return;
            }
            remember(s, order);
            if (s.getOffers().isEmpty()) {
                state.update(s);
                return;
            }
            attribute(s, order, ctx);
        }
        finish(s, now, before, ctx.getCurrentKey(), ctx.timerService(), out);
    }

    /** Empties the ledger, deletes the Redis offers, and keeps the marker for the grace period. */
    private void erase(OfferLedgerState s, Context ctx, Collector<ActiveOffers> out)
            throws Exception {
        if (s != null && s.getErasedUntil() > 0) {
            return; // already erased, still within the grace period
        }
        if (s != null && s.getTimer() > 0) {
            ctx.timerService().deleteEventTimeTimer(s.getTimer());
        }
        long until = ctx.timerService().currentProcessingTime() + erasureGraceMillis;
        ctx.timerService().registerProcessingTimeTimer(until);
        state.update(new OfferLedgerState(new ArrayList<>(), 0L, until, new ArrayList<>()));
        long now = Math.max(0, ctx.timerService().currentWatermark());
        out.collect(new ActiveOffers(ctx.getCurrentKey(), new ArrayList<>(), now));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActiveOffers> out)
            throws Exception {
        OfferLedgerState s = state.value();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            // the only processing-time timer: an erasure's grace period is over
            if (s != null && s.getErasedUntil() == timestamp) {
                state.clear();
            }
            return;
        }
        if (s == null || s.getTimer() != timestamp) {
            return;
        }
        s.setTimer(0);
        // "before" as of just before this instant: offers expiring now were active until now
        finish(
                s,
                timestamp,
                activeIds(s, timestamp - 1),
                ctx.getCurrentKey(),
                ctx.timerService(),
                out);
    }

    /**
     * Orders remembered per customer for decisions that arrive after them. A decision comes through
     * the campaign's budget stage (keyed by campaign), an order straight from the customer stage,
     * so an order placed after an offer can reach the ledger first; under load by seconds (seen in
     * CampaignStatisticsITCase on a busy CI machine: the offer was never converted). Three cover a
     * customer who orders again within those seconds; each is its time, total and coupon code (~30
     * bytes).
     */
    static final int RECENT_ORDERS = 3;

    /** Keeps the order among the last {@link #RECENT_ORDERS}, by event time. */
    private static void remember(OfferLedgerState s, OrderEvent order) {
        List<RecentOrder> recent = new ArrayList<>(s.getRecentOrders());
        recent.add(
                new RecentOrder(
                        order.getEventTime().toEpochMilli(),
                        order.getTotal(),
                        order.getCouponCode()));
        recent.sort(Comparator.comparingLong(RecentOrder::getEventTime));
        if (recent.size() > RECENT_ORDERS) {
            recent.subList(0, recent.size() - RECENT_ORDERS).clear();
        }
        s.setRecentOrders(recent);
    }

    /**
     * Adds a new decision (copied); false when its couponId is already held or it is not issued.
     * Remembered orders placed after it (that overtook it on the way here) convert or redeem it.
     */
    private boolean add(OfferLedgerState s, OfferDecision d, Context ctx) {
        if (d.getOutcome() != OfferOutcome.SENT && d.getOutcome() != OfferOutcome.HELD_OUT) {
            return false;
        }
        for (IssuedOffer o : s.getOffers()) {
            if (o.getDecision().getDecisionId().equals(d.getDecisionId())) {
                duplicates.inc();
                return false;
            }
        }
        List<IssuedOffer> offers = new ArrayList<>(s.getOffers());
        offers.add(new IssuedOffer(OfferDecision.newBuilder(d).build(), false, false, false, 0.0));
        if (offers.size() > settings.maxOffersPerCustomer()) {
            // Bound: the offer that expires first goes (it matters least).
            offers.sort(
                    Comparator.comparingLong((IssuedOffer o) -> o.getDecision().getExpiresAt()));
            offers.subList(0, offers.size() - settings.maxOffersPerCustomer()).clear();
        }
        s.setOffers(offers);
        boolean held = d.getOutcome() == OfferOutcome.HELD_OUT;
        ctx.output(
                OfferOutputTags.STATS_DELTAS,
                delta(
                        d,
                        held ? 0 : 1,
                        held ? 1 : 0,
                        0,
                        0,
                        0,
                        0,
                        d.getArmShare(),
                        QuietHours.deliveredAt(d)));
        IssuedOffer added = offers.get(offers.size() - 1);
        if (added.getDecision().getDecisionId().equals(d.getDecisionId())) {
            for (RecentOrder order : s.getRecentOrders()) {
                if (order.getEventTime() >= QuietHours.deliveredAt(d)) {
                    attribute(
                            List.of(added),
                            order.getEventTime(),
                            order.getCouponCode(),
                            order.getTotal(),
                            ctx);
                }
            }
        }
        return true;
    }

    private void attribute(OfferLedgerState s, OrderEvent order, Context ctx) {
        attribute(
                s.getOffers(),
                order.getEventTime().toEpochMilli(),
                order.getCouponCode(),
                order.getTotal(),
                ctx);
    }

    private void attribute(
            List<IssuedOffer> offers, long at, String code, double total, Context ctx) {
        for (IssuedOffer o : offers) {
            OfferDecision d = o.getDecision();
            boolean sentOffer = d.getOutcome() == OfferOutcome.SENT;
            boolean redeems =
                    sentOffer
                            && !o.getRedeemed()
                            && code != null
                            && code.trim().equalsIgnoreCase(d.getCouponCode());
            // From delivery: an offer held for quiet hours cannot have caused an order placed
            // before the customer saw it (or, held out, would have seen it).
            boolean converts =
                    !o.getConverted() && at >= QuietHours.deliveredAt(d) && at < d.getExpiresAt();
            if (!redeems && !converts) {
                continue;
            }
            if (redeems) {
                o.setRedeemed(true);
                redemptions.inc();
            }
            if (converts) {
                o.setConverted(true);
            }
            // The variance of revenue per decision needs each decision's total squared; an offer
            // can gain revenue twice (its converting order, then a later redeeming one), so the
            // increment of the square is (before + total)^2 - before^2, not total^2.
            double before = o.getRevenue();
            double after = before + total;
            o.setRevenue(after);
            ctx.output(
                    OfferOutputTags.STATS_DELTAS,
                    delta(
                            d,
                            0,
                            0,
                            redeems ? 1 : 0,
                            converts ? 1 : 0,
                            total,
                            after * after - before * before,
                            0,
                            at));
        }
    }

    /** Prunes, re-arms the timer, and emits the snapshot if the active set changed. */
    private void finish(
            OfferLedgerState s,
            long now,
            List<String> before,
            String customer,
            TimerService timers,
            Collector<ActiveOffers> out)
            throws Exception {
        List<IssuedOffer> kept = new ArrayList<>(s.getOffers().size());
        for (IssuedOffer o : s.getOffers()) {
            if (o.getDecision().getExpiresAt() + settings.attributionWindowMillis() > now) {
                kept.add(o);
            }
        }
        s.setOffers(kept);
        long next = Long.MAX_VALUE;
        for (IssuedOffer o : kept) {
            long expires = o.getDecision().getExpiresAt();
            if (isActive(o, now)) {
                next = Math.min(next, expires);
            }
            next = Math.min(next, Math.max(expires + settings.attributionWindowMillis(), now + 1));
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
        List<ActiveOffer> active = active(s, now);
        if (kept.isEmpty()) {
            state.clear();
        } else {
            state.update(s);
        }
        if (!before.equals(active.stream().map(ActiveOffer::getCouponId).toList())) {
            out.collect(new ActiveOffers(customer, active, now));
        }
    }

    /**
     * Takes the offers on the withdrawn channel (every channel when it names none) out of the
     * active set; whether any was there. A grant changes nothing here: offers decided later pass
     * the trigger stage's consent check.
     */
    static boolean withdraw(OfferLedgerState s, ConsentEvent consent) {
        if (consent.getPurpose() != ConsentPurpose.MARKETING || consent.getGranted()) {
            return false;
        }
        boolean changed = false;
        for (IssuedOffer o : s.getOffers()) {
            OfferDecision d = o.getDecision();
            if (d.getOutcome() == OfferOutcome.SENT
                    && !o.getWithdrawn()
                    && (consent.getChannel() == null || consent.getChannel() == d.getChannel())) {
                o.setWithdrawn(true);
                changed = true;
            }
        }
        return changed;
    }

    private static boolean isActive(IssuedOffer o, long now) {
        return o.getDecision().getOutcome() == OfferOutcome.SENT
                && !o.getWithdrawn()
                && !o.getRedeemed()
                && o.getDecision().getExpiresAt() > now;
    }

    private static List<String> activeIds(OfferLedgerState s, long now) {
        List<String> ids = new ArrayList<>();
        for (IssuedOffer o : sortedByExpiry(s)) {
            if (isActive(o, now)) {
                ids.add(o.getDecision().getDecisionId());
            }
        }
        return ids;
    }

    private static List<IssuedOffer> sortedByExpiry(OfferLedgerState s) {
        List<IssuedOffer> sorted = new ArrayList<>(s.getOffers());
        sorted.sort(
                Comparator.comparingLong((IssuedOffer o) -> o.getDecision().getExpiresAt())
                        .thenComparing(o -> o.getDecision().getDecisionId()));
        return sorted;
    }

    /**
     * The snapshot this function last emitted for {@code customer}, as far as the ledger tells: the
     * offers active at {@code now} (the job's event-time clock), stamped with the last change of
     * the active set the ledger records, i.e. the newest issue of a SENT offer or expiry of an
     * unredeemed one, not after {@code now}. The ledger keeps no redemption time, so after a
     * redemption the stamp may be earlier than the one the job wrote; an offer issued behind the
     * watermark was stamped with the watermark. Used to rebuild Redis from a savepoint.
     */
    public static ActiveOffers lastSnapshot(String customer, OfferLedgerState s, long now) {
        long changed = 0;
        for (IssuedOffer o : s.getOffers()) {
            OfferDecision d = o.getDecision();
            if (d.getOutcome() != OfferOutcome.SENT) {
                continue; // a held-out decision never changes the active set
            }
            if (QuietHours.deliveredAt(d) <= now) {
                changed = Math.max(changed, QuietHours.deliveredAt(d));
            }
            if (!o.getRedeemed() && d.getExpiresAt() <= now) {
                changed = Math.max(changed, d.getExpiresAt());
            }
        }
        return new ActiveOffers(customer, active(s, now), changed == 0 ? now : changed);
    }

    /** The active offers, soonest expiry first. */
    static List<ActiveOffer> active(OfferLedgerState s, long now) {
        List<ActiveOffer> active = new ArrayList<>();
        for (IssuedOffer o : sortedByExpiry(s)) {
            if (!isActive(o, now)) {
                continue;
            }
            OfferDecision d = o.getDecision();
            Reward r = d.getReward();
            active.add(
                    ActiveOffer.newBuilder()
                            .setCouponId(d.getDecisionId())
                            .setCode(d.getCouponCode())
                            .setCampaignId(d.getCampaignId())
                            .setVariant(d.getVariant())
                            .setPercentOff(
                                    r.getType() == io.p13n.model.RewardType.PERCENT
                                            ? r.getValue()
                                            : null)
                            .setAmountOff(
                                    r.getType() == io.p13n.model.RewardType.AMOUNT
                                            ? r.getValue()
                                            : null)
                            .setMinSpend(r.getMinSpend() > 0 ? r.getMinSpend() : null)
                            .setMessage(r.getMessage())
                            .setExpiresAt(d.getExpiresAt())
                            .setReason(d.getReason())
                            .setChannel(d.getChannel())
                            .build());
        }
        return active;
    }

    static String arm(OfferDecision d) {
        if (d.getOutcome() != OfferOutcome.HELD_OUT) {
            return d.getVariant();
        }
        return d.getGlobalControl()
                ? VariantAssignment.GLOBAL_CONTROL_ARM
                : VariantAssignment.CONTROL_ARM;
    }

    private static CampaignStatsDelta delta(
            OfferDecision d,
            long sent,
            long heldOut,
            long redeemed,
            long converted,
            double revenue,
            double revenueSquares,
            double expectedShare,
            long at) {
        return CampaignStatsDelta.newBuilder()
                .setCampaignId(d.getCampaignId())
                .setArm(arm(d))
                .setSent(sent)
                .setHeldOut(heldOut)
                .setRedeemed(redeemed)
                .setConverted(converted)
                .setRevenue(revenue)
                .setRevenueSquares(revenueSquares)
                .setExpectedShare(expectedShare)
                .setEventTime(at)
                .build();
    }
}
