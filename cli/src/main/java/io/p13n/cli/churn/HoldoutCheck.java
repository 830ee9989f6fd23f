package io.p13n.cli.churn;

import io.p13n.jobs.churn.BgNbdModel;
import io.p13n.jobs.churn.PurchaseRhythm;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Expected against actual repeat purchases in the holdout period (after the calibration end, up to
 * and including the holdout end day), in total and by calibration frequency, as in Fader, Hardie
 * and Lee (2005, figure 4): the expectation is the model's E[Y(t) | x, t_x, T] for each customer,
 * with {@code t} the length of the holdout period; actual purchases are distinct purchase days.
 *
 * @param weeks length of the holdout period in weeks
 * @param rows by calibration frequency 0, 1, ..., {@code MAX_GROUP - 1}, then {@code MAX_GROUP}+
 * @param actualTotal repeat purchase days in the holdout period
 * @param expectedTotal the model's expectation of that
 */
record HoldoutCheck(double weeks, List<Row> rows, long actualTotal, double expectedTotal) {
    /** The last group collects this frequency and above. */
    static final int MAX_GROUP = 7;

    /**
     * Customers with one calibration frequency (or more, for the last row).
     *
     * @param frequency the calibration frequency x ({@link #MAX_GROUP} means "that or more")
     */
    record Row(int frequency, long customers, long actual, double expected) {
        double actualMean() {
            return customers == 0 ? Double.NaN : (double) actual / customers;
        }

        double expectedMean() {
            return customers == 0 ? Double.NaN : expected / customers;
        }

        String label() {
            return frequency == MAX_GROUP ? MAX_GROUP + "+" : Integer.toString(frequency);
        }
    }

    static HoldoutCheck compute(BgNbdModel model, CalibrationData data, int holdoutEndDay) {
        int calibrationEnd = data.calibrationEndDay();
        if (holdoutEndDay <= calibrationEnd) {
            throw new IllegalArgumentException("the holdout must end after the calibration");
        }
        double weeks = (holdoutEndDay - calibrationEnd) / 7.0;
        long[] customers = new long[MAX_GROUP + 1];
        long[] actual = new long[MAX_GROUP + 1];
        double[] expected = new double[MAX_GROUP + 1];
        long calibrationEndMillis = data.calibrationEndMillis();
        for (CalibrationData.Customer c : data.customers()) {
            PurchaseRhythm rhythm = c.rhythm();
            int group = Math.min(rhythm.frequency(), MAX_GROUP);
            customers[group]++;
            for (int day : c.days()) {
                if (day > calibrationEnd && day <= holdoutEndDay) {
                    actual[group]++;
                }
            }
            expected[group] += model.expectedPurchases(weeks, rhythm, calibrationEndMillis);
        }
        List<Row> rows = new ArrayList<>();
        long actualTotal = 0;
        double expectedTotal = 0;
        for (int g = 0; g <= MAX_GROUP; g++) {
            rows.add(new Row(g, customers[g], actual[g], expected[g]));
            actualTotal += actual[g];
            expectedTotal += expected[g];
        }
        return new HoldoutCheck(weeks, List.copyOf(rows), actualTotal, expectedTotal);
    }

    void print(PrintWriter out) {
        out.printf(
                "  repeat purchases: actual %,d, expected %,.1f (%+.1f%%)%n",
                actualTotal,
                expectedTotal,
                100 * (expectedTotal - actualTotal) / Math.max(1, actualTotal));
        out.printf(
                "  %-12s %10s %12s %14s%n",
                "calib. freq", "customers", "actual mean", "expected mean");
        for (Row row : rows) {
            out.printf(
                    "  %-12s %,10d %12.3f %14.3f%n",
                    row.label(), row.customers(), row.actualMean(), row.expectedMean());
        }
    }
}
