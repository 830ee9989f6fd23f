package io.p13n.jobs.recommend;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.jobs.state.Publications;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.TrendingItems;
import io.p13n.model.TrendingState;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Trending items in one category, from the items' popularity updates; keyed by category. Emits the
 * category's top list at most once per {@code recommend.coalesce-interval}; the overall list is
 * merged from these by {@link OverallTrendingFunction}, so no single key ever sees every click.
 *
 * <p>State: {@code recommend.trending-candidates} items per category at most, expired {@link
 * #CATEGORY_TTL} after the category's last update.
 */
public class TrendingItemsFunction
        extends KeyedProcessFunction<String, ItemPopularityUpdate, TrendingItems>
        implements StateCaches.User, Publications.User<TrendingItems> {
    private static final long serialVersionUID = 1L;

    private transient StateCaches caches;

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    @Override
    public void usePublications(Publications<TrendingItems> publications) {
        this.publications = publications;
    }

    @Override
    public long publicationIntervalMillis() {
        return settings.coalesceIntervalMillis();
    }

    /** State names: stable, renaming one drops that state on restore from a savepoint. */
    public static final String TRENDING = "category-trending";

    /** A category nobody looked at for 30 days trends nowhere. */
    static final Duration CATEGORY_TTL = Duration.ofDays(30);

    private final RecommendationSettings settings;
    private transient ValueState<TrendingState> trending;
    private transient Publications<TrendingItems> publications;

    public TrendingItemsFunction(RecommendationSettings settings) {
        this.settings = settings;
    }

    /** The trending state's descriptor (also for reading it from a savepoint). */
    public static ValueStateDescriptor<TrendingState> trendingDescriptor() {
        return KeyedStates.descriptor(
                TRENDING, new AvroTypeInfo<>(TrendingState.class), CATEGORY_TTL);
    }

    @Override
    public void open(OpenContext openContext) {
        trending =
                StateCaches.orNone(caches)
                        .cache(TRENDING, getRuntimeContext().getState(trendingDescriptor()));
        publications = Publications.orImmediate(publications);
    }

    @Override
    public void processElement(
            ItemPopularityUpdate update, Context ctx, Collector<TrendingItems> out)
            throws Exception {
        TrendingState state = trending.value();
        if (state == null) {
            state = Trending.empty(ctx.getCurrentKey());
        }
        Trending.apply(state, update, settings);
        trending.update(state);
        if (publications.changed(update.getEventTime(), null)) {
            out.collect(Trending.latest(state, settings));
        }
    }

    @Override
    public void publish(Object payload, long eventTime, Publications.Emitter<TrendingItems> out)
            throws Exception {
        TrendingState state = trending.value();
        if (state != null) {
            out.collect(Trending.latest(state, settings));
        }
    }
}
