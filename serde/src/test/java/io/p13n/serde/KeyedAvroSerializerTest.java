package io.p13n.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.Segment;
import io.p13n.model.SegmentChange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KeyedAvroSerializerTest {

    @Test
    void shouldKeyByCustomerAndLeaveTheTimestampToTheProducerNotTheEventTime() throws Exception {
        SegmentChange change =
                new SegmentChange(
                        "c1:1:NEW>ACTIVE",
                        "c1",
                        Segment.NEW,
                        Segment.ACTIVE,
                        Instant.ofEpochMilli(1_000),
                        List.of());
        long monthOld = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

        ProducerRecord<byte[], byte[]> record =
                new KeyedAvroSerializer<SegmentChange>(
                                "segment-changes", SegmentChange::getCustomerId)
                        .serialize(change, null, monthOld);

        assertThat(record.topic()).isEqualTo("segment-changes");
        assertThat(record.key()).isEqualTo("c1".getBytes(StandardCharsets.UTF_8));
        assertThat(SegmentChange.getDecoder().decode(record.value())).isEqualTo(change);
        // An event-time timestamp would put the record at the mercy of the topic's retention at
        // once.
        assertThat(record.timestamp()).isNull();
    }

    @Test
    void shouldWriteATombstoneAsTheKeyWithANullValue() throws Exception {
        SegmentChange tombstone =
                new SegmentChange(
                        "c1:erased",
                        "c1",
                        Segment.UNKNOWN,
                        Segment.UNKNOWN,
                        Instant.EPOCH,
                        List.of());
        KeyedAvroSerializer<SegmentChange> serializer =
                new KeyedAvroSerializer<>(
                        "segment-changes",
                        SegmentChange::getCustomerId,
                        c -> c.getChangeId().endsWith(":erased"));

        ProducerRecord<byte[], byte[]> record = serializer.serialize(tombstone, null, 0L);

        assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("c1");
        assertThat(record.value()).isNull();
    }
}
