package io.p13n.serde;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the engine's output events to Kafka the way it reads its inputs: key = customer id as
 * UTF-8 (so one customer's events stay in order on one partition), value = Avro single-object
 * encoding.
 *
 * <p>The Kafka timestamp is left to the producer (the time of writing), not set to the element's
 * event time: the event time is in the value, and a topic's time-based retention counts from the
 * record timestamp. With event times, a replay of last month's orders wrote offers that the broker
 * deleted at its next retention check (7 days by default), and the exactly-once offer test lost
 * coupons at random for that reason once its fixed test dates were more than a week old.
 */
public final class KeyedAvroSerializer<T extends SpecificRecordBase>
        implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, Boolean> tombstone;

    public KeyedAvroSerializer(String topic, SerializableFunction<T, String> key) {
        this(topic, key, record -> false);
    }

    /**
     * @param tombstone which records are written as tombstones (the key with a null value: "forget
     *     this key", and on a compacted topic the key's earlier records go at the next compaction)
     */
    public KeyedAvroSerializer(
            String topic,
            SerializableFunction<T, String> key,
            SerializableFunction<T, Boolean> tombstone) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must be set");
        }
        this.topic = topic;
        this.key = key;
        this.tombstone = tombstone;
    }

    /**
     * The topic written, for lineage and for the exactly-once sink's POOLING transaction naming.
     */
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T record, KafkaSinkContext context, Long eventTimestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                null,
                key.apply(record).getBytes(StandardCharsets.UTF_8),
                tombstone.apply(record) ? null : AvroEventSerializer.encode(record));
    }
}
