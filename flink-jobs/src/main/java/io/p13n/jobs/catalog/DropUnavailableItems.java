package io.p13n.jobs.catalog;

import io.p13n.model.ProductAvailability;
import io.p13n.model.ScoredItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The last step before a list (similar items, trending, a customer's recommendations) goes to
 * Redis: products that are out of stock or inactive are left out. Every subtask holds the set of
 * unavailable products (broadcast from {@link CatalogWatchersFunction#AVAILABILITY}), bounded by
 * {@code catalog.max-unavailable}; a list is copied only when it holds one of them.
 *
 * <p>Filtering where lists leave, rather than inside each model, keeps the models' state and the
 * recommendation evaluation unchanged (a product out of stock today is still evidence of what goes
 * with what) and costs one hash lookup per published item. A list already in Redis keeps an item
 * that went out of stock until the list is next published (similar items: the next view that links
 * the product; trending: the category's next popularity change; a customer's list: their next
 * event).
 */
public class DropUnavailableItems<T> extends BroadcastProcessFunction<T, ProductAvailability, T> {
    private static final long serialVersionUID = 1L;

    /** Product id to the event time it became unavailable. */
    public static final MapStateDescriptor<String, Long> UNAVAILABLE =
            new MapStateDescriptor<>("unavailable-products", Types.STRING, Types.LONG);

    /** How a list type exposes its items and is copied with fewer of them. */
    public interface Items<T> extends Serializable {
        List<ScoredItem> of(T list);

        T with(T list, List<ScoredItem> items);
    }

    private final Items<T> items;
    private final int maxUnavailable;
    private transient Counter dropped;

    /** Entries in the broadcast state, counted once after a (re)start; -1 until then. */
    private transient int size;

    public DropUnavailableItems(Items<T> items, int maxUnavailable) {
        if (items == null || maxUnavailable < 1) {
            throw new IllegalArgumentException("items and a positive bound are required");
        }
        this.items = items;
        this.maxUnavailable = maxUnavailable;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        dropped =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("p13n")
                        .counter("unavailableItemsDropped");
        size = -1;
    }

    @Override
    public void processElement(T list, ReadOnlyContext ctx, Collector<T> out) throws Exception {
        ReadOnlyBroadcastState<String, Long> unavailable = ctx.getBroadcastState(UNAVAILABLE);
        List<ScoredItem> all = items.of(list);
        List<ScoredItem> kept = null;
        for (int i = 0; i < all.size(); i++) {
            ScoredItem item = all.get(i);
            if (unavailable.contains(item.getItemId())) {
                if (kept == null) {
                    kept = new ArrayList<>(all.subList(0, i));
                }
                dropped.inc();
            } else if (kept != null) {
                kept.add(item);
            }
        }
        out.collect(kept == null ? list : items.with(list, kept));
    }

    @Override
    public void processBroadcastElement(ProductAvailability change, Context ctx, Collector<T> out)
            throws Exception {
        BroadcastState<String, Long> unavailable = ctx.getBroadcastState(UNAVAILABLE);
        if (size < 0) { // first change since (re)start: count what was restored
            size = 0;
            for (var ignored : unavailable.entries()) {
                size++;
            }
        }
        boolean held = unavailable.contains(change.getProductId());
        if (change.getAvailable()) {
            if (held) {
                unavailable.remove(change.getProductId());
                size--;
            }
            return;
        }
        unavailable.put(change.getProductId(), change.getEventTime());
        if (!held) {
            size++;
        }
        if (size > maxUnavailable) {
            // The one unavailable longest (ties by id). Changes of one product arrive in order;
            // different products' changes may interleave differently per subtask, so near the
            // bound two subtasks can briefly forget different products.
            String longest = null;
            long since = Long.MAX_VALUE;
            for (Map.Entry<String, Long> e : unavailable.entries()) {
                if (e.getValue() < since
                        || (e.getValue() == since && e.getKey().compareTo(longest) < 0)) {
                    longest = e.getKey();
                    since = e.getValue();
                }
            }
            unavailable.remove(longest);
            size--;
        }
    }
}
