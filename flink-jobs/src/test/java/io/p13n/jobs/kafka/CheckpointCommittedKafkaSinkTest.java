package io.p13n.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Batch numbering and the checkpointed forms of the exactly-once offer sink. */
class CheckpointCommittedKafkaSinkTest {
    private static final KafkaRecordSerializationSchema<String> SERIALIZER =
            (value, context, timestamp) ->
                    new ProducerRecord<>(
                            "t",
                            value.getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldNumberBatchesAboveTheRestoredCheckpointAndEveryCheckpointSince() throws Exception {
        var writer = new CheckpointCommittedKafkaSink.Writer<>(SERIALIZER, "1of2", 7, null);

        assertThat(writer.prepareCommit()).as("nothing written, nothing to commit").isEmpty();
        writer.write("a", context());
        assertThat(sequences(writer.prepareCommit())).containsExactly(8L);
        assertThat(writer.snapshotState(8)).containsExactly(8L);

        writer.write("b", context());
        writer.write("c", context());
        KafkaRecordBatch batch = writer.prepareCommit().iterator().next();
        assertThat(batch.sequence()).isEqualTo(9);
        assertThat(batch.origin()).isEqualTo("1of2");
        assertThat(batch.records())
                .extracting(e -> new String(e.value(), StandardCharsets.UTF_8))
                .containsExactly("b", "c");
        writer.snapshotState(12); // checkpoints 9 to 11 were aborted

        writer.write("d", context());
        assertThat(sequences(writer.prepareCommit())).containsExactly(13L);
        // end of input prepares a batch before the final checkpoint: still increasing
        writer.write("e", context());
        assertThat(sequences(writer.prepareCommit())).containsExactly(14L);
        assertThat(writer.snapshotState(13))
                .as("the state keeps the highest number used")
                .containsExactly(14L);
    }

    @Test
    void shouldRefuseASerializerThatChoosesPartitions() {
        KafkaRecordSerializationSchema<String> partitioned =
                (value, context, timestamp) ->
                        new ProducerRecord<>("t", 3, null, value.getBytes(StandardCharsets.UTF_8));
        var writer = new CheckpointCommittedKafkaSink.Writer<>(partitioned, "0of2", 0, null);

        assertThatThrownBy(() -> writer.write("a", context()))
                .hasMessageContaining("partition 3 of t");
    }

    @Test
    void shouldRoundTripBatchesAndWriterState() throws Exception {
        var batch =
                new KafkaRecordBatch(
                        "2of4",
                        41,
                        List.of(
                                new KafkaRecordBatch.Entry(
                                        "t",
                                        "k".getBytes(StandardCharsets.UTF_8),
                                        "v".getBytes(StandardCharsets.UTF_8),
                                        5L),
                                new KafkaRecordBatch.Entry("u", null, new byte[0], null)));
        var serializer = new KafkaRecordBatch.Serializer();

        KafkaRecordBatch back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(batch));

        assertThat(back.origin()).isEqualTo("2of4");
        assertThat(back.sequence()).isEqualTo(41);
        assertThat(back.records()).hasSize(2);
        assertThat(back.records().get(0).topic()).isEqualTo("t");
        assertThat(back.records().get(0).key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(back.records().get(0).timestamp()).isEqualTo(5L);
        assertThat(back.records().get(1).key()).isNull();
        assertThat(back.records().get(1).value()).isEmpty();
        assertThat(back.records().get(1).timestamp()).isNull();
        var state = new CheckpointCommittedKafkaSink.SequenceSerializer();
        assertThat(state.deserialize(1, state.serialize(42L))).isEqualTo(42L);
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0]))
                .hasMessageContaining("version 2");
    }

    private static List<Long> sequences(Collection<KafkaRecordBatch> batches) {
        return batches.stream().map(KafkaRecordBatch::sequence).toList();
    }

    private static SinkWriter.Context context() {
        return new SinkWriter.Context() {
            @Override
            public long currentWatermark() {
                return 0;
            }

            @Override
            public Long timestamp() {
                return null;
            }
        };
    }
}
