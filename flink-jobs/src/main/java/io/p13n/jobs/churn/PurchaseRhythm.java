package io.p13n.jobs.churn;

import java.io.Serializable;
import java.util.OptionalDouble;

/**
 * One customer's purchase rhythm as the BG/NBD model sees it: the first and the last purchase day,
 * and how many distinct days had a purchase. The stream keeps one per customer and the offline fit
 * builds them the same way, so both see the same frequency, recency and age.
 *
 * <ul>
 *   <li>Days are UTC calendar days ({@code floorDiv(eventTimeMillis, 86_400_000)}); several orders
 *       on one day are one purchase, as in the BG/NBD literature.
 *   <li>{@link #frequency()} = distinct purchase days - 1 (repeat purchases, {@code x}); {@link
 *       #recencyWeeks()} = (last - first day) / 7 ({@code t_x}); {@link #ageWeeks(long)} = (today -
 *       first day) / 7 ({@code T}), all whole days divided by 7.
 * </ul>
 *
 * <p><b>Out-of-order purchases.</b> With only first, last and a count, a late purchase dated
 * strictly between first and last could be a new day or a day already counted. The rhythm therefore
 * also keeps a 64-bit bitmap of which of the 64 days up to and including the last purchase day had
 * a purchase. A purchase that is late by at most 63 days relative to the latest purchase day seen
 * is placed exactly. One that is older than that window and strictly between the first and the last
 * day is <i>counted as a new day</i> (it cannot be checked); the count is capped at the number of
 * days in the span, so it can never exceed what is possible. Trade-off chosen: 8 bytes per customer
 * make the count exact for everything except purchases arriving more than two months late, which
 * upstream de-duplication and event-time processing make rare; a purchase before the first day or
 * on the first day is always handled exactly.
 *
 * <p><b>Serialization.</b> A Flink POJO (public no-argument constructor, getters and setters for
 * its four fields), so {@code TypeInformation.of(PurchaseRhythm.class)} is a {@code PojoTypeInfo}
 * and its schema can evolve. To embed it in an Avro record instead, store the four fields {@code
 * firstDay} (int, days since 1970-01-01 UTC), {@code lastDay} (int), {@code purchaseDays} (int; 0 =
 * no purchase yet) and {@code recentDays} (long bitmap: bit {@code i} = a purchase on day {@code
 * lastDay - i}) and rebuild it with {@link #of(int, int, int, long)}. The setters exist for the
 * serializer; update the rhythm with {@link #onPurchase(long)}.
 *
 * <p>Not thread-safe (like all keyed state); no method allocates except {@link
 * #typicalIntervalDays()}.
 */
