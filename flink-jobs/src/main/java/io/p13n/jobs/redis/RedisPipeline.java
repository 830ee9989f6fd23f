package io.p13n.jobs.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.SetParams;

/**
 * Sends a batch of {@link RedisWrite}s as one pipeline, retrying a briefly unreachable Redis with
 * backoff. Shared by the batching sink and the checkpoint-committed sink so both treat Redis the
 * same way: connection problems are retried, error replies (WRONGTYPE, OOM, NOPERM) are not, since
 * retrying cannot fix them and an operator must look.
 *
 * <p>On a Redis Cluster a failover is a connection problem too, in three guises, all retried: the
 * dead master's connection breaks, the surviving masters answer CLUSTERDOWN until its replica is
 * promoted (and MOVED or TRYAGAIN while slots change hands), and Jedis's cluster pipeline leaves
 * the replies of a node whose connection broke during {@code sync()} unset instead of throwing.
 * Before each retry a cluster client re-reads the slot map, which pipelines never do by themselves.
 */
public final class RedisPipeline {
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
        return send(client, writes, null, retried);
    }

    /**
     * Sends every write as {@link #send(UnifiedJedis, Collection, Runnable)} does, but a hash whose
     * TTL {@code expiries} knows to be fresh gets no PEXPIRE and an HSET of its changed fields only
     * (none at all when nothing changed), unless that HSET created a field: then the key may be
     * new, and the whole hash and its TTL are written in a second pipeline. A retried attempt
     * writes every hash whole: its HSETs find the fields the failed attempt wrote, and could no
     * longer tell a new key.
     *
     * @param expiries what was last written to each hash key, or null to write every hash whole
     */
    static int send(
            UnifiedJedis client,
            Collection<? extends RedisWrite> writes,
            WrittenHashes expiries,
            Runnable retried)
            throws IOException, InterruptedException {
        return retrying(
                client,
                attempt -> sendOnce(client, writes, attempt == 1 ? expiries : null, expiries),
                retried);
    }

    /**
     * GETs every key in one pipeline, retried as writes are (a failover, a broken connection);
     * returns the values in key order, null where a key does not exist. Reads are idempotent, so a
     * retry is always safe.
     */
    public static List<String> getAll(UnifiedJedis client, List<String> keys)
            throws IOException, InterruptedException {
        return retrying(
                client,
                attempt -> {
                    List<Response<String>> replies = new ArrayList<>(keys.size());
                    // GETs rather than one MGET: on a Redis Cluster the keys live in many slots.
                    try (AbstractPipeline pipeline = client.pipelined()) {
                        for (String key : keys) {
                            replies.add(pipeline.get(key));
                        }
                        pipeline.sync();
                    }
                    List<String> values = new ArrayList<>(keys.size());
                    for (Response<String> reply : replies) {
                        values.add(replyOf(reply));
                    }
                    return values;
                },
                () -> {});
    }

    /**
     * HMGETs {@code fields} of every key in one pipeline, retried as {@link #getAll} is; returns
     * the values in key order, each list in field order (nulls where the key or field is missing).
     */
    public static List<List<String>> hashFieldsAll(
            UnifiedJedis client, List<String> keys, String... fields)
            throws IOException, InterruptedException {
        return retrying(
                client,
                attempt -> {
                    List<Response<List<String>>> replies = new ArrayList<>(keys.size());
                    try (AbstractPipeline pipeline = client.pipelined()) {
                        for (String key : keys) {
                            replies.add(pipeline.hmget(key, fields));
                        }
                        pipeline.sync();
                    }
                    List<List<String>> values = new ArrayList<>(keys.size());
                    for (Response<List<String>> reply : replies) {
                        values.add(replyOf(reply));
                    }
                    return values;
                },
                () -> {});
    }

    /** One attempt of a pipelined exchange; {@code attempt} counts from 1. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run(int attempt) throws IOException;
    }

    private static <T> T retrying(UnifiedJedis client, Attempt<T> exchange, Runnable retried)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return exchange.run(attempt);
            } catch (JedisConnectionException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    // Failing the task is safe: it restarts from the last checkpoint and rewrites.
                    throw new IOException("Redis unreachable after " + attempt + " attempts", e);
                }
                retried.run();
                long backoff = FIRST_BACKOFF_MILLIS << (attempt - 1);
                LOG.warn(
                        "Redis exchange failed (attempt {}/{}), retrying in {} ms: {}",
                        attempt,
                        MAX_ATTEMPTS,
                        backoff,
                        e.toString());
                Thread.sleep(backoff);
                if (client instanceof RedisClusterClient cluster) {
                    refreshSlots(cluster);
                }
            }
        }
    }

    /**
     * @param skipping what was written before, to cut writes by, or null to write hashes whole
     * @param record where to record what was written, or null
     */
    private static int sendOnce(
            UnifiedJedis client,
            Collection<? extends RedisWrite> writes,
            WrittenHashes skipping,
            WrittenHashes record)
            throws IOException {
        long now = record == null ? 0 : record.now();
        List<Response<?>> replies = new ArrayList<>(2 * writes.size());
        // Hashes sent without their PEXPIRE, with their HSET's reply (fields created).
        List<RedisHashWrite> unexpired = new ArrayList<>();
        List<Response<Long>> created = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        // Every hash's field digests, recorded once the pipeline is acknowledged.
        List<String> hashKeys = new ArrayList<>();
        List<long[]> hashDigests = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        int commands = 0;
        try (AbstractPipeline pipeline = client.pipelined()) {
            for (RedisWrite write : writes) {
                if (write instanceof RedisHashWrite hash) {
                    long[] digests = record == null ? null : WrittenHashes.digests(hash.fields());
                    if (record != null) {
                        hashKeys.add(hash.key());
                        hashDigests.add(digests);
                    }
                    if (skipping != null && skipping.fresh(hash.key(), hash.ttlMillis(), now)) {
                        Map<String, String> changed =
                                skipping.changed(hash.key(), hash.fields(), digests);
                        if (changed.isEmpty()) {
                            continue;
                        }
                        Response<Long> hset = pipeline.hset(hash.key(), changed);
                        replies.add(hset);
                        unexpired.add(hash);
                        created.add(hset);
                        commands += 1;
                        continue;
                    }
                    replies.add(pipeline.hset(hash.key(), hash.fields()));
                    replies.add(pipeline.pexpire(hash.key(), hash.ttlMillis()));
                    expired.add(hash.key());
                } else if (write instanceof RedisValueWrite value) {
                    replies.add(
                            pipeline.set(
                                    value.key(),
                                    value.value(),
                                    SetParams.setParams().px(value.ttlMillis())));
                } else if (write instanceof RedisListPush push) {
                    replies.add(pipeline.lpush(push.key(), push.value()));
                    replies.add(pipeline.ltrim(push.key(), 0, push.maxLength() - 1));
                    replies.add(pipeline.pexpire(push.key(), push.ttlMillis()));
                } else {
                    replies.add(pipeline.del(write.key()));
                    deleted.add(write.key());
                }
                commands += write.commands();
            }
            pipeline.sync();
        }
        List<String> errors = new ArrayList<>();
        for (Response<?> reply : replies) {
            try {
                replyOf(reply);
            } catch (JedisDataException e) {
                if (errors.size() < 3) {
                    errors.add(e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IOException("Redis rejected writes: " + errors);
        }
        List<String> rewritten = rewriteCreated(client, unexpired, created);
        commands += 2 * rewritten.size();
        expired.addAll(rewritten);
        if (record != null) {
            for (int i = 0; i < hashKeys.size(); i++) {
                record.written(hashKeys.get(i), hashDigests.get(i));
            }
            // Only the keys whose TTL was set now: a skipped key keeps its earlier refresh time, so
            // it is refreshed again once that is older than the interval.
            for (String key : expired) {
                record.refreshed(key, now);
            }
            for (String key : deleted) {
                record.forget(key);
            }
        }
        return commands;
    }

    /**
     * Writes whole, with its TTL, each hash whose HSET created a field (the key, or some of its
     * fields, were gone); returns their keys.
     */
    private static List<String> rewriteCreated(
            UnifiedJedis client, List<RedisHashWrite> hashes, List<Response<Long>> created)
            throws IOException {
        List<RedisHashWrite> toExpire = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            if (replyOf(created.get(i)) > 0) {
                toExpire.add(hashes.get(i));
            }
        }
        if (toExpire.isEmpty()) {
            return List.of();
        }
        List<Response<Long>> replies = new ArrayList<>(2 * toExpire.size());
        try (AbstractPipeline pipeline = client.pipelined()) {
            for (RedisHashWrite hash : toExpire) {
                replies.add(pipeline.hset(hash.key(), hash.fields()));
                replies.add(pipeline.pexpire(hash.key(), hash.ttlMillis()));
            }
            pipeline.sync();
        }
        for (Response<Long> reply : replies) {
            try {
                replyOf(reply);
            } catch (JedisDataException e) {
                throw new IOException("Redis rejected a repair write: " + e.getMessage(), e);
            }
        }
        List<String> keys = new ArrayList<>(toExpire.size());
        for (RedisHashWrite hash : toExpire) {
            keys.add(hash.key());
        }
        return keys;
    }

    /**
     * The value of a pipelined reply. A reply that a retry can fix is thrown as a {@link
     * JedisConnectionException}, so that {@link #send} retries it: one that Jedis left unset, and a
     * Redis Cluster's answer while a failover or resharding is under way. Other error replies are
     * thrown as they are.
     */
    private static <T> T replyOf(Response<T> reply) {
        try {
            return reply.get();
        } catch (IllegalStateException e) {
            // Jedis's cluster pipeline logs a connection that breaks during sync() and drops that
            // node's replies, unset: each of those writes may or may not have been applied, as
            // with a broken connection. Without this the task failed on "Please close pipeline",
            // never retrying.
            throw new JedisConnectionException("a Redis node's connection broke mid-pipeline", e);
        } catch (JedisDataException e) {
            if (clusterChangingHands(e)) {
                // Not a rejection: the same write succeeds once the replica is promoted or the slot
                // has moved. Treated as one, a failover discarded the coupons a committer was
                // writing (a commit failing with a known reason is dropped by Flink, not retried).
                throw new JedisConnectionException("Redis Cluster: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** MOVED and ASK, CLUSTERDOWN (no live owner of a slot yet), TRYAGAIN (a slot migrating). */
    static boolean clusterChangingHands(JedisDataException e) {
        return e instanceof JedisRedirectionException
                || e instanceof JedisClusterException
                || (e.getMessage() != null && e.getMessage().startsWith("TRYAGAIN"));
    }

    /**
     * Re-reads the cluster's slot map. A cluster client updates it only when a single command
     * fails, never when a pipeline does, so without this every retry went to the dead master again
     * and only a restart of the task, with a new client, found its promoted replica.
     */
    private static void refreshSlots(RedisClusterClient cluster) {
        try {
            cluster.refreshClusterTopology();
        } catch (JedisException e) {
            // No node answered: the next attempt fails as well and tells why.
            LOG.warn("Could not refresh the Redis Cluster slot map: {}", e.toString());
        }
    }
}
