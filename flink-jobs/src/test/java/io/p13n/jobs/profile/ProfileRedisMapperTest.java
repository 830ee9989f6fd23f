package io.p13n.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.jobs.churn.PurchaseRhythm;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerProfile;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.Segment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileRedisMapperTest {
    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
    private static final long DAY = PurchaseRhythm.DAY_MILLIS;

    private static RedisHashWrite map(CustomerProfile profile) {
        return new ProfileRedisMapper(
                        new RedisKeys("shop"), Duration.ofDays(30), Duration.ofDays(14))
                .toHashWrite(profile);
    }

    @Test
    void shouldWriteWhatTheStorefrontReadsUnderTheCustomersTaggedKeyWithATtl() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        rhythm.onPurchase(NOW.minusMillis(20 * DAY).toEpochMilli());
        rhythm.onPurchase(NOW.minusMillis(6 * DAY).toEpochMilli());
        CustomerProfile profile =
                CustomerProfile.newBuilder()
                        .setCustomerId("c42")
                        .setLastEventTime(NOW.toEpochMilli())
                        .setScoredAt(NOW.toEpochMilli())
                        .setOrders(2)
                        .setTotalSpend(125)
                        .setLastOrderTime(NOW.minusMillis(6 * DAY).toEpochMilli())
                        .setFirstPurchaseDay(rhythm.getFirstDay())
                        .setLastPurchaseDay(rhythm.getLastDay())
                        .setPurchaseDays(rhythm.getPurchaseDays())
                        .setRecentPurchaseDays(rhythm.getRecentDays())
                        .setSegment(Segment.LOYAL)
                        .setTier(LoyaltyTier.SILVER)
                        .setPoints(125)
                        .setPAlive(0.8123)
                        .setExpectedPurchases30d(0.4)
                        .setChurnRisk(0.1877)
                        .setChurnReasons(
                                List.of(
                                        "no visit in 0 days, usually buys every 14",
                                        "P(alive) 0.81"))
                        .setCategories(
                                List.of(
                                        new CategoryScore("shoes", 2.0, NOW.toEpochMilli()),
                                        new CategoryScore("books", 4.0, NOW.toEpochMilli())))
                        .setRecentlyViewed(List.of("p9", "p3"))
                        .build();

        RedisHashWrite write = map(profile);

        assertThat(write.key()).isEqualTo("shop:{c:c42}:profile");
        assertThat(write.ttlMillis()).isEqualTo(Duration.ofDays(30).toMillis());
        assertThat(write.fields())
                .containsEntry("customerId", "c42")
                .containsEntry("segment", "LOYAL")
                .containsEntry("tier", "SILVER")
                .containsEntry("points", "125")
                .containsEntry("frequency", "1")
                .containsEntry("recencyWeeks", "2.000")
                .containsEntry("daysSinceLastPurchase", "6")
                .containsEntry("typicalIntervalDays", "14.000")
                .containsEntry("avgOrderValue", "62.50")
                .containsEntry("pAlive", "0.812")
                .containsEntry("expectedPurchases30d", "0.400")
                .containsEntry("churnRisk", "0.188")
                .containsEntry(
                        "churnReasons", "no visit in 0 days, usually buys every 14; P(alive) 0.81")
                .containsEntry("topCategories", "books:4.000,shoes:2.000")
                .containsEntry("recentlyViewed", "p9,p3")
                .containsEntry("cartItems", "0")
                .containsEntry("updatedAt", "2026-11-01T10:00:00Z");
    }

    @Test
    void shouldLeaveModelFieldsEmptyForAProspect() {
        CustomerProfile prospect =
                CustomerProfile.newBuilder()
                        .setCustomerId("v1")
                        .setLastEventTime(NOW.toEpochMilli())
                        .setSegment(Segment.PROSPECT)
                        .build();

        RedisHashWrite write = map(prospect);

        assertThat(write.fields())
                .containsEntry("segment", "PROSPECT")
                .containsEntry("pAlive", "")
                .containsEntry("frequency", "0")
                .containsEntry("lastOrderTime", "")
                .containsEntry("avgOrderValue", "");
    }

    @Test
    void shouldRejectAPrefixThatWouldBreakTheHashTag() {
        assertThatThrownBy(() -> new RedisKeys("a{b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a{b");
    }

    @Test
    void shouldDeleteTheHashOfAnErasedCustomer() {
        ProfileRedisMapper mapper =
                new ProfileRedisMapper(
                        new RedisKeys("p13n"), Duration.ofDays(30), Duration.ofDays(30));
        assertThat(mapper.toWrite(io.p13n.jobs.privacy.Erasures.erasedProfile("c42")))
                .isEqualTo(
                        new io.p13n.jobs.redis.RedisDelete(new RedisKeys("p13n").profile("c42")));
    }
}
