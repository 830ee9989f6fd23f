package io.p13n.jobs.profile;

import io.p13n.jobs.reviews.ReviewSettings;
import io.p13n.model.CartItem;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.ReviewEvent;
import io.p13n.model.TriggerType;
import java.util.ArrayList;
import java.util.List;

/**
 * What a customer's review does to their profile (README, Reviews and ratings): it is counted; a
 * rating at or below {@code reviews.low-rating} is a SERVICE_RECOVERY moment, raised on the event
 * itself (no timer: a complaint is answered within seconds); and the first review of a product the
 * customer bought earns {@code reviews.points} loyalty points. Pure; the customer stage emits the
 * moment.
 *
 * <p>Points do not depend on the rating: rewarding only favourable reviews would buy praise, which
 * the FTC's rule on consumer reviews (16 CFR Part 465, 2024) forbids; a rating below the bar earns
 * the same points and raises the moment. They are not taken back when the order is cancelled or
 * refunded (the review was still written).
 *
 * <p>At most once per product: the products rewarded are remembered in {@code rewardedReviews},
 * bounded by {@code profile.purchased-max} like the purchased products themselves. Only a product
 * in the purchase memory can earn, and past the bound an entry no longer in that memory is dropped
 * first, so a product still in it is never forgotten as rewarded (both lists would have to hold the
 * same products, and then no product can earn). A product bought again after both lists forgot it
 * earns again: a second purchase, long after.
 */
public final class Reviews {
    private Reviews() {}

    /** What a review changed: the points it earned (0 if none) and the moment it raised, if any. */
    public record Outcome(long points, CustomerMoment moment) {}

    public static Outcome apply(
            CustomerProfile profile, ReviewEvent review, ReviewSettings s, int purchasedMax) {
        profile.setReviews(profile.getReviews() + 1);
        long points = 0;
        String product = review.getProductId();
        if (s.points() > 0
                && profile.getPurchasedProducts().contains(product)
                && !profile.getRewardedReviews().contains(product)) {
            points = s.points();
            profile.setPoints(profile.getPoints() + points);
            profile.setRewardedReviews(
                    remember(
                            profile.getRewardedReviews(),
                            product,
                            profile.getPurchasedProducts(),
                            purchasedMax));
        }
        CustomerMoment moment = null;
        if (review.getRating() <= s.lowRating()) {
            moment =
                    CustomerMoment.newBuilder()
                            .setCustomerId(profile.getCustomerId())
                            .setTrigger(TriggerType.SERVICE_RECOVERY)
                            .setEventTime(review.getEventTime().toEpochMilli())
                            .setReason("rated " + product + " " + review.getRating() + "/5")
                            .setProductId(product)
                            .setCategoryId(categoryInCart(profile, product))
                            .build();
        }
        return new Outcome(points, moment);
    }

    /**
     * {@code product} first; past {@code max}, entries no longer among {@code purchased} go first
     * (oldest first), then the oldest.
     */
    static List<String> remember(
            List<String> rewarded, String product, List<String> purchased, int max) {
        List<String> out = new ArrayList<>(rewarded.size() + 1);
        out.add(product);
        out.addAll(rewarded);
        while (out.size() > Math.max(1, max)) {
            int victim = out.size() - 1;
            for (int i = out.size() - 1; i > 0; i--) {
                if (!purchased.contains(out.get(i))) {
                    victim = i;
                    break;
                }
            }
            out.remove(victim);
        }
        return out;
    }

    /** Identity merge: counts add, the rewarded products are united (then bounded as above). */
    static void merge(CustomerProfile into, CustomerProfile other, int purchasedMax) {
        into.setReviews(into.getReviews() + other.getReviews());
        List<String> rewarded = new ArrayList<>(into.getRewardedReviews());
        for (int i = other.getRewardedReviews().size() - 1; i >= 0; i--) {
            String product = other.getRewardedReviews().get(i);
            if (!rewarded.contains(product)) {
                rewarded = remember(rewarded, product, into.getPurchasedProducts(), purchasedMax);
            }
        }
        into.setRewardedReviews(rewarded);
    }

    /**
     * The product's category when the profile knows it (an open cart line carries it; the review
     * does not), else null: the moment is then about the product alone.
     */
    private static String categoryInCart(CustomerProfile profile, String product) {
        for (CartItem item : profile.getCart()) {
            if (item.getProductId().equals(product)) {
                return item.getCategoryId();
            }
        }
        return null;
    }
}
