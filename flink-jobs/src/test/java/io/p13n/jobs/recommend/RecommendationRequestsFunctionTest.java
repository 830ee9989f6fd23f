package io.p13n.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.state.CachingKeyedProcessOperator;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.CartItem;
import io.p13n.model.CustomerProfile;
import io.p13n.model.RecommendationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coalescing: at most one ranking per customer per interval, the latest state never lost; in the
 * operator the job runs it in ({@link CachingKeyedProcessOperator}, which holds the pending
 * requests), on RocksDB so no keyed timer or state can hide behind the heap.
 */
class RecommendationRequestsFunctionTest {
    private static final long T = 1_700_000_000_000L;

    private final RecommendationSettings settings = RecommendationSettings.defaults();
    private final long interval = settings.coalesceIntervalMillis();
    private KeyedOneInputStreamOperatorTestHarness<String, CustomerProfile, RecommendationRequest>
            harness;
    private boolean closed;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness(true);
        harness.open();
    }

    private KeyedOneInputStreamOperatorTestHarness<String, CustomerProfile, RecommendationRequest>
            harness(boolean rocksdb) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new CachingKeyedProcessOperator<>(
                                new RecommendationRequestsFunction(settings),
                                new StateCaches.Settings(16, Duration.ofMinutes(1))),
                        CustomerProfile::getCustomerId,
                        Types.STRING);
        h.setStateBackend(rocksdb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        return h;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (!closed) {
            harness.close();
        }
    }

    private static CustomerProfile profile(long at, String... recentlyViewed) {
        return profileOf("alice", at, recentlyViewed);
    }

    private static CustomerProfile profileOf(String customer, long at, String... recentlyViewed) {
        return CustomerProfile.newBuilder()
                .setCustomerId(customer)
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
        assertThat(harness.getProcessingTimeService().getNumActiveTimers())
                .as("nothing pending, no tick")
                .isZero();
    }

    @Test
    void shouldFoldABurstIntoOneRankingWithTheLatestProfile() throws Exception {
        sendAt(0, profile(T, "P1"));
        sendAt(10, profile(T + 100, "P2", "P1"));
        sendAt(20, profile(T + 200, "P3", "P2", "P1"));
        sendAt(30, profile(T + 300, "P4", "P3", "P2", "P1"));

        assertThat(requestedRecentItems()).as("only the leading edge so far").hasSize(1);
        assertThat(harness.numProcessingTimeTimers()).as("no keyed timer").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.getProcessingTimeService().getNumActiveTimers())
                .as("one operator tick, not one per event")
                .isEqualTo(1);

        harness.setProcessingTime(interval - 1);
        assertThat(requestedRecentItems()).as("not before the interval ends").hasSize(1);

        harness.setProcessingTime(interval);

        assertThat(requestedRecentItems())
                .containsExactly(List.of("P1"), List.of("P4", "P3", "P2", "P1"));
        assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
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
        harness.close(); // finish(): the end of a bounded input
        closed = true;

        assertThat(requestedRecentItems()).containsExactly(List.of("P1"), List.of("P2", "P1"));
    }

    @Test
    void shouldRankThePendingChangeBeforeACheckpointBarrierSoNoCheckpointHoldsIt()
            throws Exception {
        sendAt(0, profile(T, "P1"));
        sendAt(10, profile(T + 100, "P2", "P1"));

        harness.prepareSnapshotPreBarrier(1);

        assertThat(requestedRecentItems()).containsExactly(List.of("P1"), List.of("P2", "P1"));
        // and a restore of that checkpoint ranks nothing again
        var snapshot = harness.snapshot(1, 20);
        harness.close();
        closed = true;
        var restored = harness(true);
        restored.initializeState(snapshot);
        restored.open();
        restored.setProcessingTime(interval * 2);
        assertThat(restored.extractOutputValues()).isEmpty();
        restored.close();
    }

    @Test
    void shouldCoalesceOnTheHeapBackendToo() throws Exception {
        var heap = harness(false);
        heap.open();
        heap.setProcessingTime(0);
        heap.processElement(new StreamRecord<>(profile(T, "P1"), T));
        heap.setProcessingTime(10);
        heap.processElement(new StreamRecord<>(profile(T + 100, "P2", "P1"), T + 100));
        assertThat(heap.extractOutputValues()).hasSize(1);
        heap.setProcessingTime(interval);
        assertThat(heap.extractOutputValues())
                .extracting(RecommendationRequest::getRecentItems)
                .containsExactly(List.of("P1"), List.of("P2", "P1"));
        heap.close();
    }

    @Test
    void shouldIgnoreUpdatesTheRankingCannotSee() throws Exception {
        sendAt(0, profile(T, "P1"));
        CustomerProfile pageView = profile(T + 1000, "P1");
        pageView.setPageViews(5);
        sendAt(interval * 3, pageView);

        assertThat(requestedRecentItems()).hasSize(1);
        assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
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
        harness.close();
        closed = true;
        assertThat(requestedRecentItems()).as("nothing left to flush at the end").hasSize(3);
    }

    @Test
    void shouldRankEachCustomerAtTheEndOfTheirOwnInterval() throws Exception {
        sendAt(0, profileOf("alice", T, "A1"));
        sendAt(3_000, profileOf("bob", T, "B1"));
        sendAt(3_500, profileOf("bob", T + 1, "B2", "B1")); // pending until 3,000 + interval
        sendAt(4_000, profileOf("alice", T + 1, "A2", "A1")); // pending until 0 + interval, sooner

        harness.setProcessingTime(interval);
        assertThat(requestedRecentItems())
                .containsExactly(List.of("A1"), List.of("B1"), List.of("A2", "A1"));

        harness.setProcessingTime(3_000 + interval);
        assertThat(requestedRecentItems())
                .containsExactly(
                        List.of("A1"), List.of("B1"), List.of("A2", "A1"), List.of("B2", "B1"));
    }

    @Test
    void anErasedProfileDropsAPendingRequestAndAsksForTheListsDeletion() throws Exception {
        sendAt(0, profile(T, "P1"));
        sendAt(10, profile(T + 100, "P2", "P1")); // pending until the interval ends
        sendAt(20, io.p13n.jobs.privacy.Erasures.erasedProfile("alice"));
        harness.setProcessingTime(10 * interval); // the pending one would have gone out here

        List<RecommendationRequest> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getErased()).isTrue();
        assertThat(out.get(1).getCustomerId()).isEqualTo("alice");

        // the fingerprint went too: the same profile, were it to come back, is ranked again
        sendAt(20 * interval, profile(T + 100, "P2", "P1"));
        assertThat(harness.extractOutputValues()).hasSize(3);
    }
}
