package io.p13n.jobs.profile;

import io.p13n.model.CustomerProfile;
import io.p13n.model.LoyaltyTier;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Loyalty points and tier. Points: {@code floor(total × pointsPerUnit)} per placed order, the same
 * amount taken back on cancellation or refund (never below zero). Tier: rolling 12-month net spend
 * kept in 12 monthly buckets (a cancellation counts in the month it happens, which can shift a
 * month-end order by one bucket: the price of not storing every order).
 */
public final class Loyalty {
    static final int MONTHS = 12;

    private Loyalty() {}

    public static long pointsFor(double total, double pointsPerUnit) {
        return (long) Math.floor(total * pointsPerUnit);
    }

    /**
     * A placed order (sign +1) or a cancellation or refund (sign -1) of {@code total} at {@code
     * time}.
     */
    public static void apply(
            CustomerProfile profile, double total, int sign, long time, double pointsPerUnit) {
        profile.setPoints(
                Math.max(0, profile.getPoints() + sign * pointsFor(total, pointsPerUnit)));
        addSpend(profile, monthOf(time), sign * total);
    }

    /** Net spend in the 12 months ending with the month of {@code asOf}. */
    public static double rollingSpend(CustomerProfile profile, long asOf) {
        long newest = profile.getSpendMonth();
        List<Double> ring = profile.getMonthlySpend();
        if (newest < 0 || ring.size() != MONTHS) {
            return 0;
        }
        long asOfMonth = monthOf(asOf);
        double sum = 0;
        for (long m = Math.max(asOfMonth - MONTHS + 1, newest - MONTHS + 1);
                m <= Math.min(asOfMonth, newest);
                m++) {
            sum += ring.get((int) Math.floorMod(m, (long) MONTHS));
        }
        return sum;
    }

    public static LoyaltyTier tier(double rollingSpend, ProfileSettings settings) {
        if (rollingSpend >= settings.tierPlatinum()) {
            return LoyaltyTier.PLATINUM;
        }
        if (rollingSpend >= settings.tierGold()) {
            return LoyaltyTier.GOLD;
        }
        if (rollingSpend >= settings.tierSilver()) {
            return LoyaltyTier.SILVER;
        }
        return LoyaltyTier.BRONZE;
    }

    /**
     * The first instant at which spend at {@code epochMillis} no longer counts in the rolling year.
     */
    public static long endOfRollingYear(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        return t.withDayOfMonth(1)
                .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                .plusMonths(MONTHS)
                .toInstant()
                .toEpochMilli();
    }

    static long monthOf(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        return t.getYear() * 12L + (t.getMonthValue() - 1);
    }

    /**
     * Adds {@code other}'s monthly spend into {@code profile}'s ring, month by month (an identity
     * merge); months outside the rolling year of either ring are dropped.
     */
    static void mergeSpend(CustomerProfile profile, CustomerProfile other) {
        long newest = other.getSpendMonth();
        List<Double> ring = other.getMonthlySpend();
        if (newest < 0 || ring.size() != MONTHS) {
            return;
        }
        for (long m = newest - MONTHS + 1; m <= newest; m++) {
            double amount = ring.get((int) Math.floorMod(m, (long) MONTHS));
            if (amount != 0) {
                addSpend(profile, m, amount);
            }
        }
    }

    private static void addSpend(CustomerProfile profile, long month, double amount) {
        List<Double> ring = profile.getMonthlySpend();
        if (ring.size() != MONTHS || !(ring instanceof ArrayList)) {
            List<Double> fresh = new ArrayList<>(MONTHS);
            for (int i = 0; i < MONTHS; i++) {
                fresh.add(ring.size() == MONTHS ? ring.get(i) : 0.0);
            }
            ring = fresh;
            profile.setMonthlySpend(ring);
        }
        long newest = profile.getSpendMonth();
        if (newest < 0) {
            newest = month;
            profile.setSpendMonth(month);
        } else if (month > newest) {
            for (long m = newest + 1; m <= Math.min(month, newest + MONTHS); m++) {
                ring.set((int) Math.floorMod(m, (long) MONTHS), 0.0);
            }
            newest = month;
            profile.setSpendMonth(month);
        }
        if (month <= newest - MONTHS) {
            return; // outside the rolling year
        }
        int slot = (int) Math.floorMod(month, (long) MONTHS);
        ring.set(slot, ring.get(slot) + amount);
    }
}
