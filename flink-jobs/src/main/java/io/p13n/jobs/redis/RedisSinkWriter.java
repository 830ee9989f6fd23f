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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Buffers the latest element per Redis key and, per batch, maps each to its hash and sends them as
 * one pipeline. A busy customer's many updates within a batch cost one mapping and one write.
 * Everything runs in the task's mailbox thread (write, flush, and the batch timer), so the buffer
 * needs no locking; elements are not mutated after they are handed to the sink (Flink copies
 * between chained operators unless object reuse is on, and the profile function emits the record it
 * owns only once per update).
 */
final class RedisSinkWriter<T> implements SinkWriter<T> {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSinkWriter.class);

  /** A briefly unreachable Redis (failover, restart) should not fail the job at once. */
  static final int MAX_ATTEMPTS = 4;

  private static final long FIRST_BACKOFF_MILLIS = 100;

  private final UnifiedJedis client;
  private final RedisHashMapper<T> mapper;
  private final int maxBatchSize;
  private final long maxBatchDelayMillis;
  private final ProcessingTimeService timeService;

  // Insertion-ordered so a batch goes out in arrival order; HashMap lookup keeps coalescing O(1).
  private final LinkedHashMap<String, T> buffer = new LinkedHashMap<>();
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
      RedisHashMapper<T> mapper,
      int maxBatchSize,
      long maxBatchDelayMillis,
      ProcessingTimeService timeService,
      SinkWriterMetricGroup metrics) {
    this.client = client;
    this.mapper = mapper;
    this.maxBatchSize = maxBatchSize;
    this.maxBatchDelayMillis = maxBatchDelayMillis;
    this.timeService = timeService;
    MetricGroup redis = metrics.addGroup("redis");
    this.keysWritten = redis.counter("keysWritten");
    this.commandsSent = redis.counter("commandsSent");
    this.coalesced = redis.counter("writesCoalesced");
    this.retries = redis.counter("retries");
    this.recordsSend = metrics.getNumRecordsSendCounter();
    // 1024 recent samples: enough for stable p99s on the dashboard, a few KiB per subtask.
    this.batchSize = redis.histogram("batchSize", new DescriptiveStatisticsHistogram(1024));
    this.writeLatencyMillis = redis.histogram("writeLatencyMs", new DescriptiveStatisticsHistogram(1024));
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
      timeService.registerTimer(timeService.getCurrentProcessingTime() + maxBatchDelayMillis, this::onBatchTimer);
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
    for (int attempt = 1; ; attempt++) {
      try {
        sendPipeline();
        break;
      } catch (JedisConnectionException e) {
        if (attempt >= MAX_ATTEMPTS) {
          // Failing the task is safe: it restarts from the last checkpoint and rewrites.
          throw new IOException("Redis unreachable after " + attempt + " attempts", e);
        }
        retries.inc();
        long backoff = FIRST_BACKOFF_MILLIS << (attempt - 1);
        LOG.warn("Redis write failed (attempt {}/{}), retrying in {} ms: {}", attempt, MAX_ATTEMPTS, backoff, e.toString());
        Thread.sleep(backoff);
      }
    }
    int keys = buffer.size();
    batchSize.update(keys);
    keysWritten.inc(keys);
    commandsSent.inc(2L * keys);
    recordsSend.inc(keys);
    writeLatencyMillis.update((System.nanoTime() - started) / 1_000_000);
    buffer.clear();
  }

  private void sendPipeline() throws IOException {
    List<Response<?>> replies = new ArrayList<>(2 * buffer.size());
    try (AbstractPipeline pipeline = client.pipelined()) {
      for (T element : buffer.values()) {
        RedisHashWrite write = mapper.toHashWrite(element);
        replies.add(pipeline.hset(write.key(), write.fields()));
        replies.add(pipeline.pexpire(write.key(), write.ttlMillis()));
      }
      pipeline.sync();
    }
    List<String> errors = new ArrayList<>();
    for (Response<?> reply : replies) {
      try {
        reply.get();
      } catch (JedisDataException e) {
        if (errors.size() < 3) {
          errors.add(e.getMessage());
        }
      }
    }
    if (!errors.isEmpty()) {
      // WRONGTYPE, OOM, NOPERM...: retrying will not help, an operator must look.
      throw new IOException("Redis rejected writes: " + errors);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
