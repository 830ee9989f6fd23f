package io.p13n.jobs.recommend;

import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.ItemLink;
import io.p13n.model.ItemView;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.SessionTrailState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 1, keyed by customer: the items of the current session, most recent first, and for each new
 * product interaction an {@link ItemView} linking it to its predecessors. The link at distance d
 * weighs 1/d: the item viewed just before says most about this one (the weighting of sequential
 * rules, Ludewig and Jannach 2018).
 */
public final class SessionTrail {
    private SessionTrail() {}

    public static SessionTrailState empty() {
        return new SessionTrailState("", 0L, new ArrayList<>());
    }

    /**
     * The view this click makes, or null if it is not a product interaction (page views, searches,
     * cart removals: a removal is not evidence that two items go together). Mutates {@code state}.
     */
    public static ItemView onClick(
            SessionTrailState state, ClickEvent click, RecommendationSettings s) {
        String item = click.getProductId();
        if (item == null || item.isEmpty()) {
            return null;
        }
        double weight;
        ClickType type = click.getType();
        if (type == ClickType.PRODUCT_VIEW) {
            weight = 1.0;
        } else if (type == ClickType.ADD_TO_CART || type == ClickType.WISHLIST) {
            weight = s.weightCart();
        } else {
            return null;
        }
        long time = click.getEventTime().toEpochMilli();
        String session = click.getSessionId() == null ? "" : click.getSessionId();
        boolean newSession =
                (!session.isEmpty() && !session.equals(state.getSessionId()))
                        || time - state.getLastEventTime() > s.sessionTimeoutMillis();
        List<String> items = mutable(state);
        if (newSession) {
            // Items of another visit are weaker evidence: the trail starts over.
            items.clear();
            state.setSessionId(session);
        }
        state.setLastEventTime(Math.max(state.getLastEventTime(), time));

        List<ItemLink> predecessors = new ArrayList<>();
        // A repeated click on the item already on screen (reloads, image swipes) counts towards its
        // popularity but links nothing: its predecessors were linked when it was first viewed. (An
        // item's own learned revisit rate was measured and did not beat a uniform prior, see
        // Ranker.)
        boolean repeat = !items.isEmpty() && items.get(0).equals(item);
        if (!repeat) {
            int distance = 0;
            for (String earlier : items) {
                if (++distance > s.maxPredecessorDistance()) {
                    break;
                }
                if (!earlier.equals(item)) {
                    predecessors.add(new ItemLink(earlier, 1.0 / distance));
                }
            }
            // Keep each item once, at its latest position, so the bounded trail holds distinct
            // items.
            items.remove(item);
            items.add(0, item);
            while (items.size() > s.trailLength()) {
                items.remove(items.size() - 1);
            }
        }
        return new ItemView(item, click.getCategoryId(), time, weight, predecessors, false);
    }

    /**
     * Co-purchase: one view per distinct product of the order, each with the order's other products
     * as predecessors (weight 1: an order has no order). At most {@code trailLength} lines are
     * linked, so a bulk order of hundreds of lines cannot fan out quadratically.
     *
     * <p>An order neither reads nor extends the click trail: orders and clicks come from different
     * topics, so an order can be read before the clicks that preceded it. When it moved the trail's
     * last event time, the first click of a new visit read after that visit's order looked like a
     * continuation of the previous visit, and linked items of two visits; which visits were joined
     * depended on how the two topics interleaved, not on the events.
     */
    public static List<ItemView> onOrder(OrderEvent order, RecommendationSettings s) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (OrderLine line : order.getLines()) {
            if (line.getProductId() != null
                    && !line.getProductId().isEmpty()
                    && lines.size() < s.trailLength()) {
                lines.putIfAbsent(line.getProductId(), line.getCategoryId());
            }
        }
        List<ItemView> views = new ArrayList<>(lines.size());
        for (Map.Entry<String, String> line : lines.entrySet()) {
            List<ItemLink> others = new ArrayList<>(lines.size() - 1);
            for (String other : lines.keySet()) {
                if (!other.equals(line.getKey())) {
                    others.add(new ItemLink(other, 1.0));
                }
            }
            views.add(
                    new ItemView(
                            line.getKey(),
                            line.getValue(),
                            order.getEventTime().toEpochMilli(),
                            s.weightPurchase(),
                            others,
                            true));
        }
        return views;
    }

    private static List<String> mutable(SessionTrailState state) {
        List<String> items = state.getItems();
        if (!(items instanceof ArrayList)) {
            items = new ArrayList<>(items);
            state.setItems(items);
        }
        return items;
    }
}
