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
    private KeyedOneInputStreamOperatorTestHarness<String, CustomerProfile, RecommendationRequest>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new RecommendationRequestsFunction(settings),
                        CustomerProfile::getCustomerId,
                        Types.STRING);
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
        return harness.extractOutputValues().stream()
                .map(RecommendationRequest::getRecentItems)
                .toList();
    }

    /** A profile update arriving at processing time {@code wallClock}. */
    private void sendAt(long wallClock, CustomerProfile p) throws Exception {
        harness.setProcessingTime(wallClock);
        send(p);
    }

    @Test
    void shouldRankTheFirstChangeAtOnce() throws Exception {
        sendAt(0, profile(T, "P1"));

        assertThat(requestedRecentItems()).containsExactly(List.of("P1"));
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldFoldABurstIntoOneRankingWithTheLatestProfile() throws Exception {
        sendAt(0, profile(T, "P1"));
        sendAt(10, profile(T + 100, "P2", "P1"));
        sendAt(20, profile(T + 200, "P3", "P2", "P1"));
        sendAt(30, profile(T + 300, "P4", "P3", "P2", "P1"));

        assertThat(requestedRecentItems()).as("only the leading edge so far").hasSize(1);
        assertThat(harness.numProcessingTimeTimers())
                .as("one trailing timer, not one per event")
                .isEqualTo(1);

        harness.setProcessingTime(interval);

        assertThat(requestedRecentItems())
                .containsExactly(List.of("P1"), List.of("P4", "P3", "P2", "P1"));
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).as("the end-of-input timer went with it").isZero();
    }

    @Test
    void shouldCoalesceByWallClockSoThatACatchUpRanksOncePerInterval() throws Exception {
        // hours of one customer's clicks replayed within one interval of wall-clock time
        for (int i = 0; i < 50; i++) {
            sendAt(i, profile(T + i * 3_600_000L, "P" + i));
        }
        harness.setProcessingTime(interval);

        assertThat(requestedRecentItems()).containsExactly(List.of("P0"), List.of("P49"));
    }

    @Test
    void shouldRankThePendingChangeWhenABoundedInputEnds() throws Exception {
        sendAt(0, profile(T, "P1"));
        sendAt(10, profile(T + 100, "P2", "P1"));

        harness.processWatermark(new Watermark(Long.MAX_VALUE));

        assertThat(requestedRecentItems()).containsExactly(List.of("P1"), List.of("P2", "P1"));
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldIgnoreUpdatesTheRankingCannotSee() throws Exception {
        sendAt(0, profile(T, "P1"));
        CustomerProfile pageView = profile(T + 1000, "P1");
        pageView.setPageViews(5);
        sendAt(interval * 3, pageView);

        assertThat(requestedRecentItems()).hasSize(1);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldRankAgainWhenTheCartChanges() throws Exception {
        sendAt(0, profile(T, "P1"));
        CustomerProfile withCart = profile(T + 1000, "P1");
        withCart.setCart(
                new ArrayList<>(List.of(CartItem.newBuilder().setProductId("P7").build())));
        sendAt(interval * 2, withCart);

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.extractOutputValues().get(1).getCartItems()).containsExactly("P7");
    }

    @Test
    void shouldStartANewIntervalWithATrailingRanking() throws Exception {
        sendAt(0, profile(T, "P1"));
        sendAt(100, profile(T + 100, "P2", "P1")); // deferred to the end of the interval
        harness.setProcessingTime(interval); // ranked now
        sendAt(
                interval + 50,
                profile(T + 200, "P3", "P2", "P1")); // within the new interval: deferred

        assertThat(requestedRecentItems()).containsExactly(List.of("P1"), List.of("P2", "P1"));

        harness.setProcessingTime(interval * 2);

        assertThat(requestedRecentItems())
                .containsExactly(List.of("P1"), List.of("P2", "P1"), List.of("P3", "P2", "P1"));
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(requestedRecentItems()).as("nothing left to flush at the end").hasSize(3);
    }
}
