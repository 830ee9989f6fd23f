package io.p13n.jobs.catalog;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.CatalogEvent;
import io.p13n.model.CatalogInput;
import io.p13n.model.ProductAvailability;
import io.p13n.model.ProductCatalogState;
import io.p13n.model.ProductInterest;
import io.p13n.model.ProductMoment;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by product: remembers who recently viewed, wishlisted or carted it ({@link
 * ProductInterest}), applies catalog changes ({@link CatalogEvent}), and emits a {@link
 * ProductMoment} per watcher when the product drops in price or comes back in stock (campaign
 * triggers PRICE_DROP and BACK_IN_STOCK); availability flips go to {@link #AVAILABILITY}, for the
 * stages that publish lists.
 *
 * <p>Exactly once: the state and the moments it emits belong to the same checkpoint, and a catalog
 * event states the product as it is (not a delta), so a replayed event finds the price already
 * applied and fires nothing.
 *
 * <p>State: one record per product, its watchers bounded by {@code catalog.max-watchers} and aged
 * out after {@code catalog.watch-period}; the record expires {@link #PRODUCT_TTL} after its last
 * change.
 */
public class CatalogWatchersFunction
        extends KeyedProcessFunction<String, CatalogInput, ProductMoment>
        implements StateCaches.User {
    private static final long serialVersionUID = 1L;

    /** State name: stable, renaming it drops that state on restore from a savepoint. */
    public static final String PRODUCT = "product-catalog";

    /**
     * A product neither changed in the catalog nor looked at for half a year is forgotten (a
     * discontinued product); its next catalog event sets a new baseline, so at most one price drop
     * after such a gap goes unnoticed.
     */
    static final Duration PRODUCT_TTL = Duration.ofDays(180);

    public static final OutputTag<ProductAvailability> AVAILABILITY =
            new OutputTag<>("product-availability", new AvroTypeInfo<>(ProductAvailability.class));

    private final CatalogSettings settings;
    private transient StateCaches caches;
    private transient ValueState<ProductCatalogState> product;
    private transient Counter catalogEvents;
    private transient Counter moments;

    public CatalogWatchersFunction(CatalogSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
    }

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    @Override
    public void open(OpenContext openContext) {
        product =
                StateCaches.orNone(caches)
                        .cache(
                                PRODUCT,
                                KeyedStates.value(
                                        getRuntimeContext(),
                                        PRODUCT,
                                        new AvroTypeInfo<>(ProductCatalogState.class),
                                        PRODUCT_TTL));
        var group = getRuntimeContext().getMetricGroup().addGroup("p13n");
        catalogEvents = group.counter("catalogEventsApplied");
        moments = group.counter("productMoments");
    }

    @Override
    public void processElement(CatalogInput input, Context ctx, Collector<ProductMoment> out)
            throws Exception {
        ProductCatalogState state = product.value();
        if (state == null) {
            state = ProductWatchers.empty();
        }
        if (input.getPayload() instanceof ProductInterest interest) {
            ProductWatchers.watch(state, interest, settings);
        } else if (input.getPayload() instanceof CatalogEvent event) {
            ProductWatchers.Change change = ProductWatchers.apply(state, event, settings);
            catalogEvents.inc();
            for (ProductMoment moment : change.moments()) {
                out.collect(moment);
            }
            moments.inc(change.moments().size());
            if (change.availability() != null) {
                ctx.output(AVAILABILITY, change.availability());
            }
        }
        product.update(state);
    }
}
