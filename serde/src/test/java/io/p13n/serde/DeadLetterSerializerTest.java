package io.p13n.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.DeadLetter;
import io.p13n.model.DeadLetterKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterSerializerTest {

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepOriginalBytesAndPutContextInHeaders() {
        byte[] value = {1, 2, 3};
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setTopic("orders")
                        .setPartition(3)
                        .setOffset(99)
                        .setRecordTimestamp(1234)
                        .setKey(ByteBuffer.wrap("c1".getBytes(StandardCharsets.UTF_8)))
                        .setValue(ByteBuffer.wrap(value))
                        .setKind(DeadLetterKind.INVALID)
                        .setReason("missing customerId")
                        .build();

        ProducerRecord<byte[], byte[]> record =
                new DeadLetterSerializer("dlq").serialize(letter, null, null);

        assertThat(record.topic()).isEqualTo("dlq");
        assertThat(record.value()).isEqualTo(value);
        assertThat(record.key()).isEqualTo("c1".getBytes(StandardCharsets.UTF_8));
        assertThat(record.timestamp()).isEqualTo(1234L);
        assertThat(header(record, DeadLetterSerializer.HEADER_TOPIC)).isEqualTo("orders");
        assertThat(header(record, DeadLetterSerializer.HEADER_PARTITION)).isEqualTo("3");
        assertThat(header(record, DeadLetterSerializer.HEADER_OFFSET)).isEqualTo("99");
        assertThat(header(record, DeadLetterSerializer.HEADER_KIND)).isEqualTo("INVALID");
        assertThat(header(record, DeadLetterSerializer.HEADER_REASON))
                .isEqualTo("missing customerId");
    }
}
