package io.p13n.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer for the engine's events: Avro single-object encoding (a two-byte marker,
 * the writer schema's 64-bit CRC fingerprint, then the binary body), so a reader can tell which
 * schema wrote a record and resolve it against its own. Use it for any generated record in {@code
 * io.p13n.model}.
 */
public final class AvroEventSerializer<T extends SpecificRecordBase> implements Serializer<T> {

    @Override
    public byte[] serialize(String topic, T record) {
        return record == null ? null : encode(record);
    }

    /** The single-object encoding of one record. */
    public static byte[] encode(SpecificRecordBase record) {
        try {
            ByteBuffer buffer = SingleObjectCodecs.encoderFor(record).encode(record);
            return buffer.hasArray()
                            && buffer.arrayOffset() == 0
                            && buffer.remaining() == buffer.array().length
                    ? buffer.array()
                    : Arrays.copyOfRange(
                            buffer.array(),
                            buffer.arrayOffset() + buffer.position(),
                            buffer.arrayOffset() + buffer.limit());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + record.getSchema().getFullName(), e);
        }
    }
}
