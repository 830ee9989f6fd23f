package io.p13n.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.ArmStats;
import io.p13n.model.Budget;
import io.p13n.model.CampaignStats;
import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.CampaignStatsState;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CampaignStatsFunctionTest {
    private KeyedOneInputStreamOperatorTestHarness<String, CampaignStatsDelta, CampaignStats>
            harness;

    @BeforeEach
    void start() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new CampaignStatsFunction(TestOffers.settings()),
                        CampaignStatsDelta::getCampaignId,
                        Types.STRING);
        harness.open();
    }

    private void send(
            String campaign,
            String arm,
            long sent,
            long heldOut,
            long redeemed,
            long converted,
            double revenue,
            long at)
            throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new CampaignStatsDelta(
                                campaign, arm, sent, heldOut, redeemed, converted, revenue, 0.0,
                                0.0, at, 0L),
                        at));
    }

    /**
     * A decision of the trigger stage's SUPPRESSED side output, through the job's own mapping to
     * the stats stage ({@link OfferInputs#consentSuppressed}).
     */
    private void suppressed(String campaign, OfferOutcome outcome, long at) throws Exception {
        OfferDecision d =
                CampaignBudgetFunctionTest.decision(
                        new Budget(null, null), outcome, 0, customers++);
        d.setCampaignId(campaign);
        d.setIssuedAt(at);
        List<CampaignStatsDelta> deltas = new ArrayList<>();
        OfferInputs.consentSuppressed(d, new ListCollector<>(deltas));
        for (CampaignStatsDelta delta : deltas) {
            harness.processElement(new StreamRecord<>(delta, at));
        }
    }

    private int customers;

    private static String totals(ArmStats a) {
        return a.getArm()
                + ":"
                + a.getSent()
                + ":"
                + a.getHeldOut()
                + ":"
                + a.getRedeemed()
                + ":"
                + a.getConverted()
                + ":"
                + a.getRevenue();
    }

    @Test
    void shouldKeepRunningTotalsPerArm() throws Exception {
        send("x", "A", 1, 0, 0, 0, 0, 10);
        send("x", "A", 1, 0, 0, 0, 0, 20);
        send("x", "control", 0, 1, 0, 0, 0, 30);
        send("x", "A", 0, 0, 1, 1, 50.5, 40);
        send("x", "control", 0, 0, 0, 1, 20, 50);
        send("y", "B", 1, 0, 0, 0, 0, 60);

        List<CampaignStats> out = harness.extractOutputValues();
        assertThat(out).as("one snapshot per delta").hasSize(6);
        CampaignStats x = out.get(4);
        assertThat(x.getCampaignId()).isEqualTo("x");
        assertThat(x.getUpdatedAt()).isEqualTo(50);
        assertThat(x.getArms())
                .extracting(
                        a ->
                                a.getArm()
                                        + ":"
                                        + a.getSent()
                                        + ":"
                                        + a.getHeldOut()
                                        + ":"
                                        + a.getRedeemed()
                                        + ":"
                                        + a.getConverted()
                                        + ":"
                                        + a.getRevenue())
                .containsExactly("A:2:0:1:1:50.5", "control:0:1:0:1:20.0");
        assertThat(out.get(5).getArms()).extracting(ArmStats::getArm).containsExactly("B");
        assertThat(out.get(0).getArms().get(0).getSent())
                .as("earlier snapshots are copies, not state")
                .isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void shouldCountConsentSuppressedMomentsForTheCampaignInNeitherArm() throws Exception {
        // What the ledger counts: two offers sent in arm A, one held out, a redemption.
        send("x", "A", 1, 0, 0, 0, 0, 10);
        send("x", "A", 1, 0, 0, 0, 0, 20);
        send("x", "control", 0, 1, 0, 0, 0, 30);
        // What the trigger stage stopped: two moments without consent, one by the frequency cap.
        suppressed("x", OfferOutcome.SUPPRESSED_CONSENT, 40);
        suppressed("x", OfferOutcome.SUPPRESSED, 45);
        suppressed("x", OfferOutcome.SUPPRESSED_CONSENT, 50);
        suppressed("y", OfferOutcome.SUPPRESSED_CONSENT, 55);
        send("x", "A", 0, 0, 1, 1, 12.5, 60);

        List<CampaignStats> out = harness.extractOutputValues();
        assertThat(out)
                .as("one snapshot per delta; a cap-suppressed moment makes none")
                .extracting(CampaignStats::getSuppressedForConsent)
                .containsExactly(0L, 0L, 0L, 1L, 2L, 1L, 2L);
        CampaignStats x = out.get(6);
        assertThat(x.getCampaignId()).isEqualTo("x");
        assertThat(x.getArms())
                .as("the consent-suppressed customers are in neither arm, and make no arm")
                .extracting(CampaignStatsFunctionTest::totals)
                .containsExactly("A:2:0:1:1:12.5", "control:0:1:0:0:0.0");
        assertThat(x.getSuppressedForConsent()).isEqualTo(2);
        assertThat(x.getUpdatedAt()).isEqualTo(60);
        CampaignStats y = out.get(5);
        assertThat(y.getCampaignId()).isEqualTo("y");
        assertThat(y.getArms()).isEmpty();
        assertThat(y.getSuppressedForConsent()).isEqualTo(1);
        assertThat(y.getUpdatedAt()).isEqualTo(55);
    }

    @Test
    void shouldCountAConsentSuppressedMomentWhenTheArmsAreFull() {
        CampaignStatsState s = new CampaignStatsState(new ArrayList<>(), 0L, 0L);
        for (int i = 0; i < CampaignStatsFunction.MAX_ARMS; i++) {
            assertThat(
                            CampaignStatsFunction.add(
                                    s,
                                    CampaignStatsDelta.newBuilder()
                                            .setCampaignId("x")
                                            .setArm(String.format("v%02d", i))
                                            .setSent(1L)
                                            .build()))
                    .isTrue();
        }
        CampaignStatsDelta oneArmTooMany =
                CampaignStatsDelta.newBuilder()
                        .setCampaignId("x")
                        .setArm("extra")
                        .setSent(1L)
                        .build();
        CampaignStatsDelta consent =
                CampaignStatsDelta.newBuilder()
                        .setCampaignId("x")
                        .setSuppressedForConsent(1L)
                        .build();

        assertThat(CampaignStatsFunction.add(s, oneArmTooMany)).isFalse();
        assertThat(CampaignStatsFunction.add(s, consent)).isTrue();
        assertThat(s.getArms()).hasSize(CampaignStatsFunction.MAX_ARMS);
        assertThat(s.getSuppressedForConsent()).isEqualTo(1);
    }

    @Test
    void redisMapperShouldWriteOneHashPerCampaign() {
        CampaignStats stats =
                new CampaignStats(
                        "spring-sale",
                        List.of(
                                new ArmStats("A", 10L, 0L, 3L, 4L, 123.456, 0.0, 0.0),
                                new ArmStats("control", 0L, 2L, 0L, 1L, 10.0, 0.0, 0.0)),
                        1_700_000_000_000L,
                        7L);
        RedisHashWrite w =
                new CampaignStatsRedisMapper(new RedisKeys("p13n"), Duration.ofDays(90))
                        .toHashWrite(stats);

        assertThat(w.key()).isEqualTo("p13n:campaign:{spring-sale}:stats");
        assertThat(w.ttlMillis()).isEqualTo(Duration.ofDays(90).toMillis());
        assertThat(w.fields())
                .containsEntry("A.sent", "10")
                .containsEntry("A.redeemed", "3")
                .containsEntry("A.converted", "4")
                .containsEntry("A.revenue", "123.46")
                .containsEntry("control.heldOut", "2")
                .containsEntry("control.converted", "1")
                .containsEntry("suppressedForConsent", "7")
                .containsEntry("updatedAt", "2023-11-14T22:13:20Z");
    }
}
