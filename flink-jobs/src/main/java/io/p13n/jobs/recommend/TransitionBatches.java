package io.p13n.jobs.recommend;

import io.p13n.jobs.state.PreAggregateOperator;
import io.p13n.model.ItemTransitionBatch;
import java.util.ArrayList;

/**
 * Combines the transition batches of one source item within a bundle, before the shuffle to the
 * neighbour stage: their transitions in order, in one batch, which {@code SimilarItemsFunction}
 * applies one after the other exactly as it would have applied the batches; the batch's event time
 * is the latest. A popular item viewed many times a second then costs its neighbour state one read
 * and one write per bundle. The transitions themselves are not merged (their weights decay from
 * their own event times), so the model, and with it {@code eval recommendations}, is unchanged.
 */
public final class TransitionBatches implements PreAggregateOperator.Combiner<ItemTransitionBatch> {
    private static final long serialVersionUID = 1L;

    @Override
    public String keyOf(ItemTransitionBatch batch) {
        return batch.getFromItemId();
    }

    @Override
    public ItemTransitionBatch combine(ItemTransitionBatch earlier, ItemTransitionBatch later) {
        earlier.getTransitions().addAll(later.getTransitions());
        earlier.setEventTime(Math.max(earlier.getEventTime(), later.getEventTime()));
        return earlier;
    }

    /**
     * A batch with its own list, so that combining never changes a list the producer made; the
     * transitions are shared, which is safe because nothing changes a transition once emitted.
     */
    @Override
    public ItemTransitionBatch own(ItemTransitionBatch batch) {
        return new ItemTransitionBatch(
                batch.getFromItemId(),
                new ArrayList<>(batch.getTransitions()),
                batch.getEventTime());
    }
}
