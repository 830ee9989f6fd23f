package io.p13n.jobs.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * Sends a batch of {@link RedisWrite}s as one pipeline, retrying a briefly unreachable Redis with
 * backoff. Shared by the batching sink and the checkpoint-committed sink so both treat Redis the
 * same way: connection problems are retried, error replies (WRONGTYPE, OOM, NOPERM) are not, since
 * retrying cannot fix them and an operator must look.
 */
final class RedisPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPipeline.class);

    /**
     * A failover or restart of Redis takes seconds; four attempts with doubling backoff span ~0.7
     * s.
     */
    static final int MAX_ATTEMPTS = 4;

    private static final long FIRST_BACKOFF_MILLIS = 100;

    private RedisPipeline() {}

    /**
     * Sends every write, retrying connection failures; returns the number of commands sent.
     *
     * @param retried called once per retry, for metrics
     */
    static int send(UnifiedJedis client, Collection<? extends RedisWrite> writes, Runnable retried)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return sendOnce(client, writes);
            } catch (JedisConnectionException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    // Failing the task is safe: it restarts from the last checkpoint and rewrites.
                    throw new IOException("Redis unreachable after " + attempt + " attempts", e);
                }
                retried.run();
                long backoff = FIRST_BACKOFF_MILLIS << (attempt - 1);
                LOG.warn(
                        "Redis write failed (attempt {}/{}), retrying in {} ms: {}",
                        attempt,
                        MAX_ATTEMPTS,
                        backoff,
                        e.toString());
                Thread.sleep(backoff);
            }
        }
    }

    private static int sendOnce(UnifiedJedis client, Collection<? extends RedisWrite> writes)
            throws IOException {
        List<Response<?>> replies = new ArrayList<>(2 * writes.size());
        int commands = 0;
        try (AbstractPipeline pipeline = client.pipelined()) {
            for (RedisWrite write : writes) {
                if (write instanceof RedisHashWrite hash) {
                    replies.add(pipeline.hset(hash.key(), hash.fields()));
                    replies.add(pipeline.pexpire(hash.key(), hash.ttlMillis()));
                } else if (write instanceof RedisValueWrite value) {
                    replies.add(
                            pipeline.set(
                                    value.key(),
                                    value.value(),
                                    SetParams.setParams().px(value.ttlMillis())));
                } else {
                    replies.add(pipeline.del(write.key()));
                }
                commands += write.commands();
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
            throw new IOException("Redis rejected writes: " + errors);
        }
        return commands;
    }
}
