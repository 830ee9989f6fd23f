package io.p13n.jobs.functions;

import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.jobs.recommend.Trending;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.TrendingItems;
import io.p13n.model.TrendingState;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
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
        implements StateCaches.User {
    private static final long serialVersionUID = 1L;

    private transient StateCaches caches;

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    /** State names: stable, renaming one drops that state on restore from a savepoint. */
    public static final String TRENDING = "category-trending";

    public static final String NEXT_PUBLICATION = "category-trending-next-publication";

    /** A category nobody looked at for 30 days trends nowhere. */
    static final Duration CATEGORY_TTL = Duration.ofDays(30);

    private final RecommendationSettings settings;
    private transient ValueState<TrendingState> trending;
    private transient PublishThrottle throttle;

    public TrendingItemsFunction(RecommendationSettings settings) {
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
                                        CATEGORY_TTL));
        throttle =
                PublishThrottle.open(
                        getRuntimeContext(),
                        StateCaches.orNone(caches),
                        NEXT_PUBLICATION,
                        CATEGORY_TTL,
                        settings.coalesceIntervalMillis());
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
        if (throttle.publishNow(update.getEventTime(), ctx.timerService())) {
            out.collect(Trending.top(state, update.getEventTime(), settings));
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
