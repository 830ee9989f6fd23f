package io.p13n.jobs.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes hashes and JSON documents to Redis with pipelined, batched commands (Sink V2).
 *
 * <p>Delivery: a batch is flushed when it reaches {@code maxBatchSize} keys, when its oldest entry
 * is {@code maxBatchDelay} old, and always before a checkpoint barrier is forwarded ({@link
 * SinkWriter#flush}), so a completed checkpoint never leaves writes behind. After a failure the job
 * replays from that checkpoint and rewrites; writes are idempotent (whole hash fields or whole
 * values, and a TTL), so at-least-once delivery gives exactly-once results in Redis.
 *
 * <p>Writes to the same key within a batch are coalesced (the latest element wins and is mapped
 * once, at flush), which is what keeps Redis commands, and mapping work, per input event low for
 * busy customers.
 */
public final class RedisSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final RedisEndpoint endpoint;
    private final RedisMapper<T> mapper;
    private final int maxBatchSize;
    private final long maxBatchDelayMillis;

    public RedisSink(
            RedisEndpoint endpoint,
            RedisMapper<T> mapper,
            int maxBatchSize,
            Duration maxBatchDelay) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1, was " + maxBatchSize);
        }
        if (maxBatchDelay == null || maxBatchDelay.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "maxBatchDelay must be >= 1 ms, was " + maxBatchDelay);
        }
        this.maxBatchSize = maxBatchSize;
        this.maxBatchDelayMillis = maxBatchDelay.toMillis();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new RedisSinkWriter<>(
                endpoint.connect(),
                mapper,
                maxBatchSize,
                maxBatchDelayMillis,
                context.getProcessingTimeService(),
                context.metricGroup());
    }
}
