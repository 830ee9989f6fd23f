package io.p13n.jobs.profile;

import io.p13n.model.CustomerProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * The recently viewed products with the event time of each view: {@code recentlyViewed} (most
 * recent first, bounded) and {@code recentlyViewedAt} beside it, so that an identity merge can
 * interleave two customers' lists by time instead of putting one list after the other. A profile
 * written before the times existed has fewer times than products; its untimed entries count as
 * older than every timed one (time 0).
 */
public final class RecentViews {
    private RecentViews() {}

    /** Records a view of {@code productId} at {@code time}, moving it to the front. */
    public static void record(CustomerProfile profile, String productId, long time, int max) {
        if (productId == null || productId.isEmpty()) {
            return;
        }
        List<String> items = profile.getRecentlyViewed();
        List<Long> times = profile.getRecentlyViewedAt();
        if (!items.isEmpty() && items.get(0).equals(productId) && times.size() == items.size()) {
            // The common case of repeated views of one product: at most the time moves.
            if (times.get(0) < time) {
                List<Long> out = mutable(times);
                out.set(0, time);
                profile.setRecentlyViewedAt(out);
            }
            return;
        }
        List<String> outItems = mutableItems(items);
        List<Long> outTimes = aligned(times, items.size());
        int at = outItems.indexOf(productId);
        if (at >= 0) {
            outItems.remove(at);
            outTimes.remove(at);
        }
        outItems.add(0, productId);
        outTimes.add(0, time);
        trim(outItems, outTimes, max);
        profile.setRecentlyViewed(outItems);
        profile.setRecentlyViewedAt(outTimes);
    }

    /**
     * Merges {@code other}'s views into {@code profile}'s: newest first by time, each product once
     * (at its newer view), at most {@code max}. Equal times keep {@code profile}'s entry first.
     */
    public static void merge(CustomerProfile profile, CustomerProfile other, int max) {
        List<String> a = profile.getRecentlyViewed();
        List<Long> at = aligned(profile.getRecentlyViewedAt(), a.size());
        List<String> b = other.getRecentlyViewed();
        List<Long> bt = aligned(other.getRecentlyViewedAt(), b.size());
        List<String> items = new ArrayList<>(Math.min(max, a.size() + b.size()));
        List<Long> times = new ArrayList<>(Math.min(max, a.size() + b.size()));
        int i = 0;
        int j = 0;
        while ((i < a.size() || j < b.size()) && items.size() < max) {
            boolean fromA = j >= b.size() || (i < a.size() && at.get(i) >= bt.get(j));
            String item = fromA ? a.get(i) : b.get(j);
            long time = fromA ? at.get(i++) : bt.get(j++);
            if (!items.contains(item)) { // an earlier (newer) entry of the product wins
                items.add(item);
                times.add(time);
            }
        }
        profile.setRecentlyViewed(items);
        profile.setRecentlyViewedAt(times);
    }

    /** {@code times} as a mutable list of exactly {@code size} entries (padded with 0). */
    private static List<Long> aligned(List<Long> times, int size) {
        List<Long> out = new ArrayList<>(size + 1);
        for (int i = 0; i < size; i++) {
            out.add(i < times.size() ? times.get(i) : 0L);
        }
        return out;
    }

    private static void trim(List<String> items, List<Long> times, int max) {
        while (items.size() > max) {
            items.remove(items.size() - 1);
            times.remove(times.size() - 1);
        }
    }

    private static List<String> mutableItems(List<String> items) {
        return items instanceof ArrayList ? items : new ArrayList<>(items);
    }

    private static List<Long> mutable(List<Long> times) {
        return times instanceof ArrayList ? times : new ArrayList<>(times);
    }
}
