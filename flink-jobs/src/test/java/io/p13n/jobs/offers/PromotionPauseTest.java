package io.p13n.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.OfferCustomerState;
import io.p13n.model.TriggerType;
import org.junit.jupiter.api.Test;

class PromotionPauseTest {
    private static final long DAY = OfferSettings.DAY_MILLIS;
    private static final long T = 1_000 * DAY;

    private static OfferCustomerState state() {
        return OfferCustomerState.newBuilder().setCustomerId("c1").build();
    }

    @Test
    void shouldStopOtherTriggersUntilThePauseEnds() {
        OfferCustomerState s = state();
        PromotionPause.start(s, T, 14 * DAY);
        assertThat(s.getPromotionsPausedUntil()).isEqualTo(T + 14 * DAY);
        assertThat(PromotionPause.stops(s, TriggerType.CART_ABANDONED, T + DAY))
                .isEqualTo(
                        "promotions paused after a service recovery, until "
                                + java.time.Instant.ofEpochMilli(T + 14 * DAY));
        assertThat(PromotionPause.stops(s, TriggerType.PRICE_DROP, T + 14 * DAY - 1)).isNotNull();
        assertThat(PromotionPause.stops(s, TriggerType.CART_ABANDONED, T + 14 * DAY)).isNull();
    }

    @Test
    void shouldNeverStopServiceRecovery() {
        OfferCustomerState s = state();
        PromotionPause.start(s, T, 14 * DAY);
        assertThat(PromotionPause.stops(s, TriggerType.SERVICE_RECOVERY, T + DAY)).isNull();
    }

    @Test
    void shouldKeepTheLaterEndWhenComplaintsArriveOutOfOrder() {
        OfferCustomerState s = state();
        PromotionPause.start(s, T + 5 * DAY, 14 * DAY);
        PromotionPause.start(s, T, 14 * DAY); // an earlier low rating, read late
        assertThat(s.getPromotionsPausedUntil()).isEqualTo(T + 19 * DAY);
    }

    @Test
    void shouldNotPauseWhenTheOptionIsZero() {
        OfferCustomerState s = state();
        PromotionPause.start(s, T, 0);
        assertThat(s.getPromotionsPausedUntil()).isZero();
        assertThat(PromotionPause.stops(s, TriggerType.WIN_BACK, T)).isNull();
    }
}
