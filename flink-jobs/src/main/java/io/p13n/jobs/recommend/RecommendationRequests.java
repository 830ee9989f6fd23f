package io.p13n.jobs.recommend;

import io.p13n.model.CartItem;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerProfile;
import io.p13n.model.RecommendationRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds the ranker's input from a customer profile. */
public final class RecommendationRequests {
    private RecommendationRequests() {}

    public static RecommendationRequest from(CustomerProfile p) {
        List<String> cart = new ArrayList<>(p.getCart().size());
        for (CartItem item : p.getCart()) {
            cart.add(item.getProductId());
        }
        List<CategoryScore> categories = new ArrayList<>(p.getCategories());
        // The profile keeps each score as of its own update; the ranker only needs the order and
        // the
        // relative strength, so sorting by the stored score is close enough between updates.
        categories.sort(Comparator.comparingDouble(CategoryScore::getScore).reversed());
        return new RecommendationRequest(
                p.getCustomerId(),
                new ArrayList<>(p.getRecentlyViewed()),
                cart,
                new ArrayList<>(p.getPurchasedProducts()),
                categories,
                p.getLastEventTime(),
                false);
    }
}
