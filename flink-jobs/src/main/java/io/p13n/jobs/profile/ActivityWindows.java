package io.p13n.jobs.profile;

import io.p13n.model.CustomerProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Recent activity as daily buckets: a ring of {@value #DAYS} days by {@link Metric}, in the
 * profile. Exact counts for any window up to 30 days (1, 7, 30 are served), in {@code 30 × 4} small
 * ints (about 120 bytes as Avro varints) instead of an unbounded list of events. Events older than
 * the ring are not counted in windows (they still count in lifetime totals).
 */
public final class ActivityWindows {
    /** Days kept: the longest window served. */
    public static final int DAYS = 30;

    /** What is counted per day. */
    public enum Metric {
        SESSIONS,
        PRODUCT_VIEWS,
        SEARCHES,
        CART_ADDS
    }

    private static final int METRICS = Metric.values().length;

    private ActivityWindows() {}

    /** Counts one occurrence of {@code metric} on {@code day} (UTC epoch day). */
    public static void increment(CustomerProfile profile, Metric metric, long day) {
        List<Integer> ring = ring(profile);
        long newest = profile.getActivityDay();
        if (newest < 0) {
            newest = day;
            profile.setActivityDay(day);
        } else if (day > newest) {
            // Clear the slots of the days the ring moves over (at most all of them).
            for (long d = newest + 1; d <= Math.min(day, newest + DAYS); d++) {
                int base = slot(d);
                for (int m = 0; m < METRICS; m++) {
                    ring.set(base + m, 0);
                }
            }
            newest = day;
            profile.setActivityDay(day);
        }
        if (day <= newest - DAYS) {
            return; // older than the ring
        }
        int index = slot(day) + metric.ordinal();
        ring.set(index, ring.get(index) + 1);
    }

    /**
     * Adds every count of {@code other}'s ring into {@code profile}'s, day by day (an identity
     * merge): days older than either ring's reach are dropped, as {@link #increment} drops them.
     */
    public static void merge(CustomerProfile profile, CustomerProfile other) {
        long newest = other.getActivityDay();
        List<Integer> ring = other.getDailyActivity();
        if (newest < 0 || ring.size() != DAYS * METRICS) {
            return;
        }
        for (long day = newest - DAYS + 1; day <= newest; day++) {
            for (Metric metric : Metric.values()) {
                int count = ring.get(slot(day) + metric.ordinal());
                if (count != 0) {
                    add(profile, metric, day, count);
                }
            }
        }
    }

    /**
     * Adds {@code delta} (negative to take back, never below zero) to {@code metric} on {@code
     * day}.
     */
    public static void add(CustomerProfile profile, Metric metric, long day, int delta) {
        if (delta > 0) {
            increment(profile, metric, day); // moves the ring forward if the day is new
            delta--;
        }
        long newest = profile.getActivityDay();
        List<Integer> ring = profile.getDailyActivity();
        if (newest < 0 || ring.size() != DAYS * METRICS || day <= newest - DAYS || day > newest) {
            return;
        }
        List<Integer> out = ring instanceof ArrayList ? ring : new ArrayList<>(ring);
        int index = slot(day) + metric.ordinal();
        out.set(index, Math.max(0, out.get(index) + delta));
        profile.setDailyActivity(out);
    }

    /** Occurrences of {@code metric} in the {@code days} days ending with {@code asOfDay}. */
    public static int count(CustomerProfile profile, Metric metric, long asOfDay, int days) {
        long newest = profile.getActivityDay();
        List<Integer> ring = profile.getDailyActivity();
        if (newest < 0 || ring.size() != DAYS * METRICS) {
            return 0;
        }
        long from = Math.max(asOfDay - days + 1, newest - DAYS + 1);
        long to = Math.min(asOfDay, newest);
        int sum = 0;
        for (long d = from; d <= to; d++) {
            sum += ring.get(slot(d) + metric.ordinal());
        }
        return sum;
    }

    private static int slot(long day) {
        return (int) Math.floorMod(day, (long) DAYS) * METRICS;
    }

    private static List<Integer> ring(CustomerProfile profile) {
        List<Integer> ring = profile.getDailyActivity();
        if (ring.size() != DAYS * METRICS) {
            ring = new ArrayList<>(DAYS * METRICS);
            for (int i = 0; i < DAYS * METRICS; i++) {
                ring.add(0);
            }
            profile.setDailyActivity(ring);
            profile.setActivityDay(-1);
        } else if (!(ring instanceof ArrayList)) {
            ring = new ArrayList<>(ring); // Avro may hand back an unmodifiable or generic array
            profile.setDailyActivity(ring);
        }
        return ring;
    }
}
