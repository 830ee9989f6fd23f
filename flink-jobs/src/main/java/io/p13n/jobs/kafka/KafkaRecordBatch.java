package io.p13n.jobs.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What one writer subtask produced between two checkpoints, serialized and waiting for its
 * checkpoint to complete, numbered by {@code sequence} (increasing per {@code origin} subtask, see
 * {@link CheckpointCommittedKafkaSink}).
 */
public record KafkaRecordBatch(String origin, long sequence, List<Entry> records) {

    /**
     * One record as it will be produced: topic, key and value bytes, timestamp (null: the
     * producer's).
     */
    public record Entry(String topic, byte[] key, byte[] value, Long timestamp) {}

    /** Checkpointed with the committer's state: version 1. */
    public static final class Serializer implements SimpleVersionedSerializer<KafkaRecordBatch> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(KafkaRecordBatch batch) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(batch.origin());
            out.writeLong(batch.sequence());
            out.writeInt(batch.records().size());
            for (Entry e : batch.records()) {
                out.writeUTF(e.topic());
                writeBytes(out, e.key());
                writeBytes(out, e.value());
                out.writeBoolean(e.timestamp() != null);
                if (e.timestamp() != null) {
                    out.writeLong(e.timestamp());
                }
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public KafkaRecordBatch deserialize(int version, byte[] bytes) throws IOException {
            if (version != 1) {
                throw new IOException(
                        "unknown Kafka record batch version " + version + " (this build reads 1)");
            }
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            String origin = in.readUTF();
            long sequence = in.readLong();
            int n = in.readInt();
            List<Entry> records = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String topic = in.readUTF();
                byte[] key = readBytes(in);
                byte[] value = readBytes(in);
                Long timestamp = in.readBoolean() ? in.readLong() : null;
                records.add(new Entry(topic, key, value, timestamp));
            }
            return new KafkaRecordBatch(origin, sequence, records);
        }

        private static void writeBytes(DataOutputSerializer out, byte[] bytes) throws IOException {
            if (bytes == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }

        private static byte[] readBytes(DataInputDeserializer in) throws IOException {
            int n = in.readInt();
            if (n < 0) {
                return null;
            }
            byte[] bytes = new byte[n];
            in.readFully(bytes);
            return bytes;
        }
    }
}
