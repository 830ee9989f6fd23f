package io.p13n.jobs.state;

import java.io.Serializable;
import java.util.LinkedHashMap;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The local half of a local-global aggregation: combines records of the same key in a heap bundle
 * before the shuffle to that key's task, so a hot key costs one record (one state access, one
 * serialization) per bundle downstream instead of one per input. The mini-batch pattern of Flink's
 * Table runtime ({@code MapBundleOperator}) in the DataStream API.
 *
 * <p>A bundle is emitted when it holds {@code maxRecords} inputs, when {@code maxDelayMillis} of
 * processing time passed since its first input, before every watermark (so nothing downstream sees
 * a record behind a watermark it would not have been behind without the bundle), before every
 * checkpoint barrier ({@link #prepareSnapshotPreBarrier}: the bundle is part of the stream before
 * the barrier, so it needs no state of its own and exactly-once holds) and at end of input.
 *
 * <p>Not keyed and stateless: it can sit in any chain in front of a {@code keyBy}.
 */
public final class PreAggregateOperator<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T>, BoundedOneInput, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    /** How a record's key is found and two records of one key combined. */
    public interface Combiner<T> extends Serializable {
        String keyOf(T record);

        /**
         * {@code earlier} and {@code later} (same key, in this order) as one record with the same
         * effect downstream as both in turn. May return {@code earlier}, changed.
         */
        T combine(T earlier, T later);

        /**
         * A record the bundle may keep: inputs can be reused by the runtime (object reuse), so a
         * record the combiner changes later must be its own.
         */
        T own(T record);
    }

    private final Combiner<T> combiner;
    private final int maxRecords;
    private final long maxDelayMillis;

    /** A combined record and the latest timestamp of its inputs (Long.MIN_VALUE: none). */
    private static final class Pending<T> {
        T record;
        long timestamp;

        Pending(T record, long timestamp) {
            this.record = record;
            this.timestamp = timestamp;
        }
    }

    private transient LinkedHashMap<String, Pending<T>> bundle;
    private transient int records;
    private transient boolean timerArmed;
    private transient Counter combined;

    /**
     * @param maxRecords inputs per bundle at most (bounds its heap and the delay under load)
     * @param maxDelayMillis processing time a record waits at most
     */
    public PreAggregateOperator(Combiner<T> combiner, int maxRecords, long maxDelayMillis) {
        if (maxRecords < 1 || maxDelayMillis < 1) {
            throw new IllegalArgumentException(
                    "maxRecords and maxDelayMillis must be >= 1, were "
                            + maxRecords
                            + " and "
                            + maxDelayMillis);
        }
        this.combiner = combiner;
        this.maxRecords = maxRecords;
        this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new LinkedHashMap<>();
        combined = getMetricGroup().addGroup("p13n").counter("recordsCombined");
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        T record = element.getValue();
        long timestamp = element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE;
        String key = combiner.keyOf(record);
        Pending<T> earlier = bundle.get(key);
        if (earlier == null) {
            bundle.put(key, new Pending<>(combiner.own(record), timestamp));
        } else {
            earlier.record = combiner.combine(earlier.record, record);
            earlier.timestamp = Math.max(earlier.timestamp, timestamp);
            combined.inc();
        }
        if (++records >= maxRecords) {
            emitBundle();
        } else if (!timerArmed) {
            timerArmed = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + maxDelayMillis, this);
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerArmed = false;
        emitBundle();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        emitBundle();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        emitBundle();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        emitBundle();
    }

    private void emitBundle() {
        if (bundle.isEmpty()) {
            return;
        }
        StreamRecord<T> reuse = new StreamRecord<>(null);
        for (Pending<T> pending : bundle.values()) {
            if (pending.timestamp == Long.MIN_VALUE) {
                reuse.eraseTimestamp();
                output.collect(reuse.replace(pending.record));
            } else {
                output.collect(reuse.replace(pending.record, pending.timestamp));
            }
        }
        bundle.clear();
        records = 0;
    }
}
