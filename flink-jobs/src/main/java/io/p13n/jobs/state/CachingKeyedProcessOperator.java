package io.p13n.jobs.state;

import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * A {@link KeyedProcessOperator} whose function's value states sit behind write-back heap caches
 * ({@link StateCaches}): every dirty entry is written to the state backend in {@link
 * #prepareSnapshotPreBarrier}, before the barrier goes downstream and the state is snapshotted, so
 * nothing cached is ever outside a checkpoint, and again when the input ends.
 *
 * <p>On the heap backend the state already is the decoded objects: caching would only add a lookup,
 * so it is off there. The function keeps its semantics in any case: event-time and processing-time
 * timers, side outputs and emission per record are the plain operator's.
 *
 * <p>A function that implements {@link Publications.User} also gets its throttled publications
 * here, on the heap and on any backend: pending ones are made on a processing-time tick of the
 * operator (not a timer per key), and all of them before every barrier and at end of input.
 */
public class CachingKeyedProcessOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
    private static final long serialVersionUID = 1L;

    private final StateCaches.Settings settings;
    private transient StateCaches caches;
    private transient Publications<OUT> publications;

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
        if (userFunction instanceof Publications.User<?> user) {
            @SuppressWarnings("unchecked")
            Publications.User<OUT> publisher = (Publications.User<OUT>) user;
            publications =
                    new Publications<>(
                            new OperatorKeys(),
                            publisher,
                            publisher.publicationIntervalMillis(),
                            new OperatorOutput());
            MetricGroup group = getMetricGroup().addGroup("p13n").addGroup("publications");
            group.gauge("pending", publications::pending);
            group.gauge("entries", publications::entries);
            group.gauge("published", publications::published);
            group.gauge("coalesced", publications::coalesced);
            publisher.usePublications(publications);
        }
        super.open(); // opens the function, which wraps its states
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        // pending publications first: they read state, and what they emit must precede the barrier
        if (publications != null) {
            publications.publishAll();
        }
        caches.flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        super.finish();
        if (publications != null) {
            publications.publishAll(); // a bounded input ends with every list up to date
        }
        caches.flush(); // a final checkpoint, or a savepoint with drain, sees every write
    }

    /**
     * Trailing publications carry no timestamp, like the output of a processing-time timer: they
     * are made by the wall clock, and their event time is in the published value.
     */
    private final class OperatorOutput implements Publications.Emitter<OUT> {
        @Override
        public void collect(OUT value) {
            output.collect(new StreamRecord<>(value));
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.collect(tag, new StreamRecord<>(value));
        }
    }

    /** Number of cached states (visible for tests). */
    int cachedStates() {
        return caches.cachedStates();
    }

    private final class OperatorKeys implements StateCaches.KeyContext, Publications.Host {
        @Override
        public Object currentKey() {
            return getCurrentKey();
        }

        @Override
        public void runAs(Object key, Publications.ThrowingRunnable action) throws Exception {
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
        public void scheduleTick(long time) {
            getProcessingTimeService().registerTimer(time, t -> publications.tick());
        }

        @Override
        public void runAs(Object key, Runnable action) {
            try {
                runAs(key, (Publications.ThrowingRunnable) action::run);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e); // a Runnable throws nothing checked
            }
        }

        @Override
        public long now() {
            return getProcessingTimeService().getCurrentProcessingTime();
        }
    }
}
