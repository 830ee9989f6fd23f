package io.p13n.jobs.catalog;

import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import java.util.List;

/** The items of each published list type, for {@link DropUnavailableItems}. */
public final class ListItems {
    private ListItems() {}

    public static final class Similar implements DropUnavailableItems.Items<SimilarItems> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<ScoredItem> of(SimilarItems list) {
            return list.getItems();
        }

        @Override
        public SimilarItems with(SimilarItems list, List<ScoredItem> items) {
            return new SimilarItems(list.getItemId(), items, list.getUpdatedAt());
        }
    }

    public static final class Trending implements DropUnavailableItems.Items<TrendingItems> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<ScoredItem> of(TrendingItems list) {
            return list.getItems();
        }

        @Override
        public TrendingItems with(TrendingItems list, List<ScoredItem> items) {
            return new TrendingItems(list.getCategoryId(), items, list.getUpdatedAt());
        }
    }

    public static final class Recommendations
            implements DropUnavailableItems.Items<CustomerRecommendations> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<ScoredItem> of(CustomerRecommendations list) {
            return list.getItems();
        }

        @Override
        public CustomerRecommendations with(CustomerRecommendations list, List<ScoredItem> items) {
            return CustomerRecommendations.newBuilder(list).setItems(items).build();
        }
    }
}
