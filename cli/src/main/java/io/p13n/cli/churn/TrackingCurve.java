package io.p13n.cli.churn;

import io.p13n.jobs.churn.BgNbdModel;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cumulative repeat purchases of the cohort week by week, actual and according to the model, over
 * calibration and holdout (Fader, Hardie and Lee 2005, figure 3). Week 0 is the cohort's first
 * purchase day; the point of week {@code k} counts purchases up to day {@code start + 7k}. The
 * model's value is the sum over customers of E[X(t - s_i)] for the weeks {@code t - s_i} since each
 * one's first purchase (0 before it); the actual value counts distinct repeat purchase days.
 *
 * @param weeks x values: weeks since the cohort's first purchase
 * @param actual cumulative repeat purchase days at each point
 * @param model the model's cumulative expectation at each point
 * @param calibrationEndWeek where the calibration period ends, in the same weeks
 */
record TrackingCurve(double[] weeks, double[] actual, double[] model, double calibrationEndWeek) {

    static TrackingCurve compute(BgNbdModel bgnbd, CalibrationData data, int lastDay) {
        int start = data.cohortStartDay();
        // customers by first purchase day: one E[X(t)] per distinct day and point
        Map<Integer, Integer> byFirstDay = new TreeMap<>();
        int repeatDays = 0;
        for (CalibrationData.Customer c : data.customers()) {
            byFirstDay.merge(c.firstDay(), 1, Integer::sum);
            repeatDays += c.days().length - 1;
        }
        int[] repeats = new int[repeatDays];
        int n = 0;
        for (CalibrationData.Customer c : data.customers()) {
            for (int i = 1; i < c.days().length; i++) {
                repeats[n++] = c.days()[i];
            }
        }
        Arrays.sort(repeats);

        int points = (lastDay - start) / 7 + 1 + ((lastDay - start) % 7 == 0 ? 0 : 1);
        double[] weeks = new double[points];
        double[] actual = new double[points];
        double[] model = new double[points];
        int next = 0;
        for (int k = 0; k < points; k++) {
            int day = Math.min(start + 7 * k, lastDay);
            while (next < repeats.length && repeats[next] <= day) {
                next++;
            }
            double expected = 0;
            for (Map.Entry<Integer, Integer> e : byFirstDay.entrySet()) {
                if (e.getKey() < day) {
                    expected +=
                            e.getValue()
                                    * bgnbd.expectedPurchasesNewCustomer((day - e.getKey()) / 7.0);
                }
            }
            weeks[k] = (day - start) / 7.0;
            actual[k] = next;
            model[k] = expected;
        }
        return new TrackingCurve(weeks, actual, model, (data.calibrationEndDay() - start) / 7.0);
    }

    /** The model's and the actual cumulative count at the last point. */
    double lastActual() {
        return actual[actual.length - 1];
    }

    double lastModel() {
        return model[model.length - 1];
    }
}
