package io.p13n.jobs.catalog;

import io.p13n.model.CatalogEvent;
import io.p13n.model.ProductAvailability;
import io.p13n.model.ProductCatalogState;
import io.p13n.model.ProductInterest;
import io.p13n.model.ProductMoment;
import io.p13n.model.ProductWatcher;
import io.p13n.model.TriggerType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The pure logic of {@link CatalogWatchersFunction}: what a catalog change means for a product's
 * watchers and for the lists, who is still a watcher, and which watchers go when there are too
 * many. Event time throughout, so a replay decides the same.
 */
public final class ProductWatchers {
    private ProductWatchers() {}

    /**
     * What one catalog event changed: the moment for the current watchers (null: none), the price
     * before a drop, and the availability if it flipped (null: unchanged).
     */
    public record Change(
            TriggerType trigger, Double previousPrice, ProductAvailability availability) {}

    private static final Change NOTHING = new Change(null, null, null);

    public static ProductCatalogState empty() {
        return ProductCatalogState.newBuilder().build();
    }

    /** A watcher refreshed by a new interest: the latest time, the strongest interest. */
    public static ProductWatcher watch(ProductWatcher known, ProductInterest interest) {
        if (known == null) {
            return new ProductWatcher(interest.getStrength(), interest.getEventTime());
        }
        return new ProductWatcher(
                Math.max(known.getStrength(), interest.getStrength()),
                Math.max(known.getLastSeen(), interest.getEventTime()));
    }

    /** Still a watcher at {@code now}: interest within the watch period. */
    public static boolean current(ProductWatcher w, long now, CatalogSettings settings) {
        return w.getLastSeen() >= now - settings.watchPeriod().toMillis();
    }

    /**
     * The customers to forget so that at most {@code keep} current watchers remain: those past the
     * watch period, then the ones seen longest ago.
     */
    public static List<String> toForget(
            Iterable<Map.Entry<String, ProductWatcher>> watchers,
            long now,
            int keep,
            CatalogSettings settings) {
        List<String> forget = new ArrayList<>();
        List<Map.Entry<String, ProductWatcher>> live = new ArrayList<>();
        for (Map.Entry<String, ProductWatcher> e : watchers) {
            if (current(e.getValue(), now, settings)) {
                live.add(Map.entry(e.getKey(), e.getValue()));
            } else {
                forget.add(e.getKey());
            }
        }
        if (live.size() > keep) {
            live.sort(
                    Comparator.comparingLong(
                                    (Map.Entry<String, ProductWatcher> e) ->
                                            e.getValue().getLastSeen())
                            .thenComparing(Map.Entry::getKey));
            for (Map.Entry<String, ProductWatcher> e : live.subList(0, live.size() - keep)) {
                forget.add(e.getKey());
            }
        }
        return forget;
    }

    /**
     * Applies a catalog event. Fields the event leaves null keep their value; an event older than
     * the last one applied is ignored (the topic is keyed by product, so that is a producer's retry
     * of an old state, not news). The first event of a product sets the baseline: nothing fires,
     * but an unavailable product is announced. An unavailable product fires nothing.
     */
    public static Change apply(
            ProductCatalogState state, CatalogEvent event, CatalogSettings settings) {
        long at = event.getEventTime().toEpochMilli();
        if (state.getCatalogSeen() && at < state.getUpdatedAt()) {
            return NOTHING;
        }
        boolean first = !state.getCatalogSeen();
        boolean wasAvailable = available(state);
        boolean wasInStock = state.getInStock();
        Double before = state.getPrice();

        state.setCatalogSeen(true);
        state.setUpdatedAt(at);
        state.setActive(event.getActive());
        if (event.getStock() != null) {
            state.setInStock(event.getStock() > 0);
        }
        if (event.getPrice() != null) {
            state.setPrice(event.getPrice());
        }
        if (event.getCategoryId() != null) {
            state.setCategoryId(event.getCategoryId());
        }
        boolean nowAvailable = available(state);
        ProductAvailability availability =
                (first ? !nowAvailable : nowAvailable != wasAvailable)
                        ? new ProductAvailability(event.getProductId(), nowAvailable, at)
                        : null;
        if (first || !nowAvailable) {
            return new Change(null, null, availability);
        }
        if (!wasInStock) { // now in stock, or it would not be available
            return new Change(TriggerType.BACK_IN_STOCK, null, availability);
        }
        if (before != null
                && state.getPrice() != null
                && state.getPrice() <= before * (1 - settings.minPriceDrop())) {
            return new Change(TriggerType.PRICE_DROP, before, availability);
        }
        return new Change(null, null, availability);
    }

    /** The moment of {@code change} for one watcher, {@code customerId}. */
    public static ProductMoment moment(
            String customerId,
            String productId,
            ProductCatalogState state,
            Change change,
            long at) {
        return new ProductMoment(
                customerId,
                productId,
                state.getCategoryId(),
                change.trigger(),
                state.getPrice(),
                change.previousPrice(),
                at);
    }

    /** Available to recommend and sell: active and in stock. */
    static boolean available(ProductCatalogState state) {
        return state.getActive() && state.getInStock();
    }
}
