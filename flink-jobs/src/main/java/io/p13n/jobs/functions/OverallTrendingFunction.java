package io.p13n.jobs.functions;

import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.jobs.recommend.Trending;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.TrendingItems;
import io.p13n.model.TrendingState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
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
        implements StateCaches.User {
    private static final long serialVersionUID = 1L;

    private transient StateCaches caches;

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    /** State names: stable, renaming one drops that state on restore from a savepoint. */
    public static final String TRENDING = "overall-trending";

    public static final String NEXT_PUBLICATION = "overall-trending-next-publication";

    private final RecommendationSettings settings;
    private transient ValueState<TrendingState> trending;
    private transient PublishThrottle throttle;

    public OverallTrendingFunction(RecommendationSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        trending =
                StateCaches.orNone(caches)
                        .cache(
                                TRENDING,
                                KeyedStates.value(
                                        getRuntimeContext(),
                                        TRENDING,
                                        new AvroTypeInfo<>(TrendingState.class),
                                        TrendingItemsFunction.CATEGORY_TTL));
        throttle =
                PublishThrottle.open(
                        getRuntimeContext(),
                        StateCaches.orNone(caches),
                        NEXT_PUBLICATION,
                        TrendingItemsFunction.CATEGORY_TTL,
                        settings.coalesceIntervalMillis());
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
        if (throttle.publishNow(categoryTop.getUpdatedAt(), ctx.timerService())) {
            out.collect(Trending.top(state, categoryTop.getUpdatedAt(), settings));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingItems> out)
            throws Exception {
        long at = throttle.onTimer(ctx.timeDomain(), ctx.timerService());
        TrendingState state = at < 0 ? null : trending.value();
        if (state != null) {
            out.collect(Trending.top(state, at, settings));
        }
    }
}
