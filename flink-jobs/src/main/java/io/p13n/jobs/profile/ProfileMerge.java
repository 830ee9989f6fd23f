package io.p13n.jobs.profile;

import io.p13n.jobs.churn.PurchaseRhythm;
import io.p13n.jobs.profile.ActivityWindows.Metric;
import io.p13n.model.CartItem;
import io.p13n.model.CategoryScore;
import io.p13n.model.ConsentGrant;
import io.p13n.model.CustomerProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Folds a merged-away profile (an anonymous visitor's) into the profile of the id that survives an
 * identity merge (README, Identity merge). Pure; the derived fields (segment, churn, tier, timer)
 * are re-evaluated by the customer stage afterwards.
 *
 * <p>The rules, field by field: counts, spend and points add up; first times take the earlier, last
 * times the later; the carts are united (a product in both: quantities add, the newer price and
 * time win; its new products after the customer's lines) and bounded as any cart; recently viewed
 * products interleave by view time; the category interests combine as decayed sums; daily activity
 * and monthly spend add day by day and month by month; purchase days are united (exactly within the
 * 64-day window, counted beyond it); purchased products follow the later buyer's; per consent
 * purpose and channel the later decision wins; the de-duplication windows are united, and so are
 * the remembered search queries (the later search burst is kept, {@link SearchInterest#merge}). A
 * session that continued across the login (both profiles' last session id the same) counts once.
 * Reviews add up and the products whose review was rewarded are united ({@link Reviews#merge}).
 *
 * <p>Not idempotent by itself: the customer stage applies one hand-off once (it remembers merged
 * identifications in {@code mergedIdentities}).
 */
public final class ProfileMerge {
    private ProfileMerge() {}

    /**
     * Folds {@code other} into {@code into} (which keeps its id, merged ids and timer), as of
     * processing time {@code now} for the de-duplication window.
     */
    public static void merge(
            CustomerProfile into,
            CustomerProfile other,
            ProfileSettings s,
            int dedupWindowSize,
            long now,
            long dedupTtlMillis) {
        boolean sameSession =
                !other.getLastSessionId().isEmpty()
                        && other.getLastSessionId().equals(into.getLastSessionId());
        if (other.getLastSeen() > into.getLastSeen() && !other.getLastSessionId().isEmpty()) {
            into.setLastSessionId(other.getLastSessionId());
        }
        into.setFirstSeen(earliest(into.getFirstSeen(), other.getFirstSeen()));
        into.setLastSeen(Math.max(into.getLastSeen(), other.getLastSeen()));
        into.setLastEventTime(Math.max(into.getLastEventTime(), other.getLastEventTime()));
        into.setSessions(into.getSessions() + other.getSessions() - (sameSession ? 1 : 0));
        into.setPageViews(into.getPageViews() + other.getPageViews());
        into.setProductViews(into.getProductViews() + other.getProductViews());
        into.setSearches(into.getSearches() + other.getSearches());
        into.setCartAdds(into.getCartAdds() + other.getCartAdds());
        into.setCartRemoves(into.getCartRemoves() + other.getCartRemoves());
        into.setWishlistAdds(into.getWishlistAdds() + other.getWishlistAdds());
        ActivityWindows.merge(into, other);
        if (sameSession && other.getActivityDay() >= 0) {
            // the continued session was counted on both sides: once is right
            ActivityWindows.add(into, Metric.SESSIONS, other.getActivityDay(), -1);
        }

        mergeOrders(into, other, s);
        Reviews.merge(into, other, s.purchasedMax()); // after the purchases it is bounded by
        mergeCart(into, other, s.cartMaxItems());
        RecentViews.merge(into, other, s.recentlyViewedMax());
        for (CategoryScore score : other.getCategories()) {
            CategoryAffinity.add(
                    into,
                    score.getCategoryId(),
                    score.getScore(),
                    score.getUpdatedAt(),
                    s.affinityHalfLifeMillis(),
                    s.affinityTopN());
        }
        SearchInterest.merge(into, other, s);
        into.setConsents(mergeConsents(into.getConsents(), other.getConsents()));
        into.setRecentEventHashes(
                RecentEventHashes.merge(
                        into.getRecentEventHashes(),
                        other.getRecentEventHashes(),
                        dedupWindowSize,
                        now,
                        dedupTtlMillis));
    }

    private static void mergeOrders(
            CustomerProfile into, CustomerProfile other, ProfileSettings s) {
        into.setOrders(into.getOrders() + other.getOrders());
        into.setCancellations(into.getCancellations() + other.getCancellations());
        into.setRefunds(into.getRefunds() + other.getRefunds());
        into.setTotalSpend(into.getTotalSpend() + other.getTotalSpend());
        into.setPoints(into.getPoints() + other.getPoints());
        Loyalty.mergeSpend(into, other);
        List<String> purchased =
                other.getLastOrderTime() > into.getLastOrderTime()
                        ? union(other.getPurchasedProducts(), into.getPurchasedProducts())
                        : union(into.getPurchasedProducts(), other.getPurchasedProducts());
        into.setPurchasedProducts(
                purchased.size() > s.purchasedMax()
                        ? new ArrayList<>(purchased.subList(0, s.purchasedMax()))
                        : purchased);
        into.setFirstOrderTime(earliest(into.getFirstOrderTime(), other.getFirstOrderTime()));
        into.setLastOrderTime(Math.max(into.getLastOrderTime(), other.getLastOrderTime()));

        PurchaseRhythm theirs = LifecycleRules.rhythmOf(other);
        if (theirs.isEmpty()) {
            return;
        }
        PurchaseRhythm rhythm = LifecycleRules.rhythmOf(into);
        int known = 0;
        for (int offset = PurchaseRhythm.EXACT_WINDOW_DAYS - 1; offset >= 0; offset--) {
            if ((theirs.getRecentDays() & (1L << offset)) != 0) {
                rhythm.onPurchaseDay(theirs.getLastDay() - offset);
                known++;
            }
        }
        if (theirs.getFirstDay() < theirs.getLastDay() - PurchaseRhythm.EXACT_WINDOW_DAYS + 1) {
            rhythm.onPurchaseDay(theirs.getFirstDay());
            known++;
        }
        // Their days between the first and the window, known only as a count: counted, within the
        // span (a day both bought on there is counted twice, the price of not storing every day).
        int unknown = theirs.getPurchaseDays() - known;
        long span = (long) rhythm.getLastDay() - rhythm.getFirstDay() + 1;
        rhythm.setPurchaseDays(
                (int) Math.min(span, (long) rhythm.getPurchaseDays() + Math.max(0, unknown)));
        into.setFirstPurchaseDay(rhythm.getFirstDay());
        into.setLastPurchaseDay(rhythm.getLastDay());
        into.setPurchaseDays(rhythm.getPurchaseDays());
        into.setRecentPurchaseDays(rhythm.getRecentDays());
    }

    private static void mergeCart(CustomerProfile into, CustomerProfile other, int maxItems) {
        if (other.getCart().isEmpty()) {
            return;
        }
        List<CartItem> cart = new ArrayList<>(into.getCart().size() + other.getCart().size());
        for (CartItem item : into.getCart()) {
            cart.add(CartItem.newBuilder(item).build());
        }
        for (CartItem theirs : other.getCart()) {
            CartItem mine = null;
            for (CartItem item : cart) {
                if (item.getProductId().equals(theirs.getProductId())) {
                    mine = item;
                    break;
                }
            }
            if (mine == null) {
                cart.add(CartItem.newBuilder(theirs).build());
                continue;
            }
            mine.setQuantity(mine.getQuantity() + theirs.getQuantity());
            if (theirs.getAddedAt() > mine.getAddedAt()) {
                mine.setUnitPrice(theirs.getUnitPrice());
                mine.setAddedAt(theirs.getAddedAt());
            }
            if (mine.getCategoryId() == null) {
                mine.setCategoryId(theirs.getCategoryId());
            }
        }
        // The lines in the order the events would have left them (the customer's, then the new
        // products of the merged cart), and past the bound the oldest go, as in OpenCart: the same
        // cart whether the guest's adds arrive merged or one by one after the merge.
        while (cart.size() > maxItems) {
            int oldest = 0;
            for (int i = 1; i < cart.size(); i++) {
                if (cart.get(i).getAddedAt() < cart.get(oldest).getAddedAt()) {
                    oldest = i;
                }
            }
            cart.remove(oldest);
        }
        into.setCart(cart);
        into.setCartAbandonedSignalled(false); // the cart changed
    }

    /** Per purpose and channel, the later decision (a tie keeps {@code mine}). */
    static List<ConsentGrant> mergeConsents(List<ConsentGrant> mine, List<ConsentGrant> theirs) {
        List<ConsentGrant> out = new ArrayList<>(mine);
        for (ConsentGrant grant : theirs) {
            int found = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).getPurpose() == grant.getPurpose()
                        && Objects.equals(out.get(i).getChannel(), grant.getChannel())) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                out.add(grant);
            } else if (grant.getAt() > out.get(found).getAt()) {
                out.set(found, grant);
            }
        }
        return out;
    }

    private static List<String> union(List<String> first, List<String> second) {
        List<String> out = new ArrayList<>(first);
        for (String item : second) {
            if (!out.contains(item)) {
                out.add(item);
            }
        }
        return out;
    }

    private static long earliest(long a, long b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }
}
