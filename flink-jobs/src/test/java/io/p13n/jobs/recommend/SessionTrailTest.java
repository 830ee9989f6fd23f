package io.p13n.jobs.recommend;

import static io.p13n.jobs.recommend.RecommendFixtures.T0;
import static io.p13n.jobs.recommend.RecommendFixtures.click;
import static io.p13n.jobs.recommend.RecommendFixtures.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.p13n.model.ClickType;
import io.p13n.model.ItemLink;
import io.p13n.model.ItemView;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.SessionTrailState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTrailTest {
    private final RecommendationSettings s = RecommendationSettings.defaults().withTrail(4, 3);

    @Test
    void shouldLinkPredecessorsNearestFirstWeighingOneOverDistance() {
        SessionTrailState state = SessionTrail.empty();
        for (String p : List.of("A", "B", "C", "D")) {
            SessionTrail.onClick(state, view("c", "s1", p, T0), s);
        }
        ItemView e = SessionTrail.onClick(state, view("c", "s1", "E", T0 + 1000), s);

        // max distance 3: D, C, B; A is too far back
        assertThat(e.getPredecessors())
                .extracting(ItemLink::getItemId, ItemLink::getWeight)
                .containsExactly(tuple("D", 1.0), tuple("C", 0.5), tuple("B", 1.0 / 3));
        assertThat(state.getItems()).containsExactly("E", "D", "C", "B"); // trail length 4
    }

    @Test
    void shouldStartANewTrailOnANewSessionOrAfterTheTimeout() {
        SessionTrailState state = SessionTrail.empty();
        SessionTrail.onClick(state, view("c", "s1", "A", T0), s);
        assertThat(
                        SessionTrail.onClick(state, view("c", "s2", "B", T0 + 1000), s)
                                .getPredecessors())
                .isEmpty();

        assertThat(
                        SessionTrail.onClick(state, view("c", "s2", "C", T0 + 2000), s)
                                .getPredecessors())
                .extracting(ItemLink::getItemId)
                .containsExactly("B");
        long afterTimeout = T0 + 2000 + s.sessionTimeoutMillis() + 1;
        assertThat(
                        SessionTrail.onClick(state, view("c", "s2", "D", afterTimeout), s)
                                .getPredecessors())
                .isEmpty();
        assertThat(state.getItems()).containsExactly("D");
    }

    @Test
    void shouldIgnoreNonProductClicksAndLinkNothingOnARepeatedClick() {
        SessionTrailState state = SessionTrail.empty();
        assertThat(
                        SessionTrail.onClick(
                                state, click("c", "s1", ClickType.PAGE_VIEW, null, null, T0), s))
                .isNull();
        assertThat(
                        SessionTrail.onClick(
                                state,
                                click("c", "s1", ClickType.REMOVE_FROM_CART, "X", null, T0),
                                s))
                .isNull();
        SessionTrail.onClick(state, view("c", "s1", "A", T0), s);
        SessionTrail.onClick(state, view("c", "s1", "B", T0), s);

        ItemView again = SessionTrail.onClick(state, view("c", "s1", "B", T0 + 1), s);
        assertThat(again.getItemId()).isEqualTo("B");
        assertThat(again.getPredecessors()).isEmpty();

        ItemView cart =
                SessionTrail.onClick(
                        state, click("c", "s1", ClickType.ADD_TO_CART, "A", "cat", T0 + 2), s);
        assertThat(cart.getWeight()).isEqualTo(s.weightCart());
        assertThat(cart.getPredecessors())
                .extracting(ItemLink::getItemId)
                .containsExactly("B"); // not itself
        assertThat(state.getItems()).containsExactly("A", "B");
    }

    @Test
    void shouldLinkEachOrderLineToTheOtherLines() {
        OrderEvent order =
                OrderEvent.newBuilder()
                        .setOrderId("o1")
                        .setCustomerId("c")
                        .setLines(
                                List.of(
                                        new OrderLine("A", "x", 1, 1.0),
                                        new OrderLine("B", "y", 2, 1.0),
                                        new OrderLine("A", "x", 1, 1.0)))
                        .setEventTime(Instant.ofEpochMilli(T0))
                        .build();
        List<ItemView> views = SessionTrail.onOrder(order, s);

        assertThat(views).extracting(ItemView::getItemId).containsExactly("A", "B");
        assertThat(views.get(0).getPredecessors())
                .extracting(ItemLink::getItemId)
                .containsExactly("B");
        assertThat(views.get(1).getPredecessors())
                .extracting(ItemLink::getItemId)
                .containsExactly("A");
        assertThat(views)
                .allSatisfy(
                        v -> {
                            assertThat(v.getPurchase()).isTrue();
                            assertThat(v.getWeight()).isEqualTo(s.weightPurchase());
                        });
    }

    @Test
    void shouldNotJoinTwoVisitsWhenTheNewVisitsOrderIsReadBeforeItsClicks() {
        SessionTrailState state = SessionTrail.empty();
        SessionTrail.onClick(state, view("c", "s1", "A", T0), s);
        SessionTrail.onClick(state, view("c", "s1", "B", T0 + 10_000), s);
        // An hour later the customer comes back (same session id, past the timeout), views C and
        // orders; the order's topic is read first.
        long back = T0 + 3_600_000;
        OrderEvent order =
                OrderEvent.newBuilder()
                        .setOrderId("o2")
                        .setCustomerId("c")
                        .setLines(List.of(new OrderLine("X", "x", 1, 1.0)))
                        .setEventTime(Instant.ofEpochMilli(back + 60_000))
                        .build();
        SessionTrail.onOrder(order, s);
        ItemView c = SessionTrail.onClick(state, view("c", "s1", "C", back), s);

        assertThat(c.getPredecessors()).isEmpty();
        assertThat(state.getItems()).containsExactly("C");
    }
}
