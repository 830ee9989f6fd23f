package io.p13n.jobs.recommend;

import io.p13n.model.DecayedItem;
import io.p13n.model.ItemNeighboursState;
import io.p13n.model.ItemTransition;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stage 3, keyed by the from-item: the items seen after it (or bought with it), each with a
 * forward-decayed co-occurrence weight, and the published top-K list of its neighbours scored by
 * weight / popularity^alpha, so that items popular everywhere do not drown specific pairs.
 *
 * <p>Bounds. At most {@code maxCandidates} entries; a new candidate evicts the one with the
 * smallest decayed weight (forward decay makes "smallest now" the smallest stored value, so
 * eviction needs no decaying pass, and a pair seen once long ago goes before one seen once today).
 * An entry is an item id (~10-20 bytes), an optional category id, two doubles and a flag: ~45 bytes
 * in Avro (RocksDB, checkpoints), ~120 bytes as heap objects. With the default 100 candidates a
 * full list is ~4.5 KB serialized, ~12 KB on the heap. Upper bounds, every item's list full: 100k
 * items ~0.45 GB in RocksDB (~1.2 GB on the heap backend); 1M items ~4.5 GB (~12 GB heap, so use
 * RocksDB there), spread over the cluster. Real catalogues are long-tailed: most items have far
 * fewer successors than the cap. Per transition the work is a linear lookup over the list and, only
 * when a new candidate overflows it, one scan for the weakest: O(maxCandidates).
 */
public final class ItemNeighbours {
    private ItemNeighbours() {}

    public static ItemNeighboursState empty(String itemId) {
        return new ItemNeighboursState(itemId, 0L, 0L, new ArrayList<>());
    }

    /** Adds the transition's weight to its target, evicting the weakest candidate when full. */
    public static void apply(
            ItemNeighboursState state, ItemTransition t, RecommendationSettings s) {
        long halfLife = s.neighboursHalfLifeMillis();
        List<DecayedItem> candidates = mutable(state);
        if (candidates.isEmpty() && state.getLastEventTime() == 0L) {
            state.setLandmark(t.getEventTime());
        }
        if (ForwardDecay.needsRenormalising(t.getEventTime(), state.getLandmark(), halfLife)) {
            renormalise(state, t.getEventTime(), halfLife);
        }
        state.setLastEventTime(Math.max(state.getLastEventTime(), t.getEventTime()));
        double stored =
                t.getWeight() * ForwardDecay.grow(t.getEventTime(), state.getLandmark(), halfLife);
        for (DecayedItem c : candidates) {
            if (c.getItemId().equals(t.getToItemId())) {
                c.setWeight(c.getWeight() + stored);
                // The latest popularity is the best estimate of the target's current demand; 0 is
                // unknown.
                if (t.getToPopularity() > 0) {
                    c.setToPopularity(t.getToPopularity());
                }
                if (t.getToCategoryId() != null) {
                    c.setCategoryId(t.getToCategoryId());
                }
                c.setPurchase(c.getPurchase() || t.getPurchase());
                return;
            }
        }
        // An unknown popularity (a backward link) counts as 1, i.e. not normalised, until known.
        candidates.add(
                new DecayedItem(
                        t.getToItemId(),
                        t.getToCategoryId(),
                        stored,
                        Math.max(1.0, t.getToPopularity()),
                        t.getPurchase()));
        if (candidates.size() > s.maxCandidates()) {
            // The evidence that faded most goes: a pair seen once long ago before one seen once
            // today.
            int weakest = 0;
            for (int i = 1; i < candidates.size(); i++) {
                if (candidates.get(i).getWeight() < candidates.get(weakest).getWeight()) {
                    weakest = i;
                }
            }
            candidates.remove(weakest);
        }
    }

    /** The published list: the top {@code similarSize} neighbours as of {@code now}, best first. */
    public static SimilarItems similar(
            ItemNeighboursState state, long now, RecommendationSettings s) {
        List<ScoredItem> scored = new ArrayList<>(state.getCandidates().size());
        for (DecayedItem c : state.getCandidates()) {
            double weight =
                    ForwardDecay.valueAt(
                            c.getWeight(), now, state.getLandmark(), s.neighboursHalfLifeMillis());
            // Popularity below 1 (a single view long ago) must not inflate a score: clamp it.
            double score =
                    weight / Math.pow(Math.max(1.0, c.getToPopularity()), s.popularityExponent());
            if (c.getItemId().equals(state.getItemId())) {
                continue; // never similar to itself (a transition to itself is not made, but be
                // safe)
            }
            String reason =
                    (c.getPurchase() ? "bought together with " : "viewed together with ")
                            + state.getItemId();
            scored.add(new ScoredItem(c.getItemId(), c.getCategoryId(), score, reason));
        }
        scored.sort(
                Comparator.comparingDouble(ScoredItem::getScore)
                        .reversed()
                        .thenComparing(ScoredItem::getItemId));
        List<ScoredItem> top =
                new ArrayList<>(scored.subList(0, Math.min(s.similarSize(), scored.size())));
        return new SimilarItems(state.getItemId(), top, now);
    }

    private static void renormalise(ItemNeighboursState state, long time, long halfLife) {
        double factor = ForwardDecay.grow(state.getLandmark(), time, halfLife);
        for (DecayedItem c : state.getCandidates()) {
            c.setWeight(c.getWeight() * factor);
        }
        state.setLandmark(time);
    }

    private static List<DecayedItem> mutable(ItemNeighboursState state) {
        List<DecayedItem> items = state.getCandidates();
        if (!(items instanceof ArrayList)) {
            items = new ArrayList<>(items);
            state.setCandidates(items);
        }
        return items;
    }
}
