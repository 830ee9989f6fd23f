package io.p13n.serde;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One cached single-object encoder per record class: building one parses nothing, but it is not
 * free.
 */
final class SingleObjectCodecs {
    private static final ConcurrentHashMap<Class<?>, BinaryMessageEncoder<SpecificRecordBase>>
            ENCODERS = new ConcurrentHashMap<>();

    private SingleObjectCodecs() {}

    static BinaryMessageEncoder<SpecificRecordBase> encoderFor(SpecificRecordBase record) {
        return ENCODERS.computeIfAbsent(
                record.getClass(),
                c -> new BinaryMessageEncoder<>(SpecificData.getForClass(c), record.getSchema()));
    }
}
