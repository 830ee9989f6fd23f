package io.p13n.jobs.offers.stats;

import io.p13n.model.ArmStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the totals back from a campaign's stats hash (as {@code CampaignStatsRedisMapper} writes
 * it), so a reader (the CLI, the console) can recompute or re-check every statistic with {@link
 * ExperimentStatistics} from exactly the counts the engine wrote.
 *
 * <p>Per arm {@code ARM.sent}, {@code ARM.heldOut}, {@code ARM.redeemed}, {@code ARM.converted},
 * {@code ARM.revenue}, {@code ARM.revenueSquares}, {@code ARM.expectedShare}; a missing number (a
 * hash written before it was recorded) reads as 0. Every arm has {@code ARM.sent}.
 */
public final class StatsHash {
    private StatsHash() {}

    /** The arms of the hash, sorted by name. */
    public static List<ArmStats> arms(Map<String, String> hash) {
        Map<String, ArmStats> byName = new TreeMap<>();
        for (String field : hash.keySet()) {
            String arm = armOf(field);
            if (arm != null && !byName.containsKey(arm)) {
                byName.put(
                        arm,
                        new ArmStats(
                                arm,
                                whole(hash, arm + ".sent"),
                                whole(hash, arm + ".heldOut"),
                                whole(hash, arm + ".redeemed"),
                                whole(hash, arm + ".converted"),
                                decimal(hash, arm + ".revenue"),
                                decimal(hash, arm + ".revenueSquares"),
                                decimal(hash, arm + ".expectedShare")));
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** The arm a field's name is a count of ({@code ARM.sent} or {@code ARM.heldOut}), or null. */
    private static String armOf(String field) {
        for (String count : new String[] {".sent", ".heldOut"}) {
            if (field.endsWith(count) && field.length() > count.length()) {
                return field.substring(0, field.length() - count.length());
            }
        }
        return null;
    }

    private static long whole(Map<String, String> hash, String field) {
        String v = hash.get(field);
        return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }

    private static double decimal(Map<String, String> hash, String field) {
        String v = hash.get(field);
        return v == null || v.isEmpty() ? 0 : Double.parseDouble(v);
    }
}
