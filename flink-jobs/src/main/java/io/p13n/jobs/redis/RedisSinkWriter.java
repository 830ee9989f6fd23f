package io.p13n.jobs.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import redis.clients.jedis.UnifiedJedis;

/**
 * Buffers the latest element per Redis key and, per batch, maps each to its write and sends them as
 * one pipeline. A busy customer's many updates within a batch cost one mapping and one write.
 *
 * <p>With a minimum interval per key ({@code minIntervalMillis > 0}) a key written less than that
 * long ago is not written again at once: its latest element waits in {@code deferred} until the
 * interval is over (trailing edge) and is then sent with the next batch. The first change after a
 * quiet spell still goes out with the next batch (leading edge), so a customer's first click is as
 * fresh as before; the clicks that follow within the interval cost one mapping and one write
 * between them instead of one each. Deferred elements are sent before every checkpoint barrier like
 * the batch, so a completed checkpoint never leaves a write behind.
 *
 * <p>Everything runs in the task's mailbox thread (write, flush, and the batch timer), so the
 * buffer needs no locking; elements are not mutated after they are handed to the sink (Flink copies
 * between chained operators unless object reuse is on, and the profile function emits the record it
 * owns only once per update).
 */
final class RedisSinkWriter<T> implements SinkWriter<T> {
    private final UnifiedJedis client;
    private final RedisMapper<T> mapper;
    private final int maxBatchSize;
    private final long maxBatchDelayMillis;
    private final ProcessingTimeService timeService;

    // Insertion-ordered so a batch goes out in arrival order; HashMap lookup keeps coalescing O(1).
    private final LinkedHashMap<String, T> buffer = new LinkedHashMap<>();
    private final long minIntervalMillis;
    // Keys written within the last minIntervalMillis, oldest write first (a rewrite moves the key
    // to
    // the end), with the time of that write. Bounded by the keys written per interval, and pruned
    // from the head on every flush.
    private final LinkedHashMap<String, Long> recentlyWritten = new LinkedHashMap<>();
    // Latest element of keys still inside their interval, sent once it is over.
    private final HashMap<String, T> deferred = new HashMap<>();
    // A profile is rewritten on most clicks: only its changed fields are sent, its TTL now and
    // then.
    private final WrittenHashes written;
    private boolean timerArmed;

    private final Counter keysWritten;
    private final Counter commandsSent;
    private final Counter coalesced;
    private final Counter deferredWrites;
    private final Counter retries;
    private final Counter recordsSend;
    private final Histogram batchSize;
    private final Histogram writeLatencyMillis;

    RedisSinkWriter(
            UnifiedJedis client,
            RedisMapper<T> mapper,
            int maxBatchSize,
            long maxBatchDelayMillis,
            ProcessingTimeService timeService,
            SinkWriterMetricGroup metrics) {
        this(client, mapper, maxBatchSize, maxBatchDelayMillis, 0, timeService, metrics);
    }

    RedisSinkWriter(
            UnifiedJedis client,
            RedisMapper<T> mapper,
            int maxBatchSize,
            long maxBatchDelayMillis,
            long minIntervalMillis,
            ProcessingTimeService timeService,
            SinkWriterMetricGroup metrics) {
        this.client = client;
        this.minIntervalMillis = minIntervalMillis;
        this.mapper = mapper;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchDelayMillis = maxBatchDelayMillis;
        this.timeService = timeService;
        this.written = new WrittenHashes(timeService::getCurrentProcessingTime);
        MetricGroup redis = metrics.addGroup("redis");
        this.keysWritten = redis.counter("keysWritten");
        this.commandsSent = redis.counter("commandsSent");
        this.coalesced = redis.counter("writesCoalesced");
        this.deferredWrites = redis.counter("writesDeferred");
        this.retries = redis.counter("retries");
        this.recordsSend = metrics.getNumRecordsSendCounter();
        // 1024 recent samples: enough for stable p99s on the dashboard, a few KiB per subtask.
        this.batchSize = redis.histogram("batchSize", new DescriptiveStatisticsHistogram(1024));
        this.writeLatencyMillis =
                redis.histogram("writeLatencyMs", new DescriptiveStatisticsHistogram(1024));
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        String key = mapper.keyOf(element);
        if (minIntervalMillis > 0 && !buffer.containsKey(key)) {
            Long last = recentlyWritten.get(key);
            if (deferred.containsKey(key)
                    || (last != null
                            && timeService.getCurrentProcessingTime() - last < minIntervalMillis)) {
                if (deferred.put(key, element) != null) {
                    coalesced.inc();
                } else {
                    deferredWrites.inc();
                }
                armTimer();
                return;
            }
        }
        if (buffer.put(key, element) != null) {
            coalesced.inc();
        }
        if (buffer.size() >= maxBatchSize) {
            flushBuffer();
        } else {
            armTimer();
        }
    }

    private void armTimer() {
        if (!timerArmed) {
            timerArmed = true;
            timeService.registerTimer(
                    timeService.getCurrentProcessingTime() + maxBatchDelayMillis,
                    this::onBatchTimer);
        }
    }

    private void onBatchTimer(long time) throws IOException, InterruptedException {
        timerArmed = false;
        releaseDeferred(false);
        flushBuffer();
        if (!deferred.isEmpty()) {
            armTimer(); // the rest of the deferred keys are due later
        }
    }

    /**
     * Moves deferred elements whose interval is over (all of them when {@code all}) to the batch.
     */
    private void releaseDeferred(boolean all) {
        if (deferred.isEmpty()) {
            return;
        }
        long now = timeService.getCurrentProcessingTime();
        var it = deferred.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Long last = recentlyWritten.get(e.getKey());
            if (all || last == null || now - last >= minIntervalMillis) {
                buffer.put(e.getKey(), e.getValue());
                it.remove();
            }
        }
    }

    /** Called before every checkpoint barrier and at end of input: nothing stays buffered. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        releaseDeferred(true);
        flushBuffer();
    }

    private void flushBuffer() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        List<RedisWrite> writes = new ArrayList<>(buffer.size());
        for (T element : buffer.values()) {
            writes.add(mapper.toWrite(element));
        }
        int commands = RedisPipeline.send(client, writes, written, retries::inc);
        int keys = buffer.size();
        batchSize.update(keys);
        keysWritten.inc(keys);
        commandsSent.inc(commands);
        recordsSend.inc(keys);
        writeLatencyMillis.update((System.nanoTime() - started) / 1_000_000);
        if (minIntervalMillis > 0) {
            remember(buffer.keySet());
        }
        buffer.clear();
    }

    /** Records the keys just written and forgets those whose interval is over. */
    private void remember(Iterable<String> keys) {
        long now = timeService.getCurrentProcessingTime();
        var it = recentlyWritten.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (now - e.getValue() < minIntervalMillis) {
                break; // oldest first: the rest are younger
            }
            it.remove(); // a deferred key without an entry is due: released on the next tick
        }
        for (String key : keys) {
            recentlyWritten.remove(key); // re-inserted at the end: the newest write
            recentlyWritten.put(key, now);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
