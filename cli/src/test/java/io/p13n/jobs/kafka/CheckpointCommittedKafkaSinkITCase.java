package io.p13n.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exactly-once offer sink's committer against a real broker: a batch handed over again after a
 * restart is not produced twice, a transaction a crashed committer left open is aborted (and does
 * not block read-committed consumers), and a zombie committer is fenced instead of writing.
 */
class CheckpointCommittedKafkaSinkITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    private String topic;
    private String prefix;

    @BeforeEach
    void createTopic() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        topic = "offers-" + run;
        prefix = "job-" + run;
        SERVICES.kafka().createTopics(2, topic);
    }

    @Test
    void shouldProduceABatchHandedOverAgainAfterARestartOnlyOnce() throws Exception {
        try (var first = committer()) {
            assertThat(commit(first, batch("0of2", 3, "a", "b"))).containsExactly("committed");
        }
        // The restarted job's committer gets the restored batch again, then the next one.
        try (var second = committer()) {
            assertThat(commit(second, batch("0of2", 3, "a", "b")))
                    .containsExactly("already committed");
            assertThat(commit(second, batch("0of2", 5, "c"))).containsExactly("committed");
        }

        assertThat(values()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void shouldKeepBatchesOfDifferentSubtasksApart() throws Exception {
        try (var committer = committer()) {
            assertThat(commit(committer, batch("0of2", 4, "a"))).containsExactly("committed");
            // Subtask 1's marker is its own: its batch 2 is below subtask 0's 4 and still new.
            assertThat(commit(committer, batch("1of2", 2, "b"))).containsExactly("committed");
        }

        assertThat(values()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void shouldKeepTheBatchesOfARescaledJobApartFromTheOldOnes() throws Exception {
        // Rescaled 2 -> 4 from a checkpoint that still held subtask 0's batch 3: its new subtask 0
        // commits batch 9 first (another committer has the old batch), then the old one goes out.
        try (var newSubtaskZero = committer();
                var heirOfOldBatches = committer()) {
            assertThat(commit(newSubtaskZero, batch("0of4", 9, "new")))
                    .containsExactly("committed");
            assertThat(commit(heirOfOldBatches, batch("0of2", 3, "old")))
                    .containsExactly("committed");
        }

        assertThat(values()).containsExactlyInAnyOrder("new", "old");
    }

    @Test
    void shouldAbortWhatACrashedCommitterLeftOpen() throws Exception {
        // A committer that died mid-transaction: records sent, neither committed nor aborted.
        Properties config = new Properties();
        config.put("bootstrap.servers", SERVICES.kafka().bootstrapServers());
        config.put(
                "transactional.id", CheckpointCommittedKafkaSink.transactionalId(prefix, "0of2"));
        KafkaProducer<byte[], byte[]> crashed =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        crashed.initTransactions();
        crashed.beginTransaction();
        crashed.send(
                new ProducerRecord<>(
                        topic,
                        "k".getBytes(StandardCharsets.UTF_8),
                        "lost".getBytes(StandardCharsets.UTF_8)));
        crashed.flush();
        crashed.close(Duration.ZERO);

        try (var restarted = committer()) {
            assertThat(commit(restarted, batch("0of2", 7, "a"))).containsExactly("committed");
        }

        // The reader reaches the end: the open transaction no longer holds the last stable offset
        // back.
        assertThat(values()).containsExactly("a");
    }

    @Test
    void shouldFenceAZombieCommitter() throws Exception {
        try (var zombie = committer();
                var successor = committer()) {
            assertThat(commit(zombie, batch("0of2", 1, "a"))).containsExactly("committed");
            assertThat(commit(successor, batch("0of2", 2, "b"))).containsExactly("committed");
            assertThat(commit(zombie, batch("0of2", 3, "c")))
                    .singleElement()
                    .asString()
                    .startsWith("failed");
        }

        assertThat(values()).containsExactlyInAnyOrder("a", "b");
    }

    private CheckpointCommittedKafkaSink.BatchCommitter committer() {
        Properties config = new Properties();
        config.put("bootstrap.servers", SERVICES.kafka().bootstrapServers());
        return new CheckpointCommittedKafkaSink.BatchCommitter(
                config, topic, prefix, new SimpleCounter(), new SimpleCounter());
    }

    private KafkaRecordBatch batch(String origin, long sequence, String... values) {
        List<KafkaRecordBatch.Entry> entries = new ArrayList<>();
        for (String v : values) {
            entries.add(
                    new KafkaRecordBatch.Entry(
                            topic,
                            v.getBytes(StandardCharsets.UTF_8),
                            v.getBytes(StandardCharsets.UTF_8),
                            null));
        }
        return new KafkaRecordBatch(origin, sequence, entries);
    }

    private List<String> values() {
        return TopicReader.readAll(SERVICES.kafka().bootstrapServers(), topic).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }

    /** Commits one batch and returns how the committer signalled it. */
    private static List<String> commit(
            CheckpointCommittedKafkaSink.BatchCommitter committer, KafkaRecordBatch batch)
            throws Exception {
        RecordingRequest request = new RecordingRequest(batch);
        committer.commit(List.of(request));
        return request.signals.isEmpty() ? List.of("committed") : request.signals;
    }

    private static final class RecordingRequest implements CommitRequest<KafkaRecordBatch> {
        private final KafkaRecordBatch batch;
        private final List<String> signals = new ArrayList<>();

        RecordingRequest(KafkaRecordBatch batch) {
            this.batch = batch;
        }

        @Override
        public KafkaRecordBatch getCommittable() {
            return batch;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            signals.add("failed: " + t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            signals.add("failed: " + t);
        }

        @Override
        public void retryLater() {
            signals.add("retry later");
        }

        @Override
        public void updateAndRetryLater(KafkaRecordBatch committable) {
            signals.add("retry later");
        }

        @Override
        public void signalAlreadyCommitted() {
            signals.add("already committed");
        }
    }
}
