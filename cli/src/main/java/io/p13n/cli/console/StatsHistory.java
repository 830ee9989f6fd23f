package io.p13n.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.jobs.offers.CampaignStatsHistoryRedisMapper;
import io.p13n.jobs.offers.VariantAssignment;
import io.p13n.jobs.offers.stats.Comparison;
import io.p13n.jobs.offers.stats.ExperimentReport;
import io.p13n.jobs.offers.stats.ExperimentStatistics;
import io.p13n.model.ArmStats;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's results over time for the campaign page's charts, from the hourly snapshots the
 * engine keeps ({@link CampaignStatsHistoryRedisMapper}): per snapshot each arm's cumulative
 * conversions, and each variant's lift over control with its interval, computed by the same {@link
 * ExperimentStatistics} as {@code campaign stats} from the snapshot's totals.
 */
final class StatsHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One snapshot: its hour, conversions by arm, and lift [lower, estimate, upper] by variant. */
    record Point(String at, Map<String, Long> converted, Map<String, double[]> lift) {}

    private StatsHistory() {}

    /** The snapshots of a history hash, oldest first; stale ring slots dropped. */
    static List<Point> points(Map<String, String> history, ExperimentStatistics statistics) {
        List<JsonNode> snapshots = new ArrayList<>();
        for (String value : history.values()) {
            try {
                snapshots.add(JSON.readTree(value));
            } catch (IOException e) {
                // not a snapshot the engine wrote: skipped, the others still chart
            }
        }
        snapshots.sort(Comparator.comparing(n -> Instant.parse(n.path("at").asText())));
        if (!snapshots.isEmpty()) {
            // A ring slot not rewritten for SLOTS hours still holds an old hour: keep the newest's.
            Instant newest = Instant.parse(snapshots.get(snapshots.size() - 1).path("at").asText());
            Instant oldest =
                    newest.minusSeconds(3600L * (CampaignStatsHistoryRedisMapper.SLOTS - 1));
            snapshots.removeIf(n -> Instant.parse(n.path("at").asText()).isBefore(oldest));
        }
        List<Point> points = new ArrayList<>();
        for (JsonNode snapshot : snapshots) {
            List<ArmStats> arms = new ArrayList<>();
            Map<String, Long> converted = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.path("arms").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode a = e.getValue();
                arms.add(
                        new ArmStats(
                                e.getKey(),
                                a.path("sent").asLong(),
                                a.path("heldOut").asLong(),
                                a.path("redeemed").asLong(),
                                a.path("converted").asLong(),
                                a.path("revenue").asDouble(),
                                a.path("revenueSquares").asDouble(),
                                a.path("expectedShare").asDouble()));
                converted.put(e.getKey(), a.path("converted").asLong());
            }
            ExperimentReport report = statistics.report(arms, VariantAssignment.CONTROL_ARM);
            Map<String, double[]> lift = new LinkedHashMap<>();
            for (Comparison c : report.comparisons()) {
                lift.put(
                        c.arm(),
                        new double[] {c.lift().lower(), c.lift().estimate(), c.lift().upper()});
            }
            points.add(new Point(snapshot.path("at").asText(), converted, lift));
        }
        return points;
    }
}
