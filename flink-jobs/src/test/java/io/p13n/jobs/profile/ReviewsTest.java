package io.p13n.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.reviews.ReviewSettings;
import io.p13n.model.CartItem;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.ReviewEvent;
import io.p13n.model.TriggerType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewsTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    private final ReviewSettings s = ReviewSettings.defaults(); // low <= 2, 50 points

    private static ReviewEvent review(String product, int rating) {
        return ReviewEvent.newBuilder()
                .setEventId("r-" + product + "-" + rating)
                .setCustomerId("c1")
                .setProductId(product)
                .setRating(rating)
                .setTextLength(120)
                .setEventTime(T)
                .build();
    }

    private static CustomerProfile bought(String... products) {
        return CustomerProfile.newBuilder()
                .setCustomerId("c1")
                .setPurchasedProducts(new ArrayList<>(List.of(products)))
                .setPoints(100)
                .build();
    }

    @Test
    void shouldRaiseServiceRecoveryOnALowRating() {
        CustomerProfile p = bought();
        p.setCart(List.of(new CartItem("P1", "shoes", 1, 20.0, 0L)));
        Reviews.Outcome out = Reviews.apply(p, review("P1", 1), s, 50);
        CustomerMoment m = out.moment();
        assertThat(m).isNotNull();
        assertThat(m.getTrigger()).isEqualTo(TriggerType.SERVICE_RECOVERY);
        assertThat(m.getCustomerId()).isEqualTo("c1");
        assertThat(m.getEventTime()).isEqualTo(T.toEpochMilli());
        assertThat(m.getReason()).isEqualTo("rated P1 1/5");
        assertThat(m.getProductId()).isEqualTo("P1");
        assertThat(m.getCategoryId()).isEqualTo("shoes");
        assertThat(p.getReviews()).isEqualTo(1);
        assertThat(Reviews.apply(bought(), review("P1", 2), s, 50).moment()).isNotNull();
        assertThat(Reviews.apply(bought(), review("P1", 2), s, 50).moment().getCategoryId())
                .isNull();
    }

    @Test
    void shouldRaiseNothingOnAnAcceptableRating() {
        CustomerProfile p = bought();
        assertThat(Reviews.apply(p, review("P1", 3), s, 50).moment()).isNull();
        assertThat(Reviews.apply(p, review("P2", 5), s, 50).moment()).isNull();
        assertThat(p.getReviews()).isEqualTo(2);
        assertThat(p.getPoints()).isEqualTo(100); // bought neither
    }

    @Test
    void shouldRewardTheFirstReviewOfABoughtProductOnly() {
        CustomerProfile p = bought("P1", "P2");
        assertThat(Reviews.apply(p, review("P1", 5), s, 50).points()).isEqualTo(50);
        assertThat(p.getPoints()).isEqualTo(150);
        assertThat(Reviews.apply(p, review("P1", 4), s, 50).points()).isZero(); // again
        assertThat(Reviews.apply(p, review("P9", 5), s, 50).points()).isZero(); // not bought
        // the rating does not matter: a one-star review of a bought product earns the same
        assertThat(Reviews.apply(p, review("P2", 1), s, 50).points()).isEqualTo(50);
        assertThat(p.getPoints()).isEqualTo(200);
        assertThat(p.getRewardedReviews()).containsExactly("P2", "P1");
    }

    @Test
    void shouldRewardNothingWhenPointsAreOff() {
        ReviewSettings off = new ReviewSettings(2, 0, 0, 4.0, 10, 3.0);
        CustomerProfile p = bought("P1");
        assertThat(Reviews.apply(p, review("P1", 5), off, 50).points()).isZero();
        assertThat(p.getPoints()).isEqualTo(100);
        assertThat(p.getRewardedReviews()).isEmpty();
    }

    @Test
    void shouldNeverForgetARewardedProductThatIsStillInThePurchaseMemory() {
        int max = 3;
        List<String> purchased = new ArrayList<>(List.of("A", "B", "C"));
        // rewarded X and Y long ago (no longer bought-remembered), then A, B
        List<String> rewarded = List.of("B", "A", "Y", "X");
        List<String> kept = Reviews.remember(rewarded, "C", purchased, max);
        assertThat(kept).containsExactly("C", "B", "A"); // X and Y went first
        // the bound holds even when every entry is still purchased
        assertThat(Reviews.remember(List.of("B", "A", "C"), "D", purchased, max)).hasSize(max);
    }

    @Test
    void shouldMergeReviewCountsAndRewardedProducts() {
        CustomerProfile into = bought("P1", "P2");
        into.setReviews(2);
        into.setRewardedReviews(new ArrayList<>(List.of("P1")));
        CustomerProfile guest = bought("P2");
        guest.setReviews(1);
        guest.setRewardedReviews(new ArrayList<>(List.of("P2")));
        Reviews.merge(into, guest, 50);
        assertThat(into.getReviews()).isEqualTo(3);
        assertThat(into.getRewardedReviews()).containsExactlyInAnyOrder("P1", "P2");
        // P2 was rewarded as a guest: not again after the login
        assertThat(Reviews.apply(into, review("P2", 5), s, 50).points()).isZero();
    }
}
