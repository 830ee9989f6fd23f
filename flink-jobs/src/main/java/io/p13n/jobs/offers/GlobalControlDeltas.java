package io.p13n.jobs.offers;

import io.p13n.model.CampaignStatsDelta;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The global control group's report, as one more "campaign" for {@link CampaignStatsFunction}:
 * every campaign's stats delta again, under {@link #GLOBAL_ID}, in one of two arms: {@value
 * VariantAssignment#TREATED_ARM} (decisions sent, any campaign and variant) or {@value
 * VariantAssignment#GLOBAL_CONTROL_ARM} (held out by the global control group). Decisions held out
 * by a campaign's own control group are in neither: those customers were not held out of marketing,
 * only of one offer. So the report compares, moment for moment, customers who got the offer with
 * customers who get no marketing at all: what all campaigns together add.
 *
 * <p>Designed shares for the sample-ratio check: treated (1 - g)(1 - c), global control g (g, c:
 * the global and campaign control shares); the check renormalises over the two.
 */
public final class GlobalControlDeltas
        implements FlatMapFunction<CampaignStatsDelta, CampaignStatsDelta> {
    private static final long serialVersionUID = 1L;

    /**
     * The stats key of the global report. Not a valid campaign id ({@link Campaigns} allows
     * letters, digits, '.', '_' and '-'), so no campaign can collide with it.
     */
    public static final String GLOBAL_ID = "@global";

    private final double treatedShare;
    private final double globalShare;

    public GlobalControlDeltas(OfferSettings settings) {
        this.globalShare = settings.globalControlShare();
        this.treatedShare = (1 - settings.globalControlShare()) * (1 - settings.controlShare());
    }

    @Override
    public void flatMap(CampaignStatsDelta d, Collector<CampaignStatsDelta> out) {
        if (d.getArm() == null || d.getArm().equals(VariantAssignment.CONTROL_ARM)) {
            return;
        }
        boolean global = d.getArm().equals(VariantAssignment.GLOBAL_CONTROL_ARM);
        boolean decision = d.getSent() > 0 || d.getHeldOut() > 0;
        out.collect(
                CampaignStatsDelta.newBuilder(d)
                        .setCampaignId(GLOBAL_ID)
                        .setArm(
                                global
                                        ? VariantAssignment.GLOBAL_CONTROL_ARM
                                        : VariantAssignment.TREATED_ARM)
                        .setExpectedShare(decision ? (global ? globalShare : treatedShare) : 0)
                        .build());
    }
}
