package io.p13n.jobs.identity;

import io.p13n.model.CustomerEvent;
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
 * Reads the identity hand-off topic back: {@link CustomerEvent}s in Avro single-object encoding,
 * written by this engine. A value it cannot decode (written by an engine whose CustomerEvent schema
 * differs: drain the topic before such an upgrade) is skipped with a warning and counted, never
 * thrown at the job.
 */
public final class HandOffDeserializer implements KafkaRecordDeserializationSchema<CustomerEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HandOffDeserializer.class);

    // Built on first use, not serialized with the job graph: a decoder holds thread-local buffers.
    private transient BinaryMessageDecoder<CustomerEvent> decoder;
    private transient Counter skipped;

    @Override
    public void open(
            org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext
                    context) {
        skipped =
                context.getMetricGroup()
                        .addGroup("p13n")
                        .addGroup("identity")
                        .counter("handOffsUndecodable");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CustomerEvent> out) {
        CustomerEvent event = decode(record.value());
        if (event != null) {
            out.collect(event);
            return;
        }
        if (skipped != null) {
            skipped.inc();
        }
        LOG.warn(
                "Skipping a record on {} partition {} offset {}: not a CustomerEvent of this engine",
                record.topic(),
                record.partition(),
                record.offset());
    }

    /** The event, or null for a value that is not one. */
    public CustomerEvent decode(byte[] value) {
        if (value == null) {
            return null;
        }
        if (decoder == null) {
            decoder = CustomerEvent.createDecoder(null);
        }
        try {
            return decoder.decode(value);
        } catch (Exception e) { // IOException, AvroRuntimeException, or worse for arbitrary bytes
            return null;
        }
    }

    @Override
    public TypeInformation<CustomerEvent> getProducedType() {
        return new AvroTypeInfo<>(CustomerEvent.class);
    }
}