public final class PurchaseRhythm implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Milliseconds in a UTC day. */
    public static final long DAY_MILLIS = 86_400_000L;

    /** How many days up to the last purchase day the bitmap remembers exactly. */
    public static final int EXACT_WINDOW_DAYS = 64;

    private int firstDay;
    private int lastDay;
    private int purchaseDays;
    private long recentDays;

    /** No purchase yet. */
    public PurchaseRhythm() {}

    /**
     * Rebuilds a rhythm from its four stored fields (see the class comment).
     *
     * @throws IllegalArgumentException if the fields are inconsistent
     */
    public static PurchaseRhythm of(int firstDay, int lastDay, int purchaseDays, long recentDays) {
        if (purchaseDays < 0) {
            throw new IllegalArgumentException("purchaseDays must be >= 0, got " + purchaseDays);
        }
        if (purchaseDays > 0) {
            if (lastDay < firstDay) {
                throw new IllegalArgumentException(
                        "lastDay " + lastDay + " is before firstDay " + firstDay);
            }
            if (purchaseDays > (long) lastDay - firstDay + 1) {
                throw new IllegalArgumentException(
                        purchaseDays
                                + " purchase days do not fit between day "
                                + firstDay
                                + " and day "
                                + lastDay);
            }
        }
        PurchaseRhythm rhythm = new PurchaseRhythm();
        rhythm.firstDay = firstDay;
        rhythm.lastDay = lastDay;
        rhythm.purchaseDays = purchaseDays;
        rhythm.recentDays = purchaseDays == 0 ? 0L : recentDays;
        return rhythm;
    }

    /** The UTC day (days since 1970-01-01) of an epoch-millisecond instant. */
    public static int dayOf(long epochMillis) {
        return Math.toIntExact(Math.floorDiv(epochMillis, DAY_MILLIS));
    }

    /**
     * Records a placed order at this event time.
     *
     * @return whether the rhythm changed: {@code false} for a second purchase on an already counted
     *     day
     */
    public boolean onPurchase(long eventTimeMillis) {
        return onPurchaseDay(dayOf(eventTimeMillis));
    }

    /** {@link #onPurchase(long)} for a day number (days since 1970-01-01 UTC). */
    public boolean onPurchaseDay(int day) {
        if (purchaseDays == 0) {
            firstDay = day;
            lastDay = day;
            purchaseDays = 1;
            recentDays = 1L;
            return true;
        }
        if (day > lastDay) {
            long shift = (long) day - lastDay;
            recentDays = shift >= EXACT_WINDOW_DAYS ? 1L : (recentDays << shift) | 1L;
            lastDay = day;
            purchaseDays++;
            return true;
        }
        long offset = (long) lastDay - day;
        if (offset < EXACT_WINDOW_DAYS) {
            long bit = 1L << offset;
            if ((recentDays & bit) != 0) {
                return false;
            }
            recentDays |= bit;
        } else if (day == firstDay) {
            return false;
        }
        // Older than the window and after the first day: assumed to be a day not counted yet.
        if (day < firstDay) {
            firstDay = day;
        }
        long span = (long) lastDay - firstDay + 1;
        if (purchaseDays >= span) {
            return false; // every day of the span is already counted
        }
        purchaseDays++;
        return true;
    }

    /** Whether no purchase has been recorded yet. */
    public boolean isEmpty() {
        return purchaseDays == 0;
    }

    /** Repeat purchases {@code x}: distinct purchase days - 1; 0 when there is none. */
    public int frequency() {
        return purchaseDays == 0 ? 0 : purchaseDays - 1;
    }

    /** {@code t_x}: weeks from the first to the last purchase day; 0 when there is none. */
    public double recencyWeeks() {
        return purchaseDays == 0 ? 0.0 : (lastDay - firstDay) / 7.0;
    }

    /**
     * {@code T}: weeks from the first purchase day to the UTC day of {@code nowMillis}. A clock
     * behind the last purchase (out-of-order input) is treated as the last purchase day, so that
     * {@code T >= t_x} always holds.
     *
     * @throws IllegalStateException if there is no purchase yet
     */
    public double ageWeeks(long nowMillis) {
        if (purchaseDays == 0) {
            throw new IllegalStateException(
                    "no purchase yet: the age of a customer starts at the first purchase");
        }
        return (Math.max((long) dayOf(nowMillis), lastDay) - firstDay) / 7.0;
    }

    /**
     * The mean gap, in days, between consecutive distinct purchase days: (last - first day) /
     * (distinct days - 1); empty with fewer than two purchase days.
     */
    public OptionalDouble typicalIntervalDays() {
        return purchaseDays < 2
                ? OptionalDouble.empty()
                : OptionalDouble.of((double) (lastDay - firstDay) / (purchaseDays - 1));
    }

    public int getFirstDay() {
        return firstDay;
    }

    public void setFirstDay(int firstDay) {
        this.firstDay = firstDay;
    }

    public int getLastDay() {
        return lastDay;
    }

    public void setLastDay(int lastDay) {
        this.lastDay = lastDay;
    }

    /** Distinct purchase days (frequency + 1); 0 = no purchase yet. */
    public int getPurchaseDays() {
        return purchaseDays;
    }

    public void setPurchaseDays(int purchaseDays) {
        this.purchaseDays = purchaseDays;
    }

    /** Bit {@code i} set = a purchase on day {@code lastDay - i}, for {@code i < 64}. */
    public long getRecentDays() {
        return recentDays;
    }

    public void setRecentDays(long recentDays) {
        this.recentDays = recentDays;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PurchaseRhythm other
                && firstDay == other.firstDay
                && lastDay == other.lastDay
                && purchaseDays == other.purchaseDays
                && recentDays == other.recentDays;
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(firstDay);
        h = 31 * h + Integer.hashCode(lastDay);
        h = 31 * h + Integer.hashCode(purchaseDays);
        return 31 * h + Long.hashCode(recentDays);
    }

    @Override
    public String toString() {
        return purchaseDays == 0
                ? "PurchaseRhythm{no purchase}"
                : "PurchaseRhythm{firstDay="
                        + firstDay
                        + ", lastDay="
                        + lastDay
                        + ", purchaseDays="
                        + purchaseDays
                        + ", recentDays=0x"
                        + Long.toHexString(recentDays)
                        + "}";
    }
}
