package io.p13n.serde;

import io.p13n.model.Campaign;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the campaigns topic ({@code kafka.topic.campaigns}): Avro single-object {@link Campaign}s
 * keyed by campaign id. Tombstones (compaction deletes) and values that are not campaigns are
 * skipped with a warning: a bad campaign record must not stop offers for every other campaign.
 */
public final class CampaignDeserializer implements KafkaRecordDeserializationSchema<Campaign> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CampaignDeserializer.class);

    // Built on first use, not serialized with the job graph: a decoder holds thread-local buffers.
    private transient BinaryMessageDecoder<Campaign> decoder;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Campaign> out) {
        Campaign campaign = decode(record.value());
        if (campaign != null) {
            out.collect(campaign);
        } else if (record.value() != null) {
            LOG.warn(
                    "Skipping a record on {} partition {} offset {}: not a Campaign",
                    record.topic(),
                    record.partition(),
                    record.offset());
        }
    }

    /** The campaign, or null for a tombstone or a value that is not one. */
    public Campaign decode(byte[] value) {
        if (value == null) {
            return null;
        }
        if (decoder == null) {
            // Campaigns written before a field was added (the topic is compacted: they stay) decode
            // with the new field's default.
            decoder = Campaign.createDecoder(null);
            SchemaHistory.writerSchemasOf(Campaign.getClassSchema().getFullName())
                    .forEach(decoder::addSchema);
        }
        try {
            return decoder.decode(value);
        } catch (Exception e) { // IOException, AvroRuntimeException, or worse for arbitrary bytes
            return null;
        }
    }

    @Override
    public TypeInformation<Campaign> getProducedType() {
        return new AvroTypeInfo<>(Campaign.class);
    }
}
