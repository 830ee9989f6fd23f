package io.p13n.jobs.catalog;

import io.p13n.model.CatalogEvent;
import io.p13n.model.ProductAvailability;
import io.p13n.model.ProductCatalogState;
import io.p13n.model.ProductInterest;
import io.p13n.model.ProductMoment;
import io.p13n.model.ProductWatcher;
import io.p13n.model.TriggerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure logic of {@link CatalogWatchersFunction}: who watches a product, and what a catalog
 * change means for them and for the lists. Event time throughout, so a replay decides the same.
 */
public final class ProductWatchers {
    private ProductWatchers() {}

    /** What one catalog event changed: moments for watchers, and the availability if it flipped. */
    public record Change(List<ProductMoment> moments, ProductAvailability availability) {}

    private static final Change NOTHING = new Change(List.of(), null);

    public static ProductCatalogState empty() {
        return ProductCatalogState.newBuilder().setWatchers(new ArrayList<>()).build();
    }

    /**
     * Remembers the customer as a watcher (the latest time, the strongest interest); past {@code
     * maxWatchers} the watcher seen longest ago goes, and so do watchers older than the period.
     */
    public static void watch(
            ProductCatalogState state, ProductInterest interest, CatalogSettings settings) {
        List<ProductWatcher> watchers = state.getWatchers();
        long at = interest.getEventTime();
        for (ProductWatcher w : watchers) {
            if (w.getCustomerId().equals(interest.getCustomerId())) {
                w.setLastSeen(Math.max(w.getLastSeen(), at));
                w.setStrength(Math.max(w.getStrength(), interest.getStrength()));
                return;
            }
        }
        watchers.add(new ProductWatcher(interest.getCustomerId(), interest.getStrength(), at));
        if (watchers.size() > settings.maxWatchers()) {
            forgetExpired(watchers, at, settings);
        }
        while (watchers.size() > settings.maxWatchers()) {
            watchers.remove(oldest(watchers));
        }
    }

    /**
     * Applies a catalog event. Fields the event leaves null keep their value; an event older than
     * the last one applied is ignored (the topic is keyed by product, so that is a producer's retry
     * of an old state, not news). The first event of a product sets the baseline: nothing fires,
     * but an unavailable product is announced.
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
        forgetExpired(state.getWatchers(), at, settings);
        if (first || !nowAvailable) {
            return new Change(List.of(), availability);
        }
        TriggerType trigger = null;
        if (!wasInStock) { // now in stock, or it would not be available
            trigger = TriggerType.BACK_IN_STOCK;
        } else if (before != null
                && state.getPrice() != null
                && state.getPrice() <= before * (1 - settings.minPriceDrop())) {
            trigger = TriggerType.PRICE_DROP;
        }
        if (trigger == null) {
            return new Change(List.of(), availability);
        }
        List<ProductMoment> moments = new ArrayList<>(state.getWatchers().size());
        for (ProductWatcher w : state.getWatchers()) {
            moments.add(
                    new ProductMoment(
                            w.getCustomerId(),
                            event.getProductId(),
                            state.getCategoryId(),
                            trigger,
                            state.getPrice(),
                            trigger == TriggerType.PRICE_DROP ? before : null,
                            at));
        }
        return new Change(moments, availability);
    }

    /** Available to recommend and sell: active and in stock. */
    static boolean available(ProductCatalogState state) {
        return state.getActive() && state.getInStock();
    }

    private static void forgetExpired(
            List<ProductWatcher> watchers, long now, CatalogSettings settings) {
        long cutoff = now - settings.watchPeriod().toMillis();
        watchers.removeIf(w -> w.getLastSeen() < cutoff);
    }

    private static int oldest(List<ProductWatcher> watchers) {
        int oldest = 0;
        for (int i = 1; i < watchers.size(); i++) {
            if (watchers.get(i).getLastSeen() < watchers.get(oldest).getLastSeen()) {
                oldest = i;
            }
        }
        return oldest;
    }
}
