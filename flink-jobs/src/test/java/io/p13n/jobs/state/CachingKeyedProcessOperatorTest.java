package io.p13n.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The write-back caches on real RocksDB state: what a checkpoint holds, evictions, deletes, timers.
 * Inputs are {@code "key"} (add one), {@code "key!"} (clear) and {@code "key?"} (emit the count).
 */
class CachingKeyedProcessOperatorTest {

    /** Counts inputs per key in one cached value state; emits {@code key=count} on request. */
    static final class CountPerKey extends KeyedProcessFunction<String, String, String>
            implements StateCaches.User {
        private transient StateCaches caches;
        private transient ValueState<Long> count;

        @Override
        public void useStateCaches(StateCaches caches) {
            this.caches = caches;
        }

        @Override
        public void open(OpenContext context) {
            count =
                    StateCaches.orNone(caches)
                            .cache(
                                    "count",
                                    getRuntimeContext()
                                            .getState(
                                                    new ValueStateDescriptor<>(
                                                            "count", Types.LONG)));
        }

        @Override
        public void processElement(String input, Context ctx, Collector<String> out)
                throws Exception {
            if (input.endsWith("!")) {
                count.clear();
            } else if (input.endsWith("?")) {
                out.collect(ctx.getCurrentKey() + "=" + count.value());
            } else {
                Long n = count.value();
                count.update(n == null ? 1 : n + 1);
                ctx.timerService().registerEventTimeTimer(100);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
                throws Exception {
            out.collect(ctx.getCurrentKey() + "@timer=" + count.value());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            int maxEntries, boolean rocksdb) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, String, String> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new CachingKeyedProcessOperator<>(
                                new CountPerKey(),
                                new StateCaches.Settings(maxEntries, Duration.ofMinutes(1))),
                        CachingKeyedProcessOperatorTest::keyOf,
                        Types.STRING);
        harness.setStateBackend(
                rocksdb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        return harness;
    }

    private static String keyOf(String input) {
        return input.replace("!", "").replace("?", "");
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, String, String> h, String... inputs)
            throws Exception {
        for (String input : inputs) {
            h.processElement(new StreamRecord<>(input, 1));
        }
    }

    /**
     * Checkpoints {@code h} the way a task does: the pre-barrier hook first (the harness's {@code
     * snapshot} alone does not call it), then the state snapshot.
     */
    private static OperatorSubtaskState checkpoint(
            KeyedOneInputStreamOperatorTestHarness<String, String, String> h) throws Exception {
        h.prepareSnapshotPreBarrier(1);
        return h.snapshot(1, 10);
    }

    /** Checkpoints {@code h} and restores the snapshot into a new harness with its own cache. */
    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> restart(
            KeyedOneInputStreamOperatorTestHarness<String, String, String> h, int maxEntries)
            throws Exception {
        OperatorSubtaskState snapshot = checkpoint(h);
        h.close();
        KeyedOneInputStreamOperatorTestHarness<String, String, String> restored =
                harness(maxEntries, true);
        restored.initializeState(snapshot);
        restored.open();
        return restored;
    }

    private static List<String> counts(
            KeyedOneInputStreamOperatorTestHarness<String, String, String> h, String... keys)
            throws Exception {
        h.getOutput().clear();
        for (String key : keys) {
            send(h, key + "?");
        }
        return h.extractOutputValues();
    }

    @Test
    void aCheckpointHoldsWritesThatOnlyReachedTheCache() throws Exception {
        var h = harness(1000, true);
        h.open();
        assertThat(((CachingKeyedProcessOperator<?, ?, ?>) h.getOperator()).cachedStates())
                .isEqualTo(1);
        send(h, "a", "b", "a", "a", "c");
        // Nothing was evicted: without the flush before the barrier the restored state is empty.
        var restored = restart(h, 1000);
        assertThat(counts(restored, "a", "b", "c", "d"))
                .containsExactly("a=3", "b=1", "c=1", "d=null");
        restored.close();
    }

    @Test
    void evictedDirtyEntriesAreWrittenBackAndReadAgain() throws Exception {
        var h = harness(2, true);
        h.open();
        // Five keys through a cache of two: each key is evicted (dirty) and loaded again.
        for (int round = 0; round < 3; round++) {
            send(h, "k1", "k2", "k3", "k4", "k5");
        }
        assertThat(counts(h, "k1", "k2", "k3", "k4", "k5"))
                .containsExactly("k1=3", "k2=3", "k3=3", "k4=3", "k5=3");
        var restored = restart(h, 2);
        assertThat(counts(restored, "k1", "k2", "k3", "k4", "k5"))
                .containsExactly("k1=3", "k2=3", "k3=3", "k4=3", "k5=3");
        restored.close();
    }

    @Test
    void aClearReachesTheBackendAsADelete() throws Exception {
        var h = harness(1000, true);
        h.open();
        send(h, "a", "b");
        checkpoint(h); // both written
        send(h, "a!", "b", "a"); // a cleared, then counted from nothing; b counted on
        var restored = restart(h, 1000);
        assertThat(counts(restored, "a", "b")).containsExactly("a=1", "b=2");
        send(restored, "b!");
        var again = restart(restored, 2);
        assertThat(counts(again, "a", "b")).containsExactly("a=1", "b=null");
        again.close();
    }

    @Test
    void timersSeeTheCachedValue() throws Exception {
        var h = harness(1000, true);
        h.open();
        send(h, "a", "a");
        h.processWatermark(200);
        assertThat(h.extractOutputValues()).containsExactly("a@timer=2");
        h.close();
    }

    @Test
    void onTheHeapBackendNothingIsCached() throws Exception {
        var h = harness(1000, false);
        h.open();
        assertThat(((CachingKeyedProcessOperator<?, ?, ?>) h.getOperator()).cachedStates())
                .isZero();
        send(h, "a", "a");
        assertThat(counts(h, "a")).containsExactly("a=2");
        h.close();
    }
}
