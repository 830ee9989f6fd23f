package io.p13n.jobs.offers;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.Budget;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignBudgetState;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferOutcome;
import io.p13n.model.TriggerType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CampaignBudgetFunctionTest {
    private static final long DAY = Duration.ofDays(1).toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, OfferDecision, OfferDecision> harness;
    private int customers;

    @BeforeEach
    void start() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new CampaignBudgetFunction(TestOffers.settings()),
                        OfferDecision::getCampaignId,
                        Types.STRING);
        harness.open();
    }

    /** A decision of a campaign with this budget, for a new customer, at T0 + {@code day} days. */
    static OfferDecision decision(Budget budget, OfferOutcome outcome, double day, int customer) {
        Campaign c =
                TestOffers.campaign("camp", TriggerType.CART_ABANDONED).setBudget(budget).build();
        long at = T0.toEpochMilli() + (long) (day * DAY);
        OfferDecision d =
                OfferTriggerFunction.decision(
                        "c" + customer,
                        c,
                        new OfferTriggerFunction.Moment(
                                TriggerType.CART_ABANDONED, at, "test", null));
        d.setOutcome(outcome);
        return d;
    }

    private void send(Budget budget, OfferOutcome outcome, double day) throws Exception {
        OfferDecision d = decision(budget, outcome, day, customers++);
        harness.processElement(new StreamRecord<>(d, d.getIssuedAt()));
    }

    private List<OfferDecision> overBudget() {
        var queue = harness.getSideOutput(OfferOutputTags.OVER_BUDGET);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void shouldStopSendingAtTheTotalBudget() throws Exception {
        Budget total2 = new Budget(2L, null);
        send(total2, OfferOutcome.SENT, 0);
        send(total2, OfferOutcome.SENT, 1);
        send(total2, OfferOutcome.SENT, 2);

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(overBudget()).hasSize(1);
        assertThat(overBudget().get(0).getOutcome()).isEqualTo(OfferOutcome.OVER_BUDGET);
        assertThat(overBudget().get(0).getReason()).startsWith("budget: 2 of 2 sent");
    }

    @Test
    void shouldStopSendingAtTheDailyBudgetUntilTheNextUtcDay() throws Exception {
        Budget daily1 = new Budget(null, 1L);
        send(daily1, OfferOutcome.SENT, 0.0);
        send(daily1, OfferOutcome.SENT, 0.1); // T0 is 10:00 UTC: same day
        send(daily1, OfferOutcome.SENT, 1.0);

        assertThat(harness.extractOutputValues())
                .extracting(d -> (d.getIssuedAt() - T0.toEpochMilli()) / DAY)
                .containsExactly(0L, 1L);
        assertThat(overBudget()).hasSize(1);
        assertThat(overBudget().get(0).getReason()).startsWith("daily budget: 1 of 1");
    }

    @Test
    void shouldPassHeldOutDecisionsWithoutCostingBudget() throws Exception {
        Budget total1 = new Budget(1L, 1L);
        send(total1, OfferOutcome.HELD_OUT, 0);
        send(total1, OfferOutcome.HELD_OUT, 0);
        send(total1, OfferOutcome.SENT, 0);

        assertThat(harness.extractOutputValues())
                .extracting(OfferDecision::getOutcome)
                .containsExactly(OfferOutcome.HELD_OUT, OfferOutcome.HELD_OUT, OfferOutcome.SENT);
        assertThat(overBudget()).isEmpty();
    }

    @Test
    void shouldCountWithoutLimitWhenThereIsNoBudget() throws Exception {
        for (int i = 0; i < 50; i++) {
            send(new Budget(null, null), OfferOutcome.SENT, 0);
        }
        assertThat(harness.extractOutputValues()).hasSize(50);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void shouldKeepOnlyTheLastFewDaysOfCounters() {
        CampaignBudgetState s = new CampaignBudgetState(0L, new ArrayList<>());
        for (int day = 100; day < 130; day++) {
            CampaignBudgetFunction.count(s, day);
        }
        assertThat(s.getTotal()).isEqualTo(30);
        assertThat(s.getDays()).hasSize(OfferSettings.BUDGET_DAYS_KEPT);
        assertThat(s.getDays().get(0).getDay()).isEqualTo(129);
    }
}
