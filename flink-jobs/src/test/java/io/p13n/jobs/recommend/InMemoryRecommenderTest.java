package io.p13n.jobs.recommend;

import static io.p13n.jobs.recommend.RecommendFixtures.T0;
import static io.p13n.jobs.recommend.RecommendFixtures.click;
import static io.p13n.jobs.recommend.RecommendFixtures.request;
import static io.p13n.jobs.recommend.RecommendFixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.CartItem;
import io.p13n.model.CategoryScore;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerProfile;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.ScoredItem;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryRecommenderTest {
    private final RecommendationSettings s =
            RecommendationSettings.defaults().withExcludeRecentlyViewed(1);

    @Test
    void shouldRecommendWhatOthersViewedNextAndStopLearningWhenFrozen() {
        InMemoryRecommender rec = new InMemoryRecommender(s);
        for (int c = 0; c < 5; c++) {
            rec.observe(view("c" + c, "s" + c, "PHONE", T0 + c));
            rec.observe(view("c" + c, "s" + c, "CASE", T0 + c + 1));
        }
        rec.observe(click("x", "sx", ClickType.ADD_TO_CART, "CHARGER", "acc", T0 + 10));

        CustomerRecommendations recs =
                rec.recommend(request(List.of("PHONE"), List.of(), List.of(), List.of()));
        assertThat(recs.getItems().get(0).getItemId()).isEqualTo("CASE");
        assertThat(recs.getItems().get(0).getReason()).isEqualTo("viewed together with PHONE");
        // filled from overall trending
        assertThat(recs.getItems()).extracting(ScoredItem::getItemId).contains("CHARGER");
        assertThat(recs.getStrategy()).isEqualTo("neighbours+trending");

        rec.freeze();
        for (int c = 0; c < 20; c++) {
            rec.observe(view("d" + c, "t" + c, "PHONE", T0 + 100 + c));
            rec.observe(view("d" + c, "t" + c, "SIM", T0 + 101 + c));
        }
        assertThat(
                        rec.recommend(request(List.of("PHONE"), List.of(), List.of(), List.of()))
                                .getItems())
                .extracting(ScoredItem::getItemId)
                .doesNotContain("SIM");
    }

    @Test
    void shouldBuildARequestFromAProfile() {
        CustomerProfile p = new CustomerProfile();
        p.setCustomerId("c9");
        p.setRecentlyViewed(List.of("B", "A"));
        p.setPurchasedProducts(List.of("Z"));
        p.setCart(List.of(new CartItem("C", null, 1, 2.0, T0)));
        p.setCategories(List.of(new CategoryScore("x", 1.0, T0), new CategoryScore("y", 3.0, T0)));
        p.setLastEventTime(T0);

        RecommendationRequest r = RecommendationRequests.from(p);
        assertThat(r.getCustomerId()).isEqualTo("c9");
        assertThat(r.getRecentItems()).containsExactly("B", "A");
        assertThat(r.getCartItems()).containsExactly("C");
        assertThat(r.getPurchasedItems()).containsExactly("Z");
        assertThat(r.getCategories()).extracting(c -> c.getCategoryId()).containsExactly("y", "x");
        assertThat(r.getEventTime()).isEqualTo(T0);
    }
}
