package io.p13n.jobs.redis;

import java.io.IOException;
import java.util.ArrayList;
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
 * Everything runs in the task's mailbox thread (write, flush, and the batch timer), so the buffer
 * needs no locking; elements are not mutated after they are handed to the sink (Flink copies
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
    // A profile is rewritten on most clicks: only its changed fields are sent, its TTL now and
    // then.
    private final WrittenHashes written;
    private boolean timerArmed;

    private final Counter keysWritten;
    private final Counter commandsSent;
    private final Counter coalesced;
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
        this.client = client;
        this.mapper = mapper;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchDelayMillis = maxBatchDelayMillis;
        this.timeService = timeService;
        this.written = new WrittenHashes(timeService::getCurrentProcessingTime);
        MetricGroup redis = metrics.addGroup("redis");
        this.keysWritten = redis.counter("keysWritten");
        this.commandsSent = redis.counter("commandsSent");
        this.coalesced = redis.counter("writesCoalesced");
        this.retries = redis.counter("retries");
        this.recordsSend = metrics.getNumRecordsSendCounter();
        // 1024 recent samples: enough for stable p99s on the dashboard, a few KiB per subtask.
        this.batchSize = redis.histogram("batchSize", new DescriptiveStatisticsHistogram(1024));
        this.writeLatencyMillis =
                redis.histogram("writeLatencyMs", new DescriptiveStatisticsHistogram(1024));
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        if (buffer.put(mapper.keyOf(element), element) != null) {
            coalesced.inc();
        }
        if (buffer.size() >= maxBatchSize) {
            flushBuffer();
        } else if (!timerArmed) {
            timerArmed = true;
            timeService.registerTimer(
                    timeService.getCurrentProcessingTime() + maxBatchDelayMillis,
                    this::onBatchTimer);
        }
    }

    private void onBatchTimer(long time) throws IOException, InterruptedException {
        timerArmed = false;
        flushBuffer();
    }

    /** Called before every checkpoint barrier and at end of input: nothing stays buffered. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
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
        buffer.clear();
    }

    @Override
    public void close() {
        client.close();
    }
}
