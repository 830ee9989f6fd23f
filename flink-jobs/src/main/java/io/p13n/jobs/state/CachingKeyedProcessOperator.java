package io.p13n.jobs.state;

import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * A {@link KeyedProcessOperator} whose function's value states sit behind write-back heap caches
 * ({@link StateCaches}): every dirty entry is written to the state backend in {@link
 * #prepareSnapshotPreBarrier}, before the barrier goes downstream and the state is snapshotted, so
 * nothing cached is ever outside a checkpoint, and again when the input ends.
 *
 * <p>On the heap backend the state already is the decoded objects: caching would only add a lookup,
 * so it is off there. The function keeps its semantics in any case: event-time and processing-time
 * timers, side outputs and emission per record are the plain operator's.
 */
public class CachingKeyedProcessOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
    private static final long serialVersionUID = 1L;

    private final StateCaches.Settings settings;
    private transient StateCaches caches;

    public CachingKeyedProcessOperator(
            KeyedProcessFunction<K, IN, OUT> function, StateCaches.Settings settings) {
        super(function);
        this.settings = settings;
    }

    @Override
    public void open() throws Exception {
        boolean heap = getKeyedStateBackend() instanceof HeapKeyedStateBackend;
        if (heap) {
            caches = StateCaches.NONE;
        } else {
            caches = new StateCaches(new OperatorKeys(), settings);
            caches.reportTo(getMetricGroup().addGroup("p13n"));
        }
        if (userFunction instanceof StateCaches.User user) {
            user.useStateCaches(caches);
        }
        super.open(); // opens the function, which wraps its states
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        caches.flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        super.finish();
        caches.flush(); // a final checkpoint, or a savepoint with drain, sees every write
    }

    /** Number of cached states (visible for tests). */
    int cachedStates() {
        return caches.cachedStates();
    }

    private final class OperatorKeys implements StateCaches.KeyContext {
        @Override
        public Object currentKey() {
            return getCurrentKey();
        }

        @Override
        public void runAs(Object key, Runnable action) {
            Object current = getCurrentKey();
            setCurrentKey(key);
            try {
                action.run();
            } finally {
                if (current != null) {
                    setCurrentKey(current);
                }
            }
        }

        @Override
        public long now() {
            return getProcessingTimeService().getCurrentProcessingTime();
        }
    }
}
