package io.p13n.jobs.offers;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.model.ArmStats;
import io.p13n.model.CampaignStats;
import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.CampaignStatsState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Running totals per campaign and arm; keyed by campaign id. Emits the campaign's {@link
 * CampaignStats} (every arm) after each delta.
 *
 * <p>Besides the arms, one campaign-level count: moments the campaign matched but the customer had
 * no marketing consent for its channel ({@code SUPPRESSED_CONSENT}, from {@link
 * OfferTriggerFunction}'s {@link OfferOutputTags#SUPPRESSED} side output). Consent is checked
 * before the control split, so those customers are in neither arm; their deltas carry no arm and
 * create none.
 *
 * <p>Metrics are operator-wide totals (counters offersSent/HeldOut/Redeemed/Converted and a gauge
 * of attributed revenue), not per campaign: campaigns are created at run time without limit and a
 * metric group lives as long as the operator, so per-campaign metrics would grow without bound in
 * every metrics backend. Per-campaign numbers are in Redis ({@link CampaignStatsRedisMapper}).
 *
 * <p>Per arm besides the counts: the sum of squared revenue per decision (for the variance of
 * revenue per customer) and the arm's designed share of decisions (for the sample-ratio check),
 * both carried by the deltas. The same function also keeps the global report ({@link
 * GlobalControlDeltas#GLOBAL_ID}): every campaign's decisions as two arms, treated and the global
 * control group. That key gets a delta for every decision and attribution of every campaign, so its
 * one subtask carries all of them; offers are orders of magnitude rarer than the events that drive
 * the engine, so it is not a bottleneck.
 *
 * <p>State: one record per campaign, one entry per arm (its variants plus control and global
 * control) and the campaign-level count; expires after {@code offers.state-ttl} without a delta.
 */
public class CampaignStatsFunction
        extends KeyedProcessFunction<String, CampaignStatsDelta, CampaignStats> {
    private static final long serialVersionUID = 1L;

    /** Arms kept per campaign: variants are few; a bound against a producer inventing names. */
    static final int MAX_ARMS = 32;

    private final long stateTtlMillis;

    private transient ValueState<CampaignStatsState> state;
    private transient Counter sent;
    private transient Counter heldOut;
    private transient Counter redeemed;
    private transient Counter converted;
    private transient double revenue;

    public CampaignStatsFunction(OfferSettings settings) {
        this.stateTtlMillis = settings.stateTtlMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<CampaignStatsState> descriptor =
                new ValueStateDescriptor<>(
                        OfferStateDescriptors.STATS_STATE,
                        new AvroTypeInfo<>(CampaignStatsState.class));
        descriptor.enableTimeToLive(KeyedStates.ttl(Duration.ofMillis(stateTtlMillis)));
        state = getRuntimeContext().getState(descriptor);
        var group = getRuntimeContext().getMetricGroup().addGroup("p13n");
        sent = group.counter("campaignOffersSent");
        heldOut = group.counter("campaignOffersHeldOut");
        redeemed = group.counter("campaignOffersRedeemed");
        converted = group.counter("campaignOffersConverted");
        group.gauge("campaignRevenueAttributed", (Gauge<Double>) () -> revenue);
    }

    @Override
    public void processElement(CampaignStatsDelta delta, Context ctx, Collector<CampaignStats> out)
            throws Exception {
        CampaignStatsState s = state.value();
        if (s == null) {
            s = new CampaignStatsState(new ArrayList<>(), 0L, 0L);
        }
        if (!add(s, delta)) {
            return;
        }
        s.setUpdatedAt(Math.max(s.getUpdatedAt(), delta.getEventTime()));
        state.update(s);
        sent.inc(delta.getSent());
        heldOut.inc(delta.getHeldOut());
        redeemed.inc(delta.getRedeemed());
        converted.inc(delta.getConverted());
        revenue += delta.getRevenue();
        List<ArmStats> arms = new ArrayList<>(s.getArms().size());
        for (ArmStats a : s.getArms()) {
            arms.add(
                    ArmStats.newBuilder(a).build()); // a copy: downstream must not see state mutate
        }
        out.collect(
                new CampaignStats(
                        ctx.getCurrentKey(), arms, s.getUpdatedAt(), s.getSuppressedForConsent()));
    }

    /**
     * Adds the delta: its campaign-level count to the campaign, its arm counts (when it names an
     * arm) to that arm. False when nothing changed: no campaign-level count and the arm is new with
     * the bound reached.
     */
    static boolean add(CampaignStatsState s, CampaignStatsDelta d) {
        s.setSuppressedForConsent(s.getSuppressedForConsent() + d.getSuppressedForConsent());
        if (d.getArm() == null) {
            return true;
        }
        ArmStats arm = null;
        for (ArmStats a : s.getArms()) {
            if (a.getArm().equals(d.getArm())) {
                arm = a;
            }
        }
        if (arm == null) {
            if (s.getArms().size() >= MAX_ARMS) {
                return d.getSuppressedForConsent() != 0;
            }
            arm = new ArmStats(d.getArm(), 0L, 0L, 0L, 0L, 0.0, 0.0, 0.0);
            List<ArmStats> arms = new ArrayList<>(s.getArms());
            arms.add(arm);
            arms.sort(java.util.Comparator.comparing(ArmStats::getArm));
            s.setArms(arms);
        }
        arm.setSent(arm.getSent() + d.getSent());
        arm.setHeldOut(arm.getHeldOut() + d.getHeldOut());
        arm.setRedeemed(arm.getRedeemed() + d.getRedeemed());
        arm.setConverted(arm.getConverted() + d.getConverted());
        arm.setRevenue(arm.getRevenue() + d.getRevenue());
        arm.setRevenueSquares(arm.getRevenueSquares() + d.getRevenueSquares());
        if (d.getExpectedShare() > 0) {
            // the latest design wins: a campaign's new version may change its variant weights
            arm.setExpectedShare(d.getExpectedShare());
        }
        return true;
    }
}
