package io.p13n.jobs.recommend;

/**
 * Forward exponential decay (Cormode et al., "Forward Decay", ICDE 2009). A weight w observed at
 * time t is stored as w x 2^((t - L) / halfLife) against a landmark L held by the state. Every
 * stored value grows at the same rate, so adding to one entry is O(1), entries compare without
 * being decayed first (the ordering of a list never needs a rescan), and the value as of {@code
 * now} is the stored value x 2^(-(now - L) / halfLife). The stored values grow by 2 per half-life,
 * so the state moves its landmark forward ({@link #needsRenormalising}) long before a double
 * overflows.
 */
final class ForwardDecay {
    /**
     * Move the landmark once the newest weight is stored this many half-lives above it: 2^64 leaves
     * about 2^960 of headroom in a double for the weights themselves, and renormalising (an O(n)
     * pass over a bounded list) then happens once per 64 half-lives.
     */
    static final double MAX_EXPONENT = 64;

    private ForwardDecay() {}

    /** The factor that stores a weight seen at {@code time}. */
    static double grow(long time, long landmark, long halfLifeMillis) {
        return Math.pow(2, (double) (time - landmark) / halfLifeMillis);
    }

    /** The stored value as of {@code now}. */
    static double valueAt(double stored, long now, long landmark, long halfLifeMillis) {
        return stored * Math.pow(2, -(double) (now - landmark) / halfLifeMillis);
    }

    static boolean needsRenormalising(long time, long landmark, long halfLifeMillis) {
        return (double) (time - landmark) / halfLifeMillis > MAX_EXPONENT;
    }

    /**
     * Plain exponential decay of a value kept as of {@code from} to {@code to} (never grows it).
     */
    static double decay(double value, long from, long to, long halfLifeMillis) {
        return to <= from ? value : value * Math.pow(0.5, (double) (to - from) / halfLifeMillis);
    }
}
