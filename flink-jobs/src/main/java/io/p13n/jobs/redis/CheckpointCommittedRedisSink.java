package io.p13n.jobs.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A Redis sink that writes only what a completed checkpoint covers: the writer collects the latest
 * element per key, hands the batch to Flink at the checkpoint barrier ({@link
 * CommittingSinkWriter#prepareCommit}), and the committer writes it once the checkpoint is
 * complete. After a failure, nothing from the lost epoch ever reached Redis, and a batch whose
 * commit was interrupted is committed again on recovery (writes are idempotent).
 *
 * <p>Used for coupons: a customer must never see an offer that the restarted job might not issue
 * again (the decision after a replay can differ, e.g. when campaigns change meanwhile). The price
 * is latency: an offer appears up to one checkpoint interval after its trigger, the same as Flink's
 * exactly-once Kafka sink, which delivers the same offers to marketing systems.
 */
public final class CheckpointCommittedRedisSink<T>
        implements Sink<T>, SupportsCommitter<RedisWriteBatch> {
    private static final long serialVersionUID = 1L;

    private final RedisEndpoint endpoint;
    private final RedisMapper<T> mapper;

    public CheckpointCommittedRedisSink(RedisEndpoint endpoint, RedisMapper<T> mapper) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(mapper);
    }

    @Override
    public Committer<RedisWriteBatch> createCommitter(CommitterInitContext context) {
        Counter commands = context.metricGroup().addGroup("redis").counter("commandsSent");
        Counter retries = context.metricGroup().addGroup("redis").counter("retries");
        return new RedisCommitter(endpoint.connect(), commands, retries);
    }

    @Override
    public SimpleVersionedSerializer<RedisWriteBatch> getCommittableSerializer() {
        return new RedisWriteBatch.Serializer();
    }

    /** Keeps the latest element per key until the next checkpoint barrier. */
    static final class Writer<T> implements CommittingSinkWriter<T, RedisWriteBatch> {
        private final RedisMapper<T> mapper;
        private final LinkedHashMap<String, T> pending = new LinkedHashMap<>();

        Writer(RedisMapper<T> mapper) {
            this.mapper = mapper;
        }

        @Override
        public void write(T element, Context context) {
            pending.put(mapper.keyOf(element), element);
        }

        @Override
        public void flush(boolean endOfInput) {
            // Nothing to do: the batch leaves in prepareCommit, which Flink calls right after this.
        }

        @Override
        public Collection<RedisWriteBatch> prepareCommit() {
            if (pending.isEmpty()) {
                return List.of();
            }
            List<RedisWrite> writes = new ArrayList<>(pending.size());
            for (T element : pending.values()) {
                writes.add(mapper.toWrite(element));
            }
            pending.clear();
            return List.of(new RedisWriteBatch(writes));
        }

        @Override
        public void close() {}
    }

    /** Writes committed batches; Flink retries a batch Redis could not take. */
    static final class RedisCommitter implements Committer<RedisWriteBatch> {
        private static final Logger LOG = LoggerFactory.getLogger(RedisCommitter.class);

        private final UnifiedJedis client;
        private final Counter commands;
        private final Counter retries;

        RedisCommitter(UnifiedJedis client, Counter commands, Counter retries) {
            this.client = client;
            this.commands = commands;
            this.retries = retries;
        }

        @Override
        public void commit(Collection<CommitRequest<RedisWriteBatch>> requests)
                throws InterruptedException {
            for (CommitRequest<RedisWriteBatch> request : requests) {
                try {
                    commands.inc(
                            RedisPipeline.send(
                                    client, request.getCommittable().writes(), retries::inc));
                } catch (IOException e) {
                    if (e.getCause()
                            instanceof redis.clients.jedis.exceptions.JedisConnectionException) {
                        // Still in the checkpoint: Flink hands it to us again, after a restart if
                        // need be.
                        LOG.warn(
                                "Redis unreachable, commit of {} writes postponed: {}",
                                request.getCommittable().writes().size(),
                                e.toString());
                        request.retryLater();
                    } else {
                        request.signalFailedWithKnownReason(e);
                    }
                }
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
