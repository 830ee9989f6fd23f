package io.p13n.jobs.recommend;

import io.p13n.model.CategoryScore;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.ItemTransition;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builders of recommendation events and lists shared by the tests. */
final class RecommendFixtures {
    static final long T0 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    private static int eventIds;

    private RecommendFixtures() {}

    static ClickEvent click(
            String customer,
            String session,
            ClickType type,
            String product,
            String category,
            long time) {
        return ClickEvent.newBuilder()
                .setEventId("e" + (++eventIds))
                .setCustomerId(customer)
                .setSessionId(session)
                .setType(type)
                .setProductId(product)
                .setCategoryId(category)
                .setEventTime(Instant.ofEpochMilli(time))
                .build();
    }

    static ClickEvent view(String customer, String session, String product, long time) {
        return click(customer, session, ClickType.PRODUCT_VIEW, product, null, time);
    }

    static ItemTransition transition(
            String from, String to, double weight, double toPopularity, long time) {
        return new ItemTransition(from, to, null, weight, toPopularity, time, false);
    }

    static ScoredItem item(String id, String category, double score) {
        return new ScoredItem(id, category, score, "because " + id);
    }

    static SimilarItems similar(String of, ScoredItem... items) {
        List<ScoredItem> list = new ArrayList<>(List.of(items));
        for (int i = 0; i < list.size(); i++) {
            ScoredItem it = list.get(i);
            list.set(
                    i,
                    new ScoredItem(
                            it.getItemId(),
                            it.getCategoryId(),
                            it.getScore(),
                            "viewed together with " + of));
        }
        return new SimilarItems(of, list, T0);
    }

    static TrendingItems trending(String category, ScoredItem... items) {
        String reason =
                Trending.OVERALL.equals(category) ? "trending now" : "trending in " + category;
        List<ScoredItem> list = new ArrayList<>();
        for (ScoredItem it : items) {
            list.add(new ScoredItem(it.getItemId(), it.getCategoryId(), it.getScore(), reason));
        }
        return new TrendingItems(category, list, T0);
    }

    static RecommendationRequest request(
            List<String> recent,
            List<String> cart,
            List<String> purchased,
            List<CategoryScore> categories) {
        return new RecommendationRequest(
                "c1",
                new ArrayList<>(recent),
                new ArrayList<>(cart),
                new ArrayList<>(purchased),
                new ArrayList<>(categories),
                T0,
                false);
    }
}
