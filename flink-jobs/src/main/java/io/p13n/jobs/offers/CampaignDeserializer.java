package io.p13n.jobs.offers;

import io.p13n.model.Campaign;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads campaigns (Avro single-object encoding) from the campaigns topic. An unreadable record is
 * logged with its offset, counted ({@code p13n.unreadableCampaigns}) and skipped: campaigns are
 * written by {@code ./personalize campaign}, which validates them, so this is someone writing to
 * the wrong topic, and stopping every offer for it would be worse. A tombstone (null value, as
 * compaction leaves) is skipped too.
 */
public final class CampaignDeserializer implements KafkaRecordDeserializationSchema<Campaign> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CampaignDeserializer.class);

  private transient BinaryMessageDecoder<Campaign> decoder;
  private transient Counter unreadable;

  @Override
  public void open(org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext context) {
    decoder = Campaign.getDecoder();
    unreadable = context.getMetricGroup().addGroup("p13n").counter("unreadableCampaigns");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Campaign> out) {
    if (record.value() == null) {
      return;
    }
    try {
      out.collect(decoder.decode(record.value()));
    } catch (Exception e) {
      unreadable.inc();
      LOG.warn("Skipping unreadable campaign at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
    }
  }

  @Override
  public TypeInformation<Campaign> getProducedType() {
    return new AvroTypeInfo<>(Campaign.class);
  }
}
