package io.p13n.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.jobs.offers.stats.ExperimentStatistics;
import io.p13n.jobs.offers.stats.StatsHash;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ArmStats;
import io.p13n.model.CampaignStats;
import io.p13n.model.CampaignStatsDelta;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

/** The statistics fields of the stats hash, the global report's key, and the hourly history. */
class CampaignStatsRedisMappersTest {
    private static final RedisKeys KEYS = new RedisKeys("p13n");
    private static final long HOUR = 3_600_000L;

    private static CampaignStats stats(String id, long updatedAt, ArmStats... arms) {
        return new CampaignStats(id, List.of(arms), updatedAt, 0L);
    }

    @Test
    void theStatsHashCarriesEveryStatisticAndTheTotalsTheyAreComputedFrom() {
        CampaignStats s =
                stats(
                        "spring",
                        1_700_000_000_000L,
                        new ArmStats("A", 2000L, 0L, 150L, 180L, 9000.0, 900000.0, 0.4275),
                        new ArmStats("control", 0L, 2000L, 0L, 100L, 4000.0, 400000.0, 0.095));
        RedisHashWrite w = new CampaignStatsRedisMapper(KEYS, Duration.ofDays(90)).toHashWrite(s);
        Map<String, String> f = w.fields();

        assertThat(f)
                .containsEntry("A.exposed", "2000")
                .containsEntry("A.conversionRate", "0.0900")
                .containsEntry("A.revenueSquares", "900000.0000")
                .containsEntry("A.expectedShare", "0.4275")
                .containsEntry("A.decision", "BETTER")
                .containsEntry("A.verdict", "variant A better than control (95 %)")
                .containsEntry("A.lift", "0.8000")
                .containsEntry("control.conversionRate", "0.0500")
                .containsEntry("control.redemptionRate", "")
                .containsEntry("srmFlag", "true")
                .containsEntry("confidence", "0.95")
                .doesNotContainKey("control.lift");
        assertThat(Double.parseDouble(f.get("A.pValue"))).isLessThan(0.05);
        assertThat(Double.parseDouble(f.get("A.conversionLower"))).isLessThan(0.09);
        assertThat(Double.parseDouble(f.get("A.conversionUpper"))).isGreaterThan(0.09);
        // every statistic is reproducible from the totals the hash holds
        assertThat(f)
                .containsAllEntriesOf(
                        CampaignStatsRedisMapper.statisticsFields(
                                new ExperimentStatistics(), StatsHash.arms(f), "control"));
        assertThat(f.keySet())
                .as("campaign-level fields have no dot; arm fields start with an arm")
                .allMatch(k -> !k.contains(".") || k.startsWith("A.") || k.startsWith("control."));
    }

    @Test
    void theGlobalReportHasItsOwnKeyAndTheGlobalControlGroupAsBaseline() {
        CampaignStats s =
                stats(
                        GlobalControlDeltas.GLOBAL_ID,
                        1_700_000_000_000L,
                        new ArmStats("global-control", 0L, 500L, 0L, 25L, 0.0, 0.0, 0.05),
                        new ArmStats("treated", 8550L, 0L, 0L, 900L, 0.0, 0.0, 0.855));
        RedisHashWrite w = new CampaignStatsRedisMapper(KEYS, Duration.ofDays(90)).toHashWrite(s);

        assertThat(w.key()).isEqualTo("p13n:global-control:stats");
        assertThat(w.fields())
                .containsEntry("treated.decision", "BETTER")
                .containsEntry(
                        "treated.verdict",
                        "treated customers better than the global control group (95 %)")
                .doesNotContainKey("global-control.decision")
                .containsEntry("srmFlag", "false");
    }

    @Test
    void globalDeltasPutSentDecisionsInTreatedAndSkipCampaignControls() {
        GlobalControlDeltas global =
                new GlobalControlDeltas(
                        io.p13n.jobs.testing.TestOffers.settings(
                                Map.of(
                                        "offers.global-control.share", "0.05",
                                        "offers.control-group.share", "0.1")));
        List<CampaignStatsDelta> out = new ArrayList<>();
        ListCollector<CampaignStatsDelta> collector = new ListCollector<>(out);
        global.flatMap(delta("x", "A", 1, 0, 0), collector);
        global.flatMap(delta("y", "control", 0, 1, 0), collector);
        global.flatMap(delta("y", "global-control", 0, 1, 0), collector);
        global.flatMap(delta("x", "A", 0, 0, 1), collector);

        assertThat(out)
                .extracting(
                        d ->
                                d.getCampaignId()
                                        + ":"
                                        + d.getArm()
                                        + ":"
                                        + d.getSent()
                                        + d.getHeldOut()
                                        + d.getConverted()
                                        + ":"
                                        + d.getExpectedShare())
                .containsExactly(
                        "@global:treated:100:" + (0.95 * 0.9),
                        "@global:global-control:010:0.05",
                        "@global:treated:001:0.0");
    }

    private static CampaignStatsDelta delta(
            String campaign, String arm, long sent, long heldOut, long converted) {
        return CampaignStatsDelta.newBuilder()
                .setCampaignId(campaign)
                .setArm(arm)
                .setSent(sent)
                .setHeldOut(heldOut)
                .setConverted(converted)
                .setExpectedShare(sent + heldOut > 0 ? 0.5 : 0)
                .build();
    }

    @Test
    void historyKeepsOneSnapshotPerHourInAFixedRingOf720Slots() throws Exception {
        var mapper = new CampaignStatsHistoryRedisMapper(KEYS, Duration.ofDays(90));
        long t = Instant.parse("2026-12-07T13:25:00Z").toEpochMilli();
        RedisHashWrite now =
                mapper.toHashWrite(
                        stats("spring", t, new ArmStats("A", 5L, 0L, 1L, 2L, 10.5, 60.25, 0.9)));
        RedisHashWrite sameHour =
                mapper.toHashWrite(
                        stats(
                                "spring",
                                t + 30 * 60_000L,
                                new ArmStats("A", 6L, 0L, 1L, 2L, 10.5, 60.25, 0.9)));
        RedisHashWrite thirtyDaysLater = mapper.toHashWrite(stats("spring", t + 720 * HOUR));

        assertThat(now.key()).isEqualTo("p13n:campaign:{spring}:stats-history");
        assertThat(now.fields()).hasSize(1);
        String slot = now.fields().keySet().iterator().next();
        assertThat(Integer.parseInt(slot)).isBetween(0, 719);
        assertThat(sameHour.fields()).containsOnlyKeys(slot);
        assertThat(thirtyDaysLater.fields())
                .as("720 hours on, the same slot is overwritten: the hash never grows past 720")
                .containsOnlyKeys(slot);
        JsonNode json = new ObjectMapper().readTree(now.fields().get(slot));
        assertThat(json.get("at").asText()).isEqualTo("2026-12-07T13:00:00Z");
        assertThat(json.get("arms").get("A").get("sent").asLong()).isEqualTo(5);
        assertThat(json.get("arms").get("A").get("revenueSquares").asDouble()).isEqualTo(60.25);
        assertThat(mapper.toHashWrite(stats(GlobalControlDeltas.GLOBAL_ID, t)).key())
                .isEqualTo("p13n:global-control:stats-history");
    }
}
