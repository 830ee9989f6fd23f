package io.p13n.cli.bench;

/** The arithmetic of the report, kept apart so that it can be tested. */
final class Rates {
    private Rates() {}

    /** Events per second between two observations of a cumulative count; NaN for no time. */
    static double perSecond(long countFrom, long nanosFrom, long countTo, long nanosTo) {
        long nanos = nanosTo - nanosFrom;
        if (nanos <= 0) {
            return Double.NaN;
        }
        return (countTo - countFrom) * 1e9 / nanos;
    }

    /** {@code part / whole}, or NaN when either is missing or the whole is not positive. */
    static double ratio(double part, double whole) {
        if (Double.isNaN(part) || Double.isNaN(whole) || whole <= 0) {
            return Double.NaN;
        }
        return part / whole;
    }

    /** {@code amount / events}; NaN for no events. */
    static double perEvent(long amount, long events) {
        return events <= 0 ? Double.NaN : (double) amount / events;
    }

    /** Null for NaN, so that JSON carries null rather than an invalid NaN token. */
    static Double orNull(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    /**
     * The rate over the last {@code 1 - skipShare} of a drain: from the first timeline point at or
     * past {@code skipShare} of the events to the last point. Leaves out the warm-up (JIT, caches,
     * first fetches) that the whole-drain rate includes; NaN if the timeline is too short.
     *
     * @param timeline points of (seconds since the first event, events so far), in time order
     */
    static double steadyRate(java.util.List<double[]> timeline, double skipShare) {
        if (timeline == null || timeline.size() < 2) {
            return Double.NaN;
        }
        double[] last = timeline.get(timeline.size() - 1);
        for (double[] point : timeline) {
            if (point[1] >= skipShare * last[1] && point != last) {
                double seconds = last[0] - point[0];
                return seconds <= 0 ? Double.NaN : (last[1] - point[1]) / seconds;
            }
        }
        return Double.NaN;
    }
}
