package io.p13n.jobs.recommend;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.state.KeyedStates;
import io.p13n.jobs.state.Publications;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.ItemPopularityState;
import io.p13n.model.ItemTransition;
import io.p13n.model.ItemTransitionBatch;
import io.p13n.model.ItemView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each item's decayed popularity and turns every view of it into one {@link ItemTransition}
 * per predecessor (and one back, see {@code recommend.backward-weight}), batched by the item they
 * start from, stamped with this item's popularity, so the next stage (keyed by the predecessor) can
 * normalise by the target's popularity without reading another key; keyed by the viewed item.
 * Popularity changes go to {@link OutputTags#POPULARITY_UPDATES} for trending, at most once per
 * {@code recommend.coalesce-interval} per item.
 *
 * <p>State: a few numbers per item, expired {@link #ITEM_TTL} after the item's last view.
 */
public class ItemTransitionsFunction
        extends KeyedProcessFunction<String, ItemView, ItemTransitionBatch>
        implements StateCaches.User, Publications.User<ItemTransitionBatch> {
    private static final long serialVersionUID = 1L;

    private transient StateCaches caches;

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    @Override
    public void usePublications(Publications<ItemTransitionBatch> publications) {
        this.publications = publications;
    }

    @Override
    public long publicationIntervalMillis() {
        return settings.coalesceIntervalMillis();
    }

    /** State names: stable, renaming one drops that state on restore from a savepoint. */
    public static final String POPULARITY = "item-popularity";

    /**
     * An item unseen for 30 days has a popularity of 2^-(30 d / half-life) of its peak, far below
     * anything trending: keeping it would only cost memory for discontinued products.
     */
    static final Duration ITEM_TTL = Duration.ofDays(30);

    private final RecommendationSettings settings;
    private transient ValueState<ItemPopularityState> popularity;
    private transient Publications<ItemTransitionBatch> publications;

    public ItemTransitionsFunction(RecommendationSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        popularity =
                StateCaches.orNone(caches)
                        .cache(
                                POPULARITY,
                                KeyedStates.value(
                                        getRuntimeContext(),
                                        POPULARITY,
                                        new AvroTypeInfo<>(ItemPopularityState.class),
                                        ITEM_TTL));
        publications = Publications.orImmediate(publications);
    }

    @Override
    public void processElement(ItemView view, Context ctx, Collector<ItemTransitionBatch> out)
            throws Exception {
        ItemPopularityState state = popularity.value();
        if (state == null) {
            state = ItemPopularity.empty(ctx.getCurrentKey());
        }
        // One batch per item the transitions start from: a view's backward links all start from the
        // viewed item, so its neighbour state is read and written once for all of them.
        Map<String, ItemTransitionBatch> batches = new LinkedHashMap<>();
        for (ItemTransition transition : ItemPopularity.apply(state, view, settings)) {
            batches.computeIfAbsent(
                            transition.getFromItemId(),
                            from ->
                                    new ItemTransitionBatch(
                                            from, new ArrayList<>(), view.getEventTime()))
                    .getTransitions()
                    .add(transition);
        }
        for (ItemTransitionBatch batch : batches.values()) {
            out.collect(batch);
        }
        popularity.update(state);
        if (publications.changed(view.getEventTime(), null)) {
            ctx.output(
                    OutputTags.POPULARITY_UPDATES,
                    ItemPopularity.update(state, view.getEventTime()));
        }
    }

    @Override
    public void publish(
            Object payload, long eventTime, Publications.Emitter<ItemTransitionBatch> out)
            throws Exception {
        ItemPopularityState state = popularity.value();
        if (state != null) {
            out.output(OutputTags.POPULARITY_UPDATES, ItemPopularity.update(state, eventTime));
        }
    }
}
