package io.p13n.jobs.recommend;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.ClickEvent;
import io.p13n.model.ConsentEvent;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.CustomerEvent;
import io.p13n.model.Erasure;
import io.p13n.model.ItemView;
import io.p13n.model.OrderEvent;
import io.p13n.model.SessionTrailState;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a customer's product views, cart adds and orders into {@link ItemView}s: the item plus the
 * items before it in the same session (or order), which the item stages learn from; keyed by
 * customer id.
 *
 * <p>State: the current session's trail, {@code recommend.trail-length} items at most. It only
 * matters within a session, so it expires a day after its last update (a session that long is
 * already split by {@code recommend.session-timeout}).
 */
public class ItemViewsFunction extends KeyedProcessFunction<String, CustomerEvent, ItemView>
        implements StateCaches.User {
    private static final long serialVersionUID = 1L;

    private transient StateCaches caches;

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    /** State name: stable, renaming it drops the trails on restore from a savepoint. */
    public static final String SESSION_TRAIL = "session-trail";

    static final Duration TRAIL_TTL = Duration.ofDays(1);

    private final RecommendationSettings settings;
    private transient ValueState<SessionTrailState> trail;

    public ItemViewsFunction(RecommendationSettings settings) {
        this.settings = settings;
    }

    /** The trail state's descriptor (also for reading it from a savepoint). */
    public static ValueStateDescriptor<SessionTrailState> trailDescriptor() {
        return KeyedStates.descriptor(
                SESSION_TRAIL, new AvroTypeInfo<>(SessionTrailState.class), TRAIL_TTL);
    }

    @Override
    public void open(OpenContext openContext) {
        trail =
                StateCaches.orNone(caches)
                        .cache(SESSION_TRAIL, getRuntimeContext().getState(trailDescriptor()));
    }

    @Override
    public void processElement(CustomerEvent event, Context ctx, Collector<ItemView> out)
            throws Exception {
        Object payload = event.getPayload();
        if (payload instanceof OrderEvent) {
            // co-purchase links need no trail (see SessionTrail.onOrder): no state access
            for (ItemView view : SessionTrail.onOrder((OrderEvent) payload, settings)) {
                out.collect(view);
            }
            return;
        }
        if (payload instanceof Erasure) {
            trail.clear(); // the item models keep only aggregates without the customer id
            return;
        }
        if (payload instanceof ConsentEvent consent) {
            // Profiling withdrawn: the customer's trail goes now (their clicks no longer come).
            if (consent.getPurpose() == ConsentPurpose.PERSONALIZATION && !consent.getGranted()) {
                trail.clear();
            }
            return;
        }
        if (!(payload instanceof ClickEvent click)) {
            return; // reviews say nothing about the session trail
        }
        if (click.getProductId() == null) {
            return; // page views and searches say nothing about items: no state access at all
        }
        SessionTrailState state = trail.value();
        if (state == null) {
            state = SessionTrail.empty();
        }
        ItemView view = SessionTrail.onClick(state, click, settings);
        if (view == null) {
            return;
        }
        out.collect(view);
        trail.update(state);
    }
}
