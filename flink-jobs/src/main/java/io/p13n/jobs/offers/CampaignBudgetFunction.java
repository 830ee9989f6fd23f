package io.p13n.jobs.offers;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.model.Budget;
import io.p13n.model.CampaignBudgetState;
import io.p13n.model.DayCount;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Enforces each campaign's budget on SENT offers, exactly (Flink state, checkpointed with the
 * input); keyed by campaign id. The budget travels in the decision ({@link
 * OfferDecision#getBudget}, as of the campaign version that issued it), so no campaign state is
 * needed here.
 *
 * <p>SENT decisions within the total and the per-day budget (UTC day of {@code issuedAt}) pass and
 * are counted; over-budget ones go to {@link OfferOutputTags#OVER_BUDGET} with outcome OVER_BUDGET.
 * HELD_OUT decisions pass uncounted: control customers never cost budget.
 *
 * <p>The trigger stage already consumed the customer's frequency cap and cooldown for an offer
 * dropped here: that customer gets nothing this cap period. That is the price of not having a cycle
 * in the graph (the budget is per campaign, the caps per customer, keyed differently).
 *
 * <p>State: one record per campaign; per-day counters keep only the last {@link
 * OfferSettings#BUDGET_DAYS_KEPT} days (a decision for an older day than that is checked against
 * the total only); expires after {@code offers.state-ttl} without a decision.
 */
public class CampaignBudgetFunction
        extends KeyedProcessFunction<String, OfferDecision, OfferDecision> {
    private static final long serialVersionUID = 1L;

    private final long stateTtlMillis;

    private transient ValueState<CampaignBudgetState> state;
    private transient Counter overBudget;

    public CampaignBudgetFunction(OfferSettings settings) {
        this.stateTtlMillis = settings.stateTtlMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<CampaignBudgetState> descriptor =
                new ValueStateDescriptor<>(
                        OfferStateDescriptors.BUDGET_STATE,
                        new AvroTypeInfo<>(CampaignBudgetState.class));
        descriptor.enableTimeToLive(KeyedStates.ttl(Duration.ofMillis(stateTtlMillis)));
        state = getRuntimeContext().getState(descriptor);
        overBudget =
                getRuntimeContext().getMetricGroup().addGroup("p13n").counter("offersOverBudget");
    }

    @Override
    public void processElement(OfferDecision decision, Context ctx, Collector<OfferDecision> out)
            throws Exception {
        if (decision.getOutcome() != OfferOutcome.SENT) {
            out.collect(decision);
            return;
        }
        CampaignBudgetState s = state.value();
        if (s == null) {
            s = new CampaignBudgetState(0L, new ArrayList<>());
        }
        int day = (int) Math.floorDiv(decision.getIssuedAt(), OfferSettings.DAY_MILLIS);
        String over = overBudget(s, decision.getBudget(), day);
        if (over != null) {
            overBudget.inc();
            OfferDecision dropped =
                    OfferDecision.newBuilder(decision)
                            .setOutcome(OfferOutcome.OVER_BUDGET)
                            .setReason(over + "; " + decision.getReason())
                            .build();
            ctx.output(OfferOutputTags.OVER_BUDGET, dropped);
            return;
        }
        count(s, day);
        state.update(s);
        out.collect(decision);
    }

    /** Why the budget refuses one more offer on {@code day}, or null. */
    static String overBudget(CampaignBudgetState s, Budget budget, int day) {
        if (budget == null) {
            return null;
        }
        if (budget.getTotal() != null && s.getTotal() >= budget.getTotal()) {
            return "budget: " + s.getTotal() + " of " + budget.getTotal() + " sent";
        }
        if (budget.getPerDay() != null) {
            long today = 0;
            for (DayCount d : s.getDays()) {
                if (d.getDay() == day) {
                    today = d.getCount();
                }
            }
            if (today >= budget.getPerDay()) {
                return "daily budget: "
                        + today
                        + " of "
                        + budget.getPerDay()
                        + " sent on day "
                        + java.time.LocalDate.ofEpochDay(day);
            }
        }
        return null;
    }

    static void count(CampaignBudgetState s, int day) {
        s.setTotal(s.getTotal() + 1);
        List<DayCount> days = new ArrayList<>(s.getDays());
        boolean found = false;
        for (DayCount d : days) {
            if (d.getDay() == day) {
                d.setCount(d.getCount() + 1);
                found = true;
            }
        }
        if (!found) {
            days.add(new DayCount(day, 1L));
        }
        days.sort((a, b) -> Integer.compare(b.getDay(), a.getDay())); // newest first
        int newest = days.get(0).getDay();
        days.removeIf(d -> d.getDay() <= newest - OfferSettings.BUDGET_DAYS_KEPT);
        s.setDays(days);
    }
}
