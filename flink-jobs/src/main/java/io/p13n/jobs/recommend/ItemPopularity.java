package io.p13n.jobs.recommend;

import io.p13n.model.ItemLink;
import io.p13n.model.ItemPopularityState;
import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.ItemTransition;
import io.p13n.model.ItemView;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage 2, keyed by the viewed item: its decayed interaction count, and one {@link ItemTransition}
 * per predecessor carrying that count, so the neighbour stage (keyed by the predecessor) can
 * normalise by the target's popularity without reading another key's state; plus, with {@code
 * recommend.backward-weight}, one discounted transition back from this item to each predecessor.
 * One value per item, decayed to each event's time (plain exponential decay: a single number needs
 * no landmark).
 */
public final class ItemPopularity {
    private ItemPopularity() {}

    public static ItemPopularityState empty(String itemId) {
        return new ItemPopularityState(itemId, null, 0.0, 0L);
    }

    /** Counts the view and turns it into transitions predecessor -> this item (and back). */
    public static List<ItemTransition> apply(
            ItemPopularityState state, ItemView view, RecommendationSettings s) {
        long time = Math.max(view.getEventTime(), state.getUpdatedAt());
        // A late view adds its weight decayed to the state's newer time.
        double added =
                ForwardDecay.decay(
                        view.getWeight(), view.getEventTime(), time, s.popularityHalfLifeMillis());
        double popularity =
                ForwardDecay.decay(
                                state.getPopularity(),
                                state.getUpdatedAt(),
                                time,
                                s.popularityHalfLifeMillis())
                        + added;
        state.setPopularity(popularity);
        state.setUpdatedAt(time);
        if (view.getCategoryId() != null) {
            state.setCategoryId(view.getCategoryId());
        }
        List<ItemTransition> out = new ArrayList<>(view.getPredecessors().size());
        for (ItemLink from : view.getPredecessors()) {
            out.add(
                    new ItemTransition(
                            from.getItemId(),
                            view.getItemId(),
                            state.getCategoryId(),
                            from.getWeight() * view.getWeight(),
                            popularity,
                            view.getEventTime(),
                            view.getPurchase()));
        }
        // Backward links: what was viewed before this item is related to it too (the order-free
        // co-occurrence of session kNN), at a discount. This key does not know the predecessor's
        // popularity or category: 0 and null say "unknown", the neighbour stage keeps what it
        // knows.
        // Order lines need none: each line already links to every other line.
        if (s.backwardWeight() > 0 && !view.getPurchase()) {
            for (ItemLink from : view.getPredecessors()) {
                if (!from.getItemId().equals(view.getItemId())) {
                    out.add(
                            new ItemTransition(
                                    view.getItemId(),
                                    from.getItemId(),
                                    null,
                                    s.backwardWeight() * from.getWeight() * view.getWeight(),
                                    0.0,
                                    view.getEventTime(),
                                    false));
                }
            }
        }
        return out;
    }

    /**
     * The item's popularity for the trending stage, stated as of its last interaction (the update's
     * eventTime) rather than decayed to {@code now}: the value is then exact, and the trending
     * stage decays it with the same half-life. {@code now} (the operator's clock) is not needed for
     * that and is ignored; it is in the signature so callers need not know the update is exact.
     */
    public static ItemPopularityUpdate update(ItemPopularityState state, long now) {
        return new ItemPopularityUpdate(
                state.getItemId(),
                state.getCategoryId(),
                state.getPopularity(),
                state.getUpdatedAt());
    }
}
