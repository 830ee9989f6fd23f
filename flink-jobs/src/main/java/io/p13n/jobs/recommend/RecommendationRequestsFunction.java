package io.p13n.jobs.recommend;

import io.p13n.jobs.state.KeyedStates;
import io.p13n.jobs.state.Publications;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.CartItem;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerProfile;
import io.p13n.model.RecommendationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides when a customer's recommendations must be ranked again and emits a {@link
 * RecommendationRequest} for it; keyed by customer id, fed with every profile update.
 *
 * <p>Only changes the ranking can see count (recent items, cart, purchases, top categories): page
 * views, searches and timer updates cost one state read and no ranking. Bursts are coalesced by the
 * operator's {@link Publications} (wall-clock): the first change after a quiet {@code
 * recommend.coalesce-interval} is ranked at once, later ones within the interval once, at its end,
 * with the latest profile (the pending request waits on the heap, not in state). So a customer's
 * list is rewritten at most about once per interval, and the last state of a burst is never lost.
 *
 * <p>State per customer: a fingerprint (one long), expired a day after the last write — a customer
 * back after a day starts a new burst anyway.
 */
public class RecommendationRequestsFunction
        extends KeyedProcessFunction<String, CustomerProfile, RecommendationRequest>
        implements StateCaches.User, Publications.User<RecommendationRequest> {
    private static final long serialVersionUID = 1L;

    private transient StateCaches caches;

    @Override
    public void useStateCaches(StateCaches caches) {
        this.caches = caches;
    }

    @Override
    public void usePublications(Publications<RecommendationRequest> publications) {
        this.publications = publications;
    }

    @Override
    public long publicationIntervalMillis() {
        return settings.coalesceIntervalMillis();
    }

    /** State names: stable, renaming one drops that state on restore from a savepoint. */
    public static final String FINGERPRINT = "recommendation-input-fingerprint";

    static final Duration TTL = Duration.ofDays(1);

    private final RecommendationSettings settings;
    private transient ValueState<Long> fingerprint;
    private transient Publications<RecommendationRequest> publications;
    private transient Counter requests;
    private transient Counter coalesced;

    public RecommendationRequestsFunction(RecommendationSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        StateCaches cache = StateCaches.orNone(caches);
        fingerprint =
                cache.cache(
                        FINGERPRINT,
                        KeyedStates.value(getRuntimeContext(), FINGERPRINT, Types.LONG, TTL));
        publications = Publications.orImmediate(publications);
        requests =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("p13n")
                        .counter("recommendationRequests");
        coalesced =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("p13n")
                        .counter("recommendationRequestsCoalesced");
    }

    @Override
    public void processElement(
            CustomerProfile profile, Context ctx, Collector<RecommendationRequest> out)
            throws Exception {
        if (profile.getErased()) {
            // A pending request would re-create the list after its deletion: it goes too.
            publications.forget();
            fingerprint.clear();
            out.collect(
                    RecommendationRequest.newBuilder()
                            .setCustomerId(profile.getCustomerId())
                            .setErased(true)
                            .build());
            return;
        }
        long digest = fingerprint(profile);
        Long seen = fingerprint.value();
        if (seen != null && seen == digest) {
            return; // nothing the ranking looks at changed
        }
        fingerprint.update(digest);
        RecommendationRequest request = request(profile);
        if (publications.changed(profile.getLastEventTime(), request)) {
            requests.inc();
            out.collect(request);
        } else {
            coalesced.inc();
        }
    }

    @Override
    public void publish(
            Object pending, long eventTime, Publications.Emitter<RecommendationRequest> out) {
        requests.inc();
        out.collect((RecommendationRequest) pending);
    }

    /**
     * The request, sharing nothing with the profile: with object reuse and the heap state backend
     * the profile is the upstream's live state, which the next event mutates.
     */
    private static RecommendationRequest request(CustomerProfile profile) {
        RecommendationRequest request = RecommendationRequests.from(profile);
        List<CategoryScore> categories = new ArrayList<>(request.getCategories().size());
        for (CategoryScore c : request.getCategories()) {
            categories.add(CategoryScore.newBuilder(c).build());
        }
        request.setCategories(categories);
        return request;
    }

    /**
     * A 64-bit digest of what the ranking reads. A collision (two different inputs, same digest)
     * only skips one re-ranking until the next change; with String hash codes mixed by a 64-bit odd
     * multiplier that is rare enough not to matter.
     */
    static long fingerprint(CustomerProfile p) {
        long h = 1;
        for (String item : p.getRecentlyViewed()) {
            h = h * 0x9E3779B97F4A7C15L + item.hashCode();
        }
        h = h * 0x9E3779B97F4A7C15L + 1;
        for (CartItem item : p.getCart()) {
            h = h * 0x9E3779B97F4A7C15L + item.getProductId().hashCode();
        }
        h = h * 0x9E3779B97F4A7C15L + 2;
        for (String item : p.getPurchasedProducts()) {
            h = h * 0x9E3779B97F4A7C15L + item.hashCode();
        }
        h = h * 0x9E3779B97F4A7C15L + 3;
        for (CategoryScore c : p.getCategories()) {
            h = h * 0x9E3779B97F4A7C15L + c.getCategoryId().hashCode();
        }
        return h;
    }
}
