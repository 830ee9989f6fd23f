package io.p13n.serde;

import io.p13n.model.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a {@link DeadLetter} the way Kafka Connect does: the original key and value bytes
 * unchanged (so the record can be inspected with any tool and re-driven by copying it back), and
 * the context in headers.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    public static final String HEADER_TOPIC = "dlq.source.topic";
    public static final String HEADER_PARTITION = "dlq.source.partition";
    public static final String HEADER_OFFSET = "dlq.source.offset";
    public static final String HEADER_TIMESTAMP = "dlq.source.timestamp";
    public static final String HEADER_KIND = "dlq.kind";
    public static final String HEADER_REASON = "dlq.reason";

    private final String topic;

    public DeadLetterSerializer(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("dead-letter topic must be set");
        }
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        Headers headers = new RecordHeaders();
        headers.add(HEADER_TOPIC, utf8(letter.getTopic()));
        headers.add(HEADER_PARTITION, utf8(Integer.toString(letter.getPartition())));
        headers.add(HEADER_OFFSET, utf8(Long.toString(letter.getOffset())));
        headers.add(HEADER_TIMESTAMP, utf8(Long.toString(letter.getRecordTimestamp())));
        headers.add(HEADER_KIND, utf8(letter.getKind().name()));
        headers.add(HEADER_REASON, utf8(letter.getReason()));
        // Keep the source record's timestamp: when it arrived is what an operator looks for.
        Long recordTimestamp =
                letter.getRecordTimestamp() >= 0 ? letter.getRecordTimestamp() : null;
        return new ProducerRecord<>(
                topic,
                null,
                recordTimestamp,
                bytes(letter.getKey()),
                bytes(letter.getValue()),
                headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer view = buffer.duplicate();
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        return copy;
    }
}
