package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void aWriteCoversTheCustomersEventsUpToItsUpdatedAt() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.sent("c1", 1_000);
        recorder.sent("c1", 1_010);
        recorder.sent("c1", 1_050);
        recorder.sent("c2", 1_020);

        recorder.written("c1", 1_010, 1_100); // includes the first two only
        assertThat(recorder.observed()).isEqualTo(2);
        assertThat(recorder.latencies().sortedSamples()).containsExactly(90, 100);

        recorder.written("c1", 1_050, 1_300);
        recorder.written("c2", 1_020, 1_120);
        assertThat(recorder.observed()).isEqualTo(4);
        assertThat(recorder.registered()).isEqualTo(4);
        assertThat(recorder.latencies().sortedSamples()).containsExactly(90, 100, 100, 250);
    }

    @Test
    void writesOfUnmeasuredCustomersOrOlderStateAreIgnored() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.sent("c1", 2_000);
        recorder.written("c9", 5_000, 5_100); // warm-up customer
        recorder.written("c1", 1_999, 2_100); // a write from before the event
        assertThat(recorder.observed()).isZero();
        recorder.written("c1", 2_000, 2_050);
        assertThat(recorder.latencies().sortedSamples()).containsExactly(50);
    }

    @Test
    void customerIdComesFromTheHashTagOfTheProfileKey() {
        assertThat(LatencyRecorder.customerOfKey("p13n:{c:c000123}:profile")).isEqualTo("c000123");
        assertThat(LatencyRecorder.customerOfKey("p13n:other")).isNull();
    }

    @Test
    void theTailCanBeSplitByWhenEventsWereSent() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (long t = 0; t < 10; t++) {
            recorder.sent("c" + t, t * 1_000);
            recorder.written("c" + t, t * 1_000, t * 1_000 + (t == 5 ? 900 : 20)); // a stall at 5 s
        }
        assertThat(recorder.latencies().max()).isEqualTo(900);
        Percentiles outside =
                recorder.latenciesOutside(java.util.List.of(new long[] {4_500, 5_500}));
        assertThat(outside.count()).isEqualTo(9);
        assertThat(outside.max()).isEqualTo(20);
    }

    @Test
    void aRecommendationListsTimeIsReadFromItsDocument() {
        assertThat(
                        LatencyRun.listUpdatedAt(
                                "{\"updatedAt\":\"2026-12-03T10:00:00Z\",\"strategy\":\"neighbours\",\"items\":[]}"))
                .isEqualTo("2026-12-03T10:00:00Z");
        assertThat(LatencyRun.listUpdatedAt("not json")).isNull();
        assertThat(LatencyRun.listUpdatedAt(null)).isNull();
    }
}
