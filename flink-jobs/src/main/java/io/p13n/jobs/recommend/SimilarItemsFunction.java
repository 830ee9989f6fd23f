package io.p13n.jobs.recommend;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.jobs.state.Publications;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.ItemNeighboursState;
import io.p13n.model.ItemTransition;
import io.p13n.model.ItemTransitionBatch;
import io.p13n.model.SimilarItems;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Learns which items follow or accompany each item and emits its {@link SimilarItems} list (top
 * {@code recommend.similar-size}, normalised, decayed), at most once per {@code
 * recommend.coalesce-interval} per item; keyed by the item the transitions start from.
 *
 * <p>State: the item's candidate list, at most {@code recommend.max-candidates} entries (see {@link
 * ItemNeighbours} for the size at 100k and 1M products), expired {@link #ITEM_TTL} after the item's
 * last transition.
 */
public class SimilarItemsFunction
        extends KeyedProcessFunction<String, ItemTransitionBatch, SimilarItems>
        implements StateCaches.User, Publications.User<SimilarItems> {
    private static final long serialVersionUID = 1L;

    private transient StateCaches caches;

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    @Override
    public void usePublications(Publications<SimilarItems> publications) {
        this.publications = publications;
    }

    @Override
    public long publicationIntervalMillis() {
        return settings.coalesceIntervalMillis();
    }

    /** State names: stable, renaming one drops that state on restore from a savepoint. */
    public static final String NEIGHBOURS = "item-neighbours";

    /** Same reasoning as the popularity: 30 days unseen is many neighbour half-lives. */
    static final Duration ITEM_TTL = ItemTransitionsFunction.ITEM_TTL;

    private final RecommendationSettings settings;
    private transient ValueState<ItemNeighboursState> neighbours;
    private transient Publications<SimilarItems> publications;

    public SimilarItemsFunction(RecommendationSettings settings) {
        this.settings = settings;
    }

    /** The neighbour state's descriptor (also for reading it from a savepoint). */
    public static ValueStateDescriptor<ItemNeighboursState> neighboursDescriptor() {
        return KeyedStates.descriptor(
                NEIGHBOURS, new AvroTypeInfo<>(ItemNeighboursState.class), ITEM_TTL);
    }

    @Override
    public void open(OpenContext openContext) {
        neighbours =
                StateCaches.orNone(caches)
                        .cache(NEIGHBOURS, getRuntimeContext().getState(neighboursDescriptor()));
        publications = Publications.orImmediate(publications);
    }

    @Override
    public void processElement(ItemTransitionBatch batch, Context ctx, Collector<SimilarItems> out)
            throws Exception {
        ItemNeighboursState state = neighbours.value();
        if (state == null) {
            state = ItemNeighbours.empty(ctx.getCurrentKey());
        }
        for (ItemTransition transition : batch.getTransitions()) {
            ItemNeighbours.apply(state, transition, settings);
        }
        neighbours.update(state);
        if (publications.changed(batch.getEventTime(), null)) {
            out.collect(ItemNeighbours.similar(state, batch.getEventTime(), settings));
        }
    }

    @Override
    public void publish(Object payload, long eventTime, Publications.Emitter<SimilarItems> out)
            throws Exception {
        ItemNeighboursState state = neighbours.value();
        if (state != null) {
            out.collect(ItemNeighbours.similar(state, eventTime, settings));
        }
    }
}
