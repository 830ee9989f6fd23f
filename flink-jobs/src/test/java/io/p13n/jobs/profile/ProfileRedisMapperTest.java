package io.p13n.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProfileRedisMapperTest {

  @Test
  void shouldWriteTheProfileHashUnderTheCustomersTaggedKeyWithATtl() {
    Instant seen = Instant.parse("2026-11-01T10:00:00Z");
    CustomerProfile profile =
        CustomerProfile.newBuilder()
            .setCustomerId("c42")
            .setFirstSeen(seen.toEpochMilli())
            .setLastSeen(seen.toEpochMilli())
            .setLastEventTime(seen.toEpochMilli())
            .setProductViews(3)
            .setOrders(1)
            .setTotalSpend(12.5)
            .build();

    RedisHashWrite write = new ProfileRedisMapper(new RedisKeys("shop"), Duration.ofDays(30)).toHashWrite(profile);

    assertThat(write.key()).isEqualTo("shop:{c:c42}:profile");
    assertThat(write.ttlMillis()).isEqualTo(Duration.ofDays(30).toMillis());
    assertThat(write.fields())
        .containsEntry("customerId", "c42")
        .containsEntry("productViews", "3")
        .containsEntry("orders", "1")
        .containsEntry("totalSpend", "12.50")
        .containsEntry("lastSeen", "2026-11-01T10:00:00Z")
        .containsEntry("lastOrderTime", "")
        .containsEntry("updatedAt", "2026-11-01T10:00:00Z");
  }

  @Test
  void shouldRejectAPrefixThatWouldBreakTheHashTag() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RedisKeys("a{b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a{b");
  }
}
