package io.p13n.jobs.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exactly-once Kafka sink that never resumes a transaction: records are held in Flink's
 * checkpoint and produced only after the checkpoint completes, each batch in one short Kafka
 * transaction that also records the batch's sequence number as a consumer-group offset (a
 * <em>marker</em>, atomically with the records). After a failure the batches still in the
 * checkpoint are produced again unless the marker shows them committed. So a consumer reading
 * committed records sees every record exactly once.
 *
 * <p>Why not Flink's {@code KafkaSink} with {@code EXACTLY_ONCE}: it writes into a transaction
 * while the checkpoint runs and, after a failure, commits that transaction by re-creating its
 * producer from the stored producer id and epoch. Against Kafka 4 brokers (transactions version 2,
 * the default) that re-created producer's commit is refused as fenced and the connector (5.0.0-2.2)
 * only logs a warning: OffersExactlyOnceITCase lost the 14 coupons of the one transaction that was
 * pre-committed when the TaskManager died (see also FLINK-40689, open). This sink needs nothing but
 * the public producer API: {@code initTransactions} fences a zombie and settles whatever it left
 * open, then the marker says what is already out.
 *
 * <p>Sequence numbers: a batch prepared at a checkpoint barrier is numbered one above the previous
 * checkpoint id this writer saw (or the restored checkpoint's id), so the numbers increase per
 * origin subtask, and every batch created after a restore from checkpoint {@code R} is numbered
 * above {@code R}, above anything committed before the failure (only batches of completed
 * checkpoints, at most {@code R}, are ever committed). A writer also starts above its identity's
 * marker, so a job started without state, or from a savepoint older than the last committed batch,
 * numbers its batches above everything already out.
 *
 * <p>Costs: records leave one checkpoint interval after they were written (as with every
 * exactly-once Kafka sink), and a batch is held in memory and in the checkpoint until then, so it
 * suits low-volume outputs such as offers. The job's Kafka principal needs WRITE and DESCRIBE on
 * the transactional ids {@code PREFIX-*}, and READ and DESCRIBE on the consumer groups {@code
 * PREFIX-*} (the markers). A marker group's offset expires with the broker's {@code
 * offsets.retention.minutes} (7 days) after its last batch; by then no batch of it is pending.
 */
public final class CheckpointCommittedKafkaSink<T>
        implements Sink<T>, SupportsCommitter<KafkaRecordBatch>, SupportsWriterState<T, Long> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCommittedKafkaSink.class);

    /** A batch's transaction lives for the duration of one commit call: a minute is plenty. */
    private static final int TRANSACTION_TIMEOUT_MS = 60_000;

    private final Properties kafkaConfig;
    private final KafkaRecordSerializationSchema<T> serializer;
    private final String markerTopic;
    private final String transactionalIdPrefix;

    /**
     * @param kafkaConfig bootstrap servers and client security settings
     * @param markerTopic a topic the records go to: the markers are committed offsets of its
     *     partition 0 (the group coordinator only takes offsets of existing topics)
     * @param transactionalIdPrefix unique per job: transactional ids and marker groups derive from
     *     it
     */
    public CheckpointCommittedKafkaSink(
            Properties kafkaConfig,
            KafkaRecordSerializationSchema<T> serializer,
            String markerTopic,
            String transactionalIdPrefix) {
        this.kafkaConfig = Objects.requireNonNull(kafkaConfig, "kafkaConfig");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.markerTopic = Objects.requireNonNull(markerTopic, "markerTopic");
        if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
            throw new IllegalArgumentException("transactionalIdPrefix must be set");
        }
        this.transactionalIdPrefix = transactionalIdPrefix;
    }

    @Override
    public Writer<T> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public Writer<T> restoreWriter(WriterInitContext context, Collection<Long> recoveredState)
            throws IOException {
        long last = context.getRestoredCheckpointId().orElse(0);
        for (Long sequence : recoveredState) {
            last = Math.max(last, sequence);
        }
        // And above what this identity already committed: a job started without state (or from an
        // older savepoint) counts checkpoints from its start again, and its batches must not look
        // like ones the marker already covers.
        String origin = origin(context);
        SinkContext sinkContext = new SinkContext(context);
        try (Admin admin = Admin.create(kafkaConfig)) {
            last =
                    Math.max(
                            last,
                            readMarker(
                                    admin,
                                    transactionalIdPrefix,
                                    origin,
                                    new TopicPartition(markerTopic, 0)));
        } catch (ExecutionException e) {
            throw new IOException(
                    "cannot read the offer sink's marker for " + origin + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading the offer sink's marker", e);
        }
        try {
            serializer.open(context.asSerializationSchemaInitializationContext(), sinkContext);
        } catch (Exception e) {
            throw new IOException("cannot open the record serializer", e);
        }
        return new Writer<>(serializer, origin, last, sinkContext);
    }

    /**
     * The writer's identity for transactional ids and markers: subtask and parallelism, e.g. {@code
     * 0of2}. With the parallelism in it, a job rescaled from a checkpoint that still holds batches
     * gives its new writers other identities than the old ones: subtask 0 of 4 never shares a
     * marker (nor a transactional id) with the old subtask 0 of 2 whose batches another committer
     * may still be producing, so neither can make the other's batches look committed.
     */
    static String origin(org.apache.flink.api.connector.sink2.InitContext context) {
        return context.getTaskInfo().getIndexOfThisSubtask()
                + "of"
                + context.getTaskInfo().getNumberOfParallelSubtasks();
    }

    @Override
    public Committer<KafkaRecordBatch> createCommitter(CommitterInitContext context) {
        var group = context.metricGroup().addGroup("p13n");
        return new BatchCommitter(
                kafkaConfig,
                markerTopic,
                transactionalIdPrefix,
                group.counter("kafkaRecordsCommitted"),
                group.counter("kafkaBatchesAlreadyCommitted"));
    }

    @Override
    public SimpleVersionedSerializer<KafkaRecordBatch> getCommittableSerializer() {
        return new KafkaRecordBatch.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
        return new SequenceSerializer();
    }

    /**
     * Collects serialized records until the checkpoint barrier, then hands them over as a batch.
     */
    static final class Writer<T>
            implements CommittingSinkWriter<T, KafkaRecordBatch>, StatefulSinkWriter<T, Long> {
        private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
        private final KafkaRecordSerializationSchema<T> serializer;
        private final String origin;
        private final KafkaRecordSerializationSchema.KafkaSinkContext sinkContext;
        private final List<KafkaRecordBatch.Entry> pending = new ArrayList<>();
        private long lastCheckpointId;
        private long lastSequence;

        Writer(
                KafkaRecordSerializationSchema<T> serializer,
                String origin,
                long lastCheckpointId,
                KafkaRecordSerializationSchema.KafkaSinkContext sinkContext) {
            this.serializer = serializer;
            this.origin = origin;
            this.lastCheckpointId = lastCheckpointId;
            this.lastSequence = lastCheckpointId;
            this.sinkContext = sinkContext;
        }

        @Override
        public void write(T element, Context context) {
            // Serialized now: with object reuse the element may be a buffer that changes after this
            // call.
            ProducerRecord<byte[], byte[]> record =
                    serializer.serialize(element, sinkContext, context.timestamp());
            if (record.partition() != null) {
                throw new IllegalStateException(
                        "CheckpointCommittedKafkaSink leaves partitioning to the producer, but the serializer chose partition "
                                + record.partition()
                                + " of "
                                + record.topic());
            }
            pending.add(
                    new KafkaRecordBatch.Entry(
                            record.topic(), record.key(), record.value(), record.timestamp()));
        }

        @Override
        public void flush(boolean endOfInput) {
            // Nothing to do: the batch leaves in prepareCommit, which Flink calls right after this.
        }

        @Override
        public Collection<KafkaRecordBatch> prepareCommit() {
            if (pending.isEmpty()) {
                return List.of();
            }
            // Above the previous checkpoint id, and above the previous batch (end of input prepares
            // a
            // batch of its own before the final checkpoint's, empty, one).
            lastSequence = Math.max(lastCheckpointId, lastSequence) + 1;
            KafkaRecordBatch batch =
                    new KafkaRecordBatch(origin, lastSequence, List.copyOf(pending));
            pending.clear();
            LOG.debug(
                    "Prepared Kafka batch {} of subtask {} ({} records)",
                    lastSequence,
                    origin,
                    batch.records().size());
            return List.of(batch);
        }

        @Override
        public List<Long> snapshotState(long checkpointId) {
            lastCheckpointId = checkpointId;
            return List.of(Math.max(checkpointId, lastSequence));
        }

        @Override
        public void close() {}
    }

    /**
     * Produces each batch in its own transaction, together with its marker; skips a batch whose
     * marker is already there. One transactional producer per origin subtask (more than one after a
     * downscale), created on first use: its {@code initTransactions} fences the previous owner of
     * the id and completes or aborts what it left, so the marker read right after is final.
     */
    static final class BatchCommitter implements Committer<KafkaRecordBatch> {
        private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

        private final Properties kafkaConfig;
        private final TopicPartition marker;
        private final String prefix;
        private final Counter recordsCommitted;
        private final Counter batchesAlreadyCommitted;
        private final Map<String, KafkaProducer<byte[], byte[]>> producers = new HashMap<>();
        private final Map<String, Long> committed = new HashMap<>();
        private Admin admin;

        BatchCommitter(
                Properties kafkaConfig,
                String markerTopic,
                String prefix,
                Counter recordsCommitted,
                Counter batchesAlreadyCommitted) {
            this.kafkaConfig = kafkaConfig;
            this.marker = new TopicPartition(markerTopic, 0);
            this.prefix = prefix;
            this.recordsCommitted = recordsCommitted;
            this.batchesAlreadyCommitted = batchesAlreadyCommitted;
        }

        @Override
        public void commit(Collection<CommitRequest<KafkaRecordBatch>> requests)
                throws InterruptedException {
            for (CommitRequest<KafkaRecordBatch> request : requests) {
                KafkaRecordBatch batch = request.getCommittable();
                try {
                    KafkaProducer<byte[], byte[]> producer = producerFor(batch.origin());
                    long markerValue = committed.get(batch.origin());
                    if (batch.sequence() <= markerValue) {
                        LOG.info(
                                "Kafka batch {} of subtask {} ({} records) was committed before (marker {}): not produced again",
                                batch.sequence(),
                                batch.origin(),
                                batch.records().size(),
                                markerValue);
                        batchesAlreadyCommitted.inc();
                        request.signalAlreadyCommitted();
                        continue;
                    }
                    producer.beginTransaction();
                    for (KafkaRecordBatch.Entry e : batch.records()) {
                        producer.send(
                                new ProducerRecord<>(
                                        e.topic(), null, e.timestamp(), e.key(), e.value()));
                    }
                    producer.sendOffsetsToTransaction(
                            Map.of(marker, new OffsetAndMetadata(batch.sequence())),
                            new ConsumerGroupMetadata(markerGroup(prefix, batch.origin())));
                    producer.commitTransaction();
                    committed.put(batch.origin(), batch.sequence());
                    recordsCommitted.inc(batch.records().size());
                    LOG.debug(
                            "Committed Kafka batch {} of subtask {} ({} records)",
                            batch.sequence(),
                            batch.origin(),
                            batch.records().size());
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    // The batch stays in the checkpoint: the restarted job produces it unless
                    // its marker shows it committed. Failing (instead of retrying later) keeps
                    // batches in order, which the marker comparison relies on.
                    discard(batch.origin());
                    request.signalFailedWithUnknownReason(
                            new IOException(
                                    "could not commit Kafka batch "
                                            + batch.sequence()
                                            + " of subtask "
                                            + batch.origin()
                                            + " ("
                                            + batch.records().size()
                                            + " records): "
                                            + e,
                                    e));
                }
            }
        }

        /**
         * The origin's producer, initialized; its committed marker is then in {@link #committed}.
         */
        private KafkaProducer<byte[], byte[]> producerFor(String origin)
                throws ExecutionException, InterruptedException {
            KafkaProducer<byte[], byte[]> producer = producers.get(origin);
            if (producer != null) {
                return producer;
            }
            Properties config = new Properties();
            config.putAll(kafkaConfig);
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(prefix, origin));
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            config.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(config);
            try {
                producer.initTransactions();
                committed.put(origin, readMarker(origin));
            } catch (RuntimeException | ExecutionException | InterruptedException e) {
                producer.close(java.time.Duration.ZERO);
                throw e;
            }
            producers.put(origin, producer);
            return producer;
        }

        private long readMarker(String origin) throws ExecutionException, InterruptedException {
            if (admin == null) {
                admin = Admin.create(kafkaConfig);
            }
            return CheckpointCommittedKafkaSink.readMarker(admin, prefix, origin, marker);
        }

        private void discard(String origin) {
            committed.remove(origin);
            KafkaProducer<byte[], byte[]> producer = producers.remove(origin);
            if (producer != null) {
                producer.close(java.time.Duration.ZERO);
            }
        }

        @Override
        public void close() {
            for (KafkaProducer<byte[], byte[]> producer : producers.values()) {
                producer.close(java.time.Duration.ofSeconds(5));
            }
            producers.clear();
            if (admin != null) {
                admin.close(java.time.Duration.ofSeconds(5));
            }
        }
    }

    /** The highest batch sequence committed for {@code origin}, 0 if none. */
    static long readMarker(Admin admin, String prefix, String origin, TopicPartition marker)
            throws ExecutionException, InterruptedException {
        String group = markerGroup(prefix, origin);
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(
                                group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                        .partitionsToOffsetAndMetadata()
                        .get();
        OffsetAndMetadata offset = offsets.get(marker);
        long value = offset == null ? 0 : offset.offset();
        LOG.info(
                "Kafka batches of {}: committed up to sequence {} (marker group {})",
                origin,
                value,
                group);
        return value;
    }

    /**
     * The transactional id the batches of {@code origin} are produced under (ACLs: WRITE,
     * DESCRIBE).
     */
    static String transactionalId(String prefix, String origin) {
        return prefix + "-wal-" + origin;
    }

    /** The consumer group whose offset marks the last committed batch of {@code origin}. */
    static String markerGroup(String prefix, String origin) {
        return prefix + "-wal-" + origin;
    }

    /** What the record serializer may ask about the sink; partitions are left to the producer. */
    private record SinkContext(int subtask, int parallelism)
            implements KafkaRecordSerializationSchema.KafkaSinkContext {
        SinkContext(WriterInitContext context) {
            this(
                    context.getTaskInfo().getIndexOfThisSubtask(),
                    context.getTaskInfo().getNumberOfParallelSubtasks());
        }

        @Override
        public int getParallelInstanceId() {
            return subtask;
        }

        @Override
        public int getNumberOfParallelInstances() {
            return parallelism;
        }

        @Override
        public int[] getPartitionsForTopic(String topic) {
            throw new UnsupportedOperationException(
                    "CheckpointCommittedKafkaSink leaves partitioning to the producer: the serializer must not choose partitions");
        }
    }

    /** The writer state: the last batch sequence (or checkpoint id) it numbered from. */
    static final class SequenceSerializer implements SimpleVersionedSerializer<Long> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Long value) {
            return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(value).array();
        }

        @Override
        public Long deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1 || bytes.length != Long.BYTES) {
                throw new IOException(
                        "unknown writer state: version "
                                + version
                                + ", "
                                + bytes.length
                                + " bytes");
            }
            return java.nio.ByteBuffer.wrap(bytes).getLong();
        }
    }
}
