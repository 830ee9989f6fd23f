package io.p13n.serde;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.DeadLetter;
import io.p13n.model.DeadLetterKind;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.SourceRecord;
import io.p13n.serde.SourceRecordDeserializer.EventKind;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Identifications from the identities topic, and the events written before the STORE channel
 * existed.
 */
class IdentifyEventDecodingTest {
    private static final long NOW = T0.toEpochMilli();

    private final SourceRecordDeserializer identities =
            new SourceRecordDeserializer(EventKind.IDENTITIES, 300_000);

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 3, "anon-1".getBytes(StandardCharsets.UTF_8), value);
    }

    private static IdentifyEvent.Builder identify() {
        return IdentifyEvent.newBuilder()
                .setEventId("id-1")
                .setAnonymousId("anon-1")
                .setCustomerId("cust-1")
                .setSource("login")
                .setChannel(Channel.STORE)
                .setEventTime(T0);
    }

    private DeadLetter deadLetterOf(IdentifyEvent event) {
        SourceRecord result =
                identities.toSourceRecord(
                        record("identities", AvroEventSerializer.encode(event)), NOW);
        assertThat(result.getPayload()).isInstanceOf(DeadLetter.class);
        return (DeadLetter) result.getPayload();
    }

    @Test
    void shouldDecodeAValidIdentification() {
        IdentifyEvent event = identify().build();

        SourceRecord result =
                identities.toSourceRecord(
                        record("identities", AvroEventSerializer.encode(event)), NOW);

        assertThat(result.getPayload()).isEqualTo(event);
    }

    @Test
    void shouldDeadLetterAnIdentificationOfAnIdWithItself() {
        DeadLetter letter = deadLetterOf(identify().setCustomerId("anon-1").build());

        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.INVALID);
        assertThat(letter.getReason()).isEqualTo("anonymousId and customerId are the same id");
    }

    @Test
    void shouldDeadLetterAnIdentificationWithoutItsIds() {
        assertThat(deadLetterOf(identify().setCustomerId(" ").build()).getReason())
                .isEqualTo("missing customerId");
        assertThat(deadLetterOf(identify().setAnonymousId("").build()).getReason())
                .isEqualTo("missing anonymousId");
        assertThat(deadLetterOf(identify().setEventId("").build()).getReason())
                .isEqualTo("missing eventId");
    }

    @Test
    void shouldDeadLetterAnIdentificationFromTheFuture() {
        DeadLetter letter = deadLetterOf(identify().setEventTime(T0.plusSeconds(3600)).build());

        assertThat(letter.getReason()).contains("in the future");
    }

    @Test
    void shouldDeadLetterAClickSentToTheIdentitiesTopic() {
        SourceRecord result =
                identities.toSourceRecord(
                        record(
                                "identities",
                                AvroEventSerializer.encode(
                                        io.p13n.model.testing.TestEvents.productView("c1", T0))),
                        NOW);

        assertThat(result.getPayload()).isInstanceOf(DeadLetter.class);
        assertThat(((DeadLetter) result.getPayload()).getKind())
                .isEqualTo(DeadLetterKind.UNKNOWN_SCHEMA);
    }

    @Test
    void shouldStillDecodeClicksAndOrdersWrittenBeforeTheStoreChannel() throws Exception {
        for (String name : List.of("ClickEvent", "OrderEvent")) {
            Schema v1;
            try (InputStream in =
                    getClass().getResourceAsStream("/io/p13n/model/history/" + name + "-v1.avsc")) {
                v1 = new Schema.Parser().parse(in);
            }
            assertThat(v1.toString()).doesNotContain("STORE");
            GenericRecord old = new GenericData.Record(v1);
            old.put("customerId", "c9");
            old.put("channel", new GenericData.EnumSymbol(v1.getField("channel").schema(), "APP"));
            old.put("eventTime", T0.toEpochMilli());
            if (name.equals("ClickEvent")) {
                old.put("eventId", "e-old");
                old.put("sessionId", "s1");
                old.put(
                        "type",
                        new GenericData.EnumSymbol(v1.getField("type").schema(), "PAGE_VIEW"));
            } else {
                old.put("orderId", "o-old");
                old.put("lines", List.of());
                old.put("total", 10.0);
                old.put("currency", "EUR");
                old.put(
                        "status",
                        new GenericData.EnumSymbol(v1.getField("status").schema(), "PLACED"));
            }
            for (Schema.Field field : v1.getFields()) {
                if (old.get(field.name()) == null && field.hasDefaultValue()) {
                    old.put(field.name(), GenericData.get().getDefaultValue(field));
                }
            }
            ByteBuffer encoded =
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            SourceRecordDeserializer reader =
                    new SourceRecordDeserializer(
                            name.equals("ClickEvent") ? EventKind.CLICKS : EventKind.ORDERS,
                            300_000);

            Object payload = reader.toSourceRecord(record(name, bytes), NOW).getPayload();

            assertThat(payload)
                    .as(name)
                    .isInstanceOf(name.equals("ClickEvent") ? ClickEvent.class : OrderEvent.class);
            Channel channel =
                    payload instanceof ClickEvent click
                            ? click.getChannel()
                            : ((OrderEvent) payload).getChannel();
            assertThat(channel).as(name).isEqualTo(Channel.APP);
        }
    }
}
