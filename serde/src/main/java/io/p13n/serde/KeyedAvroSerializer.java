package io.p13n.serde;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the engine's output events to Kafka the way it reads its inputs: key = customer id as
 * UTF-8 (so one customer's events stay in order on one partition), value = Avro single-object
 * encoding.
 */
public final class KeyedAvroSerializer<T extends SpecificRecordBase> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final SerializableFunction<T, String> key;

  public KeyedAvroSerializer(String topic, SerializableFunction<T, String> key) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic must be set");
    }
    this.topic = topic;
    this.key = key;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(topic, null, timestamp, key.apply(record).getBytes(StandardCharsets.UTF_8), AvroEventSerializer.encode(record));
  }
}
