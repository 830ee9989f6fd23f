package io.p13n.jobs.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Writes {@link RedisWrite}s outside a Flink job (tools such as {@code ./personalize redis
 * rebuild}): collected into batches of {@code batchSize} and sent as one pipeline each, with the
 * sinks' retries ({@link RedisPipeline}), every hash's TTL set on every write. Not thread-safe.
 */
public final class RedisBatchWriter implements AutoCloseable {
    private final UnifiedJedis client;
    private final int batchSize;
    private final List<RedisWrite> batch;
    private long writes;
    private long commands;

    public RedisBatchWriter(RedisEndpoint endpoint, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        this.batch = new ArrayList<>(batchSize);
        this.client = endpoint.connect();
    }

    /** Queues a write; sends the batch once it is full. */
    public void write(RedisWrite write) throws IOException, InterruptedException {
        batch.add(write);
        if (batch.size() >= batchSize) {
            flush();
        }
    }

    /** Sends what is queued. */
    public void flush() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        commands += RedisPipeline.send(client, batch, () -> {});
        writes += batch.size();
        batch.clear();
    }

    /** Writes sent so far. */
    public long writes() {
        return writes;
    }

    /** Redis commands sent so far. */
    public long commands() {
        return commands;
    }

    /** Closes the client; call {@link #flush} first, queued writes are not sent. */
    @Override
    public void close() {
        client.close();
    }
}
