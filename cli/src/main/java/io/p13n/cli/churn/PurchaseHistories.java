package io.p13n.cli.churn;

import io.p13n.jobs.churn.PurchaseRhythm;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Every customer's purchase days, collected from order events in any order: the input of the fit
 * and of the holdout check.
 *
 * <p>Only {@link OrderStatus#PLACED} orders make a purchase day. Cancellation and refund events
 * report on an order placed earlier, whose placement already counted; they do not create a purchase
 * day, and they do not remove one either (the streaming job cannot take a purchase day back, and
 * the offline fit must see customers the way the job does). Orders with status {@code UNKNOWN} are
 * ignored too. Days are UTC calendar days, as in {@link PurchaseRhythm}; several orders on one day
 * are one purchase.
 */
final class PurchaseHistories {
    private final Map<String, DayList> days = new HashMap<>();
    private final Map<OrderStatus, Long> ignored = new EnumMap<>(OrderStatus.class);
    private long orders;
    private long placed;
    private boolean allCdnowIds = true;

    /** Adds one order event. */
    void add(OrderEvent order) {
        orders++;
        OrderStatus status = order.getStatus();
        if (status != OrderStatus.PLACED) {
            ignored.merge(status == null ? OrderStatus.UNKNOWN : status, 1L, Long::sum);
            return;
        }
        placed++;
        String customer = order.getCustomerId().toString();
        allCdnowIds &= customer.startsWith("cdnow-");
        int day = PurchaseRhythm.dayOf(order.getEventTime().toEpochMilli());
        days.computeIfAbsent(customer, c -> new DayList()).add(day);
    }

    /** Order events seen. */
    long orders() {
        return orders;
    }

    /** Placed orders: those that count. */
    long placed() {
        return placed;
    }

    /** Order events that were not placements, by status. */
    Map<OrderStatus, Long> ignoredByStatus() {
        return ignored;
    }

    /** Customers with at least one placed order. */
    int customers() {
        return days.size();
    }

    /** Whether every customer id has the replay's CDNOW prefix. */
    boolean looksLikeCdnow() {
        return allCdnowIds && !days.isEmpty();
    }

    /** The last purchase day of anybody. */
    OptionalInt lastDay() {
        return days.values().stream().mapToInt(DayList::max).max();
    }

    /** Each customer's distinct purchase days, ascending; customers in no particular order. */
    List<int[]> distinctDays() {
        List<int[]> result = new ArrayList<>(days.size());
        for (DayList list : days.values()) {
            result.add(list.distinctSorted());
        }
        return result;
    }

    /** A growable int array: one customer's purchase days as they came. */
    private static final class DayList {
        private int[] values = new int[4];
        private int size;
        private int max = Integer.MIN_VALUE;

        void add(int day) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = day;
            max = Math.max(max, day);
        }

        int max() {
            return max;
        }

        int[] distinctSorted() {
            int[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int n = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    sorted[n++] = sorted[i];
                }
            }
            return Arrays.copyOf(sorted, n);
        }
    }
}
