package io.p13n.cli.churn;

import io.p13n.jobs.churn.BgNbdFitter;
import io.p13n.jobs.churn.PurchaseRhythm;
import java.util.ArrayList;
import java.util.List;

/**
 * Customers split at the end of the calibration period: those who bought by then, each with the
 * {@link PurchaseRhythm} of their calibration purchases (built exactly as the streaming job builds
 * it) and all their distinct purchase days.
 *
 * <p>Day convention (the one of the BG/NBD literature and of the CDNOW summary): purchases happen
 * at 00:00 UTC of their day; the calibration period includes its end day, and {@code T} is measured
 * to 00:00 of that day: T = (end day - first day) / 7.
 */
final class CalibrationData {
    /** One customer who bought during calibration. */
    record Customer(PurchaseRhythm rhythm, int[] days) {
        int firstDay() {
            return days[0];
        }
    }

    private final int calibrationEndDay;
    private final List<Customer> customers;
    private final int laterCustomers;

    private CalibrationData(int calibrationEndDay, List<Customer> customers, int laterCustomers) {
        this.calibrationEndDay = calibrationEndDay;
        this.customers = customers;
        this.laterCustomers = laterCustomers;
    }

    /**
     * @param histories each customer's distinct purchase days, ascending
     */
    static CalibrationData split(List<int[]> histories, int calibrationEndDay) {
        List<Customer> customers = new ArrayList<>();
        int later = 0;
        for (int[] days : histories) {
            if (days.length == 0) {
                continue;
            }
            if (days[0] > calibrationEndDay) {
                later++;
                continue;
            }
            PurchaseRhythm rhythm = new PurchaseRhythm();
            for (int day : days) {
                if (day > calibrationEndDay) {
                    break;
                }
                rhythm.onPurchaseDay(day);
            }
            customers.add(new Customer(rhythm, days));
        }
        return new CalibrationData(calibrationEndDay, customers, later);
    }

    int calibrationEndDay() {
        return calibrationEndDay;
    }

    long calibrationEndMillis() {
        return calibrationEndDay * PurchaseRhythm.DAY_MILLIS;
    }

    List<Customer> customers() {
        return customers;
    }

    /** Customers whose first purchase is after the calibration end: not part of the fit. */
    int laterCustomers() {
        return laterCustomers;
    }

    /** (x, t_x, T) of every customer at the end of calibration. */
    List<BgNbdFitter.Observation> observations() {
        List<BgNbdFitter.Observation> observations = new ArrayList<>(customers.size());
        for (Customer c : customers) {
            observations.add(BgNbdFitter.Observation.of(c.rhythm(), calibrationEndMillis()));
        }
        return observations;
    }

    /** Repeat purchase days in the calibration period, over all customers. */
    long calibrationRepeatPurchases() {
        long total = 0;
        for (Customer c : customers) {
            total += c.rhythm().frequency();
        }
        return total;
    }

    /** The earliest first purchase day. */
    int cohortStartDay() {
        int start = Integer.MAX_VALUE;
        for (Customer c : customers) {
            start = Math.min(start, c.firstDay());
        }
        return start;
    }
}
