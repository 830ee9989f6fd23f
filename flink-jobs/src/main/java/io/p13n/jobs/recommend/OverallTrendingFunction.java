package io.p13n.jobs.recommend;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.jobs.state.Publications;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.TrendingItems;
import io.p13n.model.TrendingState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Trending overall, merged from the per-category top lists; keyed by the single key {@link
 * Trending#OVERALL}. One key is fine here: its input is at most one list per category per {@code
 * recommend.coalesce-interval}, not the clickstream. State: {@code recommend.trending-candidates}
 * items, no TTL needed beyond the categories' (one record for the whole job), but it gets one
 * anyway so a job that stops seeing traffic ends with no state.
 */
public class OverallTrendingFunction
        extends KeyedProcessFunction<String, TrendingItems, TrendingItems>
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
    public static final String TRENDING = "overall-trending";

    private final RecommendationSettings settings;
    private transient ValueState<TrendingState> trending;
    private transient Publications<TrendingItems> publications;

    public OverallTrendingFunction(RecommendationSettings settings) {
        this.settings = settings;
    }

    /** The trending state's descriptor (also for reading it from a savepoint). */
    public static ValueStateDescriptor<TrendingState> trendingDescriptor() {
        return KeyedStates.descriptor(
                TRENDING,
                new AvroTypeInfo<>(TrendingState.class),
                TrendingItemsFunction.CATEGORY_TTL);
    }

    @Override
    public void open(OpenContext openContext) {
        trending =
                StateCaches.orNone(caches)
                        .cache(TRENDING, getRuntimeContext().getState(trendingDescriptor()));
        publications = Publications.orImmediate(publications);
    }

    @Override
    public void processElement(TrendingItems categoryTop, Context ctx, Collector<TrendingItems> out)
            throws Exception {
        TrendingState state = trending.value();
        if (state == null) {
            state = Trending.empty(Trending.OVERALL);
        }
        Trending.merge(state, categoryTop, settings);
        trending.update(state);
        if (publications.changed(categoryTop.getUpdatedAt(), null)) {
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
