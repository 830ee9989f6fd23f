package io.p13n.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.model.CartItem;
import io.p13n.model.CustomerProfile;
import io.p13n.model.RecommendationRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Coalescing: at most one ranking per customer per interval, the latest state never lost. */
class RecommendationRequestsFunctionTest {
  private static final long T = 1_700_000_000_000L;

  private final RecommendationSettings settings = RecommendationSettings.defaults();
  private final long interval = settings.coalesceIntervalMillis();
  private KeyedOneInputStreamOperatorTestHarness<String, CustomerProfile, RecommendationRequest> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new RecommendationRequestsFunction(settings), CustomerProfile::getCustomerId, Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static CustomerProfile profile(long at, String... recentlyViewed) {
    return CustomerProfile.newBuilder()
        .setCustomerId("alice")
        .setLastEventTime(at)
        .setRecentlyViewed(new ArrayList<>(List.of(recentlyViewed)))
        .build();
  }

  private void send(CustomerProfile p) throws Exception {
    harness.processElement(new StreamRecord<>(p, p.getLastEventTime()));
  }

  private List<List<String>> requestedRecentItems() {
    return harness.extractOutputValues().stream().map(RecommendationRequest::getRecentItems).toList();
  }

  @Test
  void shouldRankTheFirstChangeAtOnce() throws Exception {
    send(profile(T, "P1"));

    assertThat(requestedRecentItems()).containsExactly(List.of("P1"));
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void shouldFoldABurstIntoOneRankingWithTheLatestProfile() throws Exception {
    send(profile(T, "P1"));
    send(profile(T + 100, "P2", "P1"));
    send(profile(T + 200, "P3", "P2", "P1"));
    send(profile(T + 300, "P4", "P3", "P2", "P1"));

    assertThat(requestedRecentItems()).as("only the leading edge so far").hasSize(1);
    assertThat(harness.numEventTimeTimers()).as("one trailing timer, not one per event").isEqualTo(1);

    harness.processWatermark(new Watermark(T + interval));

    assertThat(requestedRecentItems()).containsExactly(List.of("P1"), List.of("P4", "P3", "P2", "P1"));
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void shouldIgnoreUpdatesTheRankingCannotSee() throws Exception {
    send(profile(T, "P1"));
    CustomerProfile pageView = profile(T + interval * 3, "P1");
    pageView.setPageViews(5);
    send(pageView);

    assertThat(requestedRecentItems()).hasSize(1);
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void shouldRankAgainWhenTheCartChanges() throws Exception {
    send(profile(T, "P1"));
    CustomerProfile withCart = profile(T + interval * 2, "P1");
    withCart.setCart(new ArrayList<>(List.of(CartItem.newBuilder().setProductId("P7").build())));
    send(withCart);

    assertThat(harness.extractOutputValues()).hasSize(2);
    assertThat(harness.extractOutputValues().get(1).getCartItems()).containsExactly("P7");
  }

  @Test
  void shouldNotEmitAStaleTrailingRankingAfterANewerImmediateOne() throws Exception {
    send(profile(T, "P1"));
    send(profile(T + 100, "P2", "P1")); // deferred to T + interval
    send(profile(T + interval + 50, "P3", "P2", "P1")); // due before the watermark got there: at once

    harness.processWatermark(new Watermark(T + interval * 3));

    assertThat(requestedRecentItems()).containsExactly(List.of("P1"), List.of("P3", "P2", "P1"));
  }
}
