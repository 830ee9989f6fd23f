package io.p13n.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bundles of records combined per key: emitted on size, on time, before watermarks and barriers.
 */
class PreAggregateOperatorTest {
    /** Key: the first letter; combining concatenates. */
    static final class Concat implements PreAggregateOperator.Combiner<String> {
        @Override
        public String keyOf(String record) {
            return record.substring(0, 1);
        }

        @Override
        public String combine(String earlier, String later) {
            return earlier + "+" + later;
        }

        @Override
        public String own(String record) {
            return record;
        }
    }

    private OneInputStreamOperatorTestHarness<String, String> h;

    @BeforeEach
    void open() throws Exception {
        h =
                new OneInputStreamOperatorTestHarness<>(
                        new PreAggregateOperator<>(new Concat(), 5, 100));
        h.setProcessingTime(0);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void send(long timestamp, String... records) throws Exception {
        for (String record : records) {
            h.processElement(new StreamRecord<>(record, timestamp));
        }
    }

    /** What came out, records and watermarks, in order. */
    private List<String> emitted() {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add(r.getValue() + "@" + r.getTimestamp());
            } else if (o instanceof Watermark w) {
                out.add("W" + w.getTimestamp());
            }
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void aFullBundleGoesOutCombinedPerKeyInArrivalOrder() throws Exception {
        send(1, "a1", "b1", "a2", "c1");
        assertThat(emitted()).as("four of five: still held").isEmpty();
        send(7, "a3");
        assertThat(emitted()).containsExactly("a1+a2+a3@7", "b1@1", "c1@1");
    }

    @Test
    void aBundleWaitsNoLongerThanItsDelay() throws Exception {
        send(1, "a1", "a2");
        h.setProcessingTime(99);
        assertThat(emitted()).isEmpty();
        h.setProcessingTime(100);
        assertThat(emitted()).containsExactly("a1+a2@1");
        // the next bundle arms its own timer
        send(2, "b1");
        h.setProcessingTime(200);
        assertThat(emitted()).containsExactly("b1@2");
    }

    @Test
    void noRecordFallsBehindAWatermark() throws Exception {
        send(5, "a1", "a2");
        h.processWatermark(new Watermark(6));
        assertThat(emitted()).containsExactly("a1+a2@5", "W6");
    }

    @Test
    void theBundleIsInTheStreamBeforeTheCheckpointBarrier() throws Exception {
        send(3, "a1", "b1");
        h.prepareSnapshotPreBarrier(1);
        assertThat(emitted()).containsExactly("a1@3", "b1@3");
        // the operator keeps nothing of its own: a restore from this checkpoint loses nothing
        send(4, "a2");
        h.endInput();
        assertThat(emitted()).containsExactly("a2@4");
    }
}
