package io.p13n.jobs.catalog;

import io.p13n.jobs.privacy.ErasedIds;
import io.p13n.jobs.reviews.ProductRatings;
import io.p13n.jobs.state.KeyedStates;
import io.p13n.model.CatalogEvent;
import io.p13n.model.CatalogInput;
import io.p13n.model.Erasure;
import io.p13n.model.ProductAvailability;
import io.p13n.model.ProductCatalogState;
import io.p13n.model.ProductInterest;
import io.p13n.model.ProductMoment;
import io.p13n.model.ProductRating;
import io.p13n.model.ProductReview;
import io.p13n.model.ProductWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by product: remembers who recently viewed, wishlisted or carted it ({@link
 * ProductInterest}), applies catalog changes ({@link CatalogEvent}), and emits a {@link
 * ProductMoment} per watcher when the product drops in price or comes back in stock (campaign
 * triggers PRICE_DROP and BACK_IN_STOCK); availability flips go to {@link #AVAILABILITY}, for the
 * stages that publish lists. Erasures arrive broadcast and take the customer out of every product's
 * watchers. Reviews' stars add up to the product's rating ({@link ProductRating}: sum and count),
 * published to {@link #RATINGS} on every change, for the storefront's rating hash in Redis and for
 * ranking (README, Reviews and ratings).
 *
 * <p>State per product: its catalog facts ({@link ProductCatalogState}, expiring {@link
 * #PRODUCT_TTL} after the last change) and its watchers, a map state with one entry per customer
 * that expires {@code catalog.watch-period} after the customer's last interest. An interest is one
 * small map write (plus a write of the facts when the customer is new to the product), not a
 * read-modify-write of a list of hundreds of watchers; past {@code catalog.max-watchers} entries
 * the map is pruned to the most recent. A catalog change reads the map once.
 *
 * <p>Exactly once: the state and the moments it emits belong to the same checkpoint, and a catalog
 * event states the product as it is (not a delta), so a replayed event finds the price already
 * applied and fires nothing.
 */
public class CatalogWatchersFunction
        extends KeyedBroadcastProcessFunction<String, CatalogInput, Erasure, ProductMoment> {
    private static final long serialVersionUID = 1L;

    /** State names: stable, renaming one drops that state on restore from a savepoint. */
    public static final String PRODUCT = "product-catalog";

    public static final String WATCHERS = "product-watchers";

    public static final String RATING = "product-rating";

    /**
     * A product nobody reviewed for a year loses its rating (a discontinued product, or one whose
     * reviews are too old to describe it); its next review starts a new one, which the Bayesian
     * average treats as few reviews, i.e. not demoted. One small record per reviewed product until
     * then.
     */
    public static final Duration RATING_TTL = Duration.ofDays(365);

    /** Every change of a product's rating, to Redis. */
    public static final OutputTag<ProductRating> RATINGS =
            new OutputTag<>("product-ratings", new AvroTypeInfo<>(ProductRating.class));

    /**
     * A product neither changed in the catalog nor looked at for half a year is forgotten (a
     * discontinued product); its next catalog event sets a new baseline, so at most one price drop
     * after such a gap goes unnoticed.
     */
    static final Duration PRODUCT_TTL = Duration.ofDays(180);

    /**
     * Erased customers, by the 64-bit hash {@link ErasedIds} uses (no id in the clear in a
     * checkpoint), with the processing time of the erasure: an interest already on its way when the
     * erasure was applied (combined in a bundle for up to 100 ms, or in a network buffer) must not
     * make the customer a watcher again. Kept {@link #ERASED_GRACE}, at most {@link #MAX_ERASED}
     * entries.
     */
    public static final MapStateDescriptor<Long, Long> RECENTLY_ERASED =
            new MapStateDescriptor<>("catalog-recently-erased", Types.LONG, Types.LONG);

    /** Far longer than any interest can be in flight (bundles flush within 100 ms). */
    static final long ERASED_GRACE = Duration.ofMinutes(10).toMillis();

    /** Erasures are rare (a few a day); ten thousand in ten minutes would be a purge, not users. */
    static final int MAX_ERASED = 10_000;

    public static final OutputTag<ProductAvailability> AVAILABILITY =
            new OutputTag<>("product-availability", new AvroTypeInfo<>(ProductAvailability.class));

    private final CatalogSettings settings;
    private transient ValueState<ProductCatalogState> product;
    private transient ValueState<ProductRating> rating;
    private transient MapStateDescriptor<String, ProductWatcher> watchersDescriptor;
    private transient MapState<String, ProductWatcher> watchers;
    private transient Counter catalogEvents;
    private transient Counter moments;
    private transient Counter forgotten;

    public CatalogWatchersFunction(CatalogSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        product =
                KeyedStates.value(
                        getRuntimeContext(),
                        PRODUCT,
                        new AvroTypeInfo<>(ProductCatalogState.class),
                        PRODUCT_TTL);
        watchersDescriptor =
                new MapStateDescriptor<>(
                        WATCHERS, Types.STRING, new AvroTypeInfo<>(ProductWatcher.class));
        // per entry: a customer stops being a watcher a watch period after their last interest
        watchersDescriptor.enableTimeToLive(KeyedStates.ttl(settings.watchPeriod()));
        watchers = getRuntimeContext().getMapState(watchersDescriptor);
        rating =
                KeyedStates.value(
                        getRuntimeContext(),
                        RATING,
                        new AvroTypeInfo<>(ProductRating.class),
                        RATING_TTL);
        var group = getRuntimeContext().getMetricGroup().addGroup("p13n");
        catalogEvents = group.counter("catalogEventsApplied");
        moments = group.counter("productMoments");
        forgotten = group.counter("productWatchersForgotten");
    }

    @Override
    public void processElement(
            CatalogInput input, ReadOnlyContext ctx, Collector<ProductMoment> out)
            throws Exception {
        if (input.getPayload() instanceof ProductInterest interest) {
            watch(interest, ctx);
        } else if (input.getPayload() instanceof CatalogEvent event) {
            change(event, ctx, out);
        } else if (input.getPayload() instanceof ProductReview review) {
            // Sum and count only grow (a re-sent review is dropped upstream as a duplicate; after a
            // failure state and output roll back together); the whole rating is published each
            // time, so the Redis hash is always complete.
            ProductRating updated = ProductRatings.add(rating.value(), review);
            rating.update(updated);
            ctx.output(RATINGS, ProductRating.newBuilder(updated).build());
        }
    }

    private void watch(ProductInterest interest, ReadOnlyContext ctx) throws Exception {
        var erased = ctx.getBroadcastState(RECENTLY_ERASED);
        if (erased.immutableEntries().iterator().hasNext()
                && erased.contains(ErasedIds.hash(interest.getCustomerId()))) {
            return;
        }
        ProductWatcher known = watchers.get(interest.getCustomerId());
        watchers.put(interest.getCustomerId(), ProductWatchers.watch(known, interest));
        if (known != null) {
            return;
        }
        ProductCatalogState state = stateOrEmpty();
        state.setWatcherCount(state.getWatcherCount() + 1);
        if (state.getWatcherCount() > settings.maxWatchers()) {
            prune(state, interest.getEventTime());
        }
        product.update(state);
    }

    private void change(CatalogEvent event, ReadOnlyContext ctx, Collector<ProductMoment> out)
            throws Exception {
        ProductCatalogState state = stateOrEmpty();
        ProductWatchers.Change change = ProductWatchers.apply(state, event, settings);
        catalogEvents.inc();
        long at = event.getEventTime().toEpochMilli();
        if (change.trigger() != null) {
            for (Map.Entry<String, ProductWatcher> w : watchers.entries()) {
                if (ProductWatchers.current(w.getValue(), at, settings)) {
                    out.collect(
                            ProductWatchers.moment(
                                    w.getKey(), event.getProductId(), state, change, at));
                    moments.inc();
                }
            }
        }
        if (change.availability() != null) {
            ctx.output(AVAILABILITY, change.availability());
        }
        product.update(state);
    }

    /**
     * Down to the most recent three quarters of {@code catalog.max-watchers} current watchers,
     * recounted. Not to the bound itself: a popular product gains new watchers all the time, and
     * pruning to the bound would mean a pass over its whole map for every one of them (the first
     * bench of this stage: the catalog stage busy 61 % of the time on the heap backend); with a
     * quarter of headroom a pass comes once per {@code max-watchers / 4} new watchers.
     */
    private void prune(ProductCatalogState state, long now) throws Exception {
        List<String> forget =
                ProductWatchers.toForget(
                        watchers.entries(), now, pruneTo(settings.maxWatchers()), settings);
        for (String customer : forget) {
            watchers.remove(customer);
        }
        forgotten.inc(forget.size());
        int left = 0;
        for (String ignored : watchers.keys()) {
            left++;
        }
        state.setWatcherCount(left);
    }

    /** The watchers a prune keeps: three quarters of the bound, at least one. */
    static int pruneTo(int maxWatchers) {
        return Math.max(1, maxWatchers * 3 / 4);
    }

    private ProductCatalogState stateOrEmpty() throws Exception {
        ProductCatalogState state = product.value();
        return state == null ? ProductWatchers.empty() : state;
    }

    /**
     * An erasure: the customer leaves every product's watchers (a pass over all products' watcher
     * maps, one delete each: erasures are rare), and interests of theirs still on the way are
     * refused for {@link #ERASED_GRACE}. Erasures an identity merge sends for the id merged away
     * are skipped: logins are frequent, a pass per login would not be, and the id's moments find no
     * customer at the offer stage (whose state the merge cleared), so it simply ages out.
     */
    @Override
    public void processBroadcastElement(Erasure erasure, Context ctx, Collector<ProductMoment> out)
            throws Exception {
        if (io.p13n.jobs.privacy.Erasures.fromMerge(erasure)) {
            return;
        }
        String customer = erasure.getCustomerId();
        ctx.applyToKeyedState(watchersDescriptor, (productId, state) -> state.remove(customer));
        BroadcastState<Long, Long> erased = ctx.getBroadcastState(RECENTLY_ERASED);
        long now = ctx.currentProcessingTime();
        List<Long> expired = new ArrayList<>();
        int size = 0;
        for (Map.Entry<Long, Long> e : erased.entries()) {
            if (e.getValue() < now - ERASED_GRACE) {
                expired.add(e.getKey());
            } else {
                size++;
            }
        }
        for (Long hash : expired) {
            erased.remove(hash);
        }
        if (size < MAX_ERASED) {
            erased.put(ErasedIds.hash(customer), now);
        }
    }
}
