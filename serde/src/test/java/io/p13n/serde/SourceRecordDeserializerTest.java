package io.p13n.serde;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.DeadLetter;
import io.p13n.model.DeadLetterKind;
import io.p13n.model.ErasureRequest;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderLine;
import io.p13n.model.SourceRecord;
import io.p13n.model.testing.TestEvents;
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

class SourceRecordDeserializerTest {
    private static final long NOW = T0.toEpochMilli();
    private static final long FIVE_MINUTES = 300_000;

    private final SourceRecordDeserializer clicks =
            new SourceRecordDeserializer(EventKind.CLICKS, FIVE_MINUTES);
    private final SourceRecordDeserializer orders =
            new SourceRecordDeserializer(EventKind.ORDERS, FIVE_MINUTES);

    private static ConsumerRecord<byte[], byte[]> record(byte[] value, long offset) {
        return new ConsumerRecord<>(
                "clicks", 1, offset, "c1".getBytes(StandardCharsets.UTF_8), value);
    }

    private static DeadLetter deadLetterOf(SourceRecord result) {
        assertThat(result.getPayload()).isInstanceOf(DeadLetter.class);
        return (DeadLetter) result.getPayload();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void shouldDecodeAValidClick() {
        ClickEvent click = TestEvents.productView("c1", T0);

        SourceRecord result =
                clicks.toSourceRecord(record(AvroEventSerializer.encode(click), 7), NOW);

        assertThat(result.getPayload()).isEqualTo(click);
    }

    @Test
    void shouldDecodeAValidOrder() {
        OrderEvent order = TestEvents.placed("c1", T0, 42.5);

        SourceRecord result =
                orders.toSourceRecord(record(AvroEventSerializer.encode(order), 7), NOW);

        assertThat(result.getPayload()).isEqualTo(order);
    }

    @Test
    void shouldRouteGarbageToDeadLetterWithBytesAndCoordinates() {
        byte[] garbage = "this is not avro".getBytes(StandardCharsets.UTF_8);

        DeadLetter letter = deadLetterOf(clicks.toSourceRecord(record(garbage, 42), NOW));

        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.UNDECODABLE);
        assertThat(letter.getTopic()).isEqualTo("clicks");
        assertThat(letter.getPartition()).isEqualTo(1);
        assertThat(letter.getOffset()).isEqualTo(42);
        assertThat(bytes(letter.getValue())).isEqualTo(garbage);
        assertThat(bytes(letter.getKey())).isEqualTo("c1".getBytes(StandardCharsets.UTF_8));
        assertThat(letter.getReason()).contains("single-object");
    }

    @Test
    void shouldRouteATruncatedBodyToDeadLetter() {
        byte[] valid = AvroEventSerializer.encode(TestEvents.productView("c1", T0));
        byte[] truncated = java.util.Arrays.copyOf(valid, 14);

        DeadLetter letter = deadLetterOf(clicks.toSourceRecord(record(truncated, 3), NOW));

        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.UNDECODABLE);
    }

    @Test
    void shouldRouteAnUnknownFingerprintToDeadLetter() {
        byte[] valid = AvroEventSerializer.encode(TestEvents.productView("c1", T0));
        // Bytes 2..9 are the writer schema's fingerprint; flip them all.
        for (int i = 2; i < 10; i++) {
            valid[i] = (byte) ~valid[i];
        }

        DeadLetter letter = deadLetterOf(clicks.toSourceRecord(record(valid, 5), NOW));

        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.UNKNOWN_SCHEMA);
        assertThat(letter.getOffset()).isEqualTo(5);
    }

    @Test
    void shouldRouteAnEmptyValueToDeadLetter() {
        assertThat(deadLetterOf(clicks.toSourceRecord(record(null, 1), NOW)).getKind())
                .isEqualTo(DeadLetterKind.UNDECODABLE);
        assertThat(deadLetterOf(clicks.toSourceRecord(record(new byte[0], 1), NOW)).getKind())
                .isEqualTo(DeadLetterKind.UNDECODABLE);
    }

    @Test
    void shouldRejectAClickWithoutCustomer() {
        ClickEvent click =
                TestEvents.click("c1", ClickType.PRODUCT_VIEW, T0).setCustomerId(" ").build();

        DeadLetter letter =
                deadLetterOf(
                        clicks.toSourceRecord(record(AvroEventSerializer.encode(click), 1), NOW));

        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.INVALID);
        assertThat(letter.getReason()).isEqualTo("missing customerId");
    }

    @Test
    void shouldRejectANegativePrice() {
        ClickEvent click = TestEvents.click("c1", ClickType.ADD_TO_CART, T0).setPrice(-1.0).build();

        DeadLetter letter =
                deadLetterOf(
                        clicks.toSourceRecord(record(AvroEventSerializer.encode(click), 1), NOW));

        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.INVALID);
        assertThat(letter.getReason()).contains("price");
    }

    @Test
    void shouldRejectAnOrderLineWithNegativeUnitPrice() {
        OrderEvent order =
                TestEvents.order("c1", io.p13n.model.OrderStatus.PLACED, T0, 10)
                        .setLines(
                                List.of(
                                        OrderLine.newBuilder()
                                                .setProductId("p")
                                                .setQuantity(1)
                                                .setUnitPrice(-3)
                                                .build()))
                        .build();

        DeadLetter letter =
                deadLetterOf(
                        orders.toSourceRecord(record(AvroEventSerializer.encode(order), 1), NOW));

        assertThat(letter.getReason()).contains("unitPrice");
    }

    @Test
    void shouldRejectATimestampFarInTheFutureButAcceptSmallClockSkew() {
        ClickEvent farFuture =
                TestEvents.click("c1", ClickType.PAGE_VIEW, T0.plusSeconds(3600)).build();
        ClickEvent slightlyAhead =
                TestEvents.click("c1", ClickType.PAGE_VIEW, T0.plusSeconds(60)).build();

        DeadLetter letter =
                deadLetterOf(
                        clicks.toSourceRecord(
                                record(AvroEventSerializer.encode(farFuture), 1), NOW));
        SourceRecord ok =
                clicks.toSourceRecord(record(AvroEventSerializer.encode(slightlyAhead), 2), NOW);

        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.INVALID);
        assertThat(letter.getReason()).contains("in the future");
        assertThat(ok.getPayload()).isEqualTo(slightlyAhead);
    }

    @Test
    void shouldDecodeAnEventWrittenWithAnOlderSchemaListedInTheHistory() throws Exception {
        Schema v0;
        try (InputStream in =
                getClass().getResourceAsStream("/io/p13n/model/history/ClickEvent-v0.avsc")) {
            v0 = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericData.Record(v0);
        old.put("eventId", "e-old");
        old.put("customerId", "c9");
        old.put("sessionId", "s1");
        old.put("type", new GenericData.EnumSymbol(v0.getField("type").schema(), "ADD_TO_CART"));
        old.put("productId", "p1");
        old.put("categoryId", null);
        old.put("price", 5.0);
        old.put("eventTime", T0.toEpochMilli());
        byte[] encoded =
                bytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old));

        SourceRecord result = clicks.toSourceRecord(record(encoded, 1), NOW);

        assertThat(result.getPayload()).isInstanceOf(ClickEvent.class);
        ClickEvent click = (ClickEvent) result.getPayload();
        assertThat(click.getCustomerId()).isEqualTo("c9");
        assertThat(click.getType()).isEqualTo(ClickType.ADD_TO_CART);
        assertThat(click.getEventTime()).isEqualTo(T0);
        // Fields the old writer did not have take their defaults.
        assertThat(click.getChannel()).isEqualTo(Channel.UNKNOWN);
        assertThat(click.getQuantity()).isNull();
    }

    @Test
    void shouldDecodeAConsentAndRejectOnesThatDecideNothing() {
        SourceRecordDeserializer consents =
                new SourceRecordDeserializer(EventKind.CONSENTS, FIVE_MINUTES);
        io.p13n.model.ConsentEvent valid =
                TestEvents.consent(
                        "c1",
                        io.p13n.model.ConsentPurpose.MARKETING,
                        io.p13n.model.MessageChannel.EMAIL,
                        true,
                        T0);
        assertThat(
                        consents.toSourceRecord(record(AvroEventSerializer.encode(valid), 1), NOW)
                                .getPayload())
                .isEqualTo(valid);

        var noPurpose =
                io.p13n.model.ConsentEvent.newBuilder(valid)
                        .setPurpose(io.p13n.model.ConsentPurpose.UNKNOWN)
                        .build();
        var personalizationWithChannel =
                io.p13n.model.ConsentEvent.newBuilder(valid)
                        .setPurpose(io.p13n.model.ConsentPurpose.PERSONALIZATION)
                        .build();
        var expiresBefore =
                io.p13n.model.ConsentEvent.newBuilder(valid)
                        .setExpiresAt(T0.minusSeconds(1))
                        .build();
        var noCustomer = io.p13n.model.ConsentEvent.newBuilder(valid).setCustomerId("").build();
        for (var invalid :
                List.of(noPurpose, personalizationWithChannel, expiresBefore, noCustomer)) {
            DeadLetter letter =
                    deadLetterOf(
                            consents.toSourceRecord(
                                    record(AvroEventSerializer.encode(invalid), 2), NOW));
            assertThat(letter.getKind()).as(invalid.toString()).isEqualTo(DeadLetterKind.INVALID);
        }
        assertThat(
                        deadLetterOf(
                                        consents.toSourceRecord(
                                                record(AvroEventSerializer.encode(noCustomer), 3),
                                                NOW))
                                .getReason())
                .isEqualTo("missing customerId");
    }

    @Test
    void shouldDecodeAnErasureRequestAndRefuseOneWithoutACustomer() {
        SourceRecordDeserializer erasures =
                new SourceRecordDeserializer(EventKind.ERASURES, FIVE_MINUTES);
        ErasureRequest request = new ErasureRequest("req-1", "c1", "portal", T0);
        assertThat(
                        erasures.toSourceRecord(record(AvroEventSerializer.encode(request), 1), NOW)
                                .getPayload())
                .isEqualTo(request);

        request.setCustomerId(" ");
        DeadLetter letter =
                deadLetterOf(
                        erasures.toSourceRecord(
                                record(AvroEventSerializer.encode(request), 2), NOW));
        assertThat(letter.getReason()).isEqualTo("missing customerId");
    }

    @Test
    void shouldDecodeACatalogChangeAndRefuseANegativePrice() {
        SourceRecordDeserializer catalog =
                new SourceRecordDeserializer(EventKind.CATALOG, FIVE_MINUTES);
        io.p13n.model.CatalogEvent change =
                io.p13n.model.CatalogEvent.newBuilder()
                        .setEventId("e1")
                        .setProductId("P1")
                        .setPrice(9.99)
                        .setStock(0)
                        .setEventTime(T0)
                        .build();
        assertThat(
                        catalog.toSourceRecord(record(AvroEventSerializer.encode(change), 1), NOW)
                                .getPayload())
                .isEqualTo(change);

        change.setPrice(-1.0);
        DeadLetter letter =
                deadLetterOf(
                        catalog.toSourceRecord(record(AvroEventSerializer.encode(change), 2), NOW));
        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.INVALID);
        assertThat(letter.getReason()).isEqualTo("price must be a non-negative number, was -1.0");
        // a click is no catalog change: its bytes carry another schema's fingerprint
        assertThat(
                        deadLetterOf(
                                        catalog.toSourceRecord(
                                                record(
                                                        AvroEventSerializer.encode(
                                                                TestEvents.productView("c1", T0)),
                                                        3),
                                                NOW))
                                .getKind())
                .isEqualTo(DeadLetterKind.UNKNOWN_SCHEMA);
    }

    @Test
    void shouldDecodeAReviewAndRefuseRatingsOutsideOneToFiveStars() {
        SourceRecordDeserializer reviews =
                new SourceRecordDeserializer(EventKind.REVIEWS, FIVE_MINUTES);
        io.p13n.model.ReviewEvent review =
                io.p13n.model.ReviewEvent.newBuilder()
                        .setEventId("r1")
                        .setCustomerId("c1")
                        .setProductId("P1")
                        .setRating(1)
                        .setTextLength(120)
                        .setEventTime(T0)
                        .build();
        assertThat(
                        reviews.toSourceRecord(record(AvroEventSerializer.encode(review), 1), NOW)
                                .getPayload())
                .isEqualTo(review);

        for (int stars : new int[] {0, 6, -1}) {
            review.setRating(stars);
            DeadLetter letter =
                    deadLetterOf(
                            reviews.toSourceRecord(
                                    record(AvroEventSerializer.encode(review), 2), NOW));
            assertThat(letter.getKind()).isEqualTo(DeadLetterKind.INVALID);
            assertThat(letter.getReason()).isEqualTo("rating must be 1 to 5 stars, was " + stars);
        }
        review.setRating(4);
        review.setTextLength(-3);
        assertThat(
                        deadLetterOf(
                                        reviews.toSourceRecord(
                                                record(AvroEventSerializer.encode(review), 3), NOW))
                                .getReason())
                .isEqualTo("textLength must not be negative, was -3");
    }

    @Test
    void shouldDecodeCustomerAttributesAndRefuseOnesThatDoNotParse() {
        SourceRecordDeserializer attributes =
                new SourceRecordDeserializer(EventKind.CUSTOMER_ATTRIBUTES, FIVE_MINUTES);
        io.p13n.model.CustomerAttributesEvent stated =
                io.p13n.model.CustomerAttributesEvent.newBuilder()
                        .setEventId("a1")
                        .setCustomerId("c1")
                        .setBirthday("1992-02-29")
                        .setTimeZone("Europe/Berlin")
                        .setSignupDate("2024-05-01")
                        .setPreferredChannel(io.p13n.model.MessageChannel.PUSH)
                        .setEventTime(T0)
                        .build();
        assertThat(
                        attributes
                                .toSourceRecord(record(AvroEventSerializer.encode(stated), 1), NOW)
                                .getPayload())
                .isEqualTo(stated);
        // a birthday without a year, and nothing else stated, is fine too
        var partial =
                io.p13n.model.CustomerAttributesEvent.newBuilder(stated)
                        .setBirthday("12-24")
                        .setTimeZone(null)
                        .setSignupDate(null)
                        .setPreferredChannel(null)
                        .build();
        assertThat(
                        attributes
                                .toSourceRecord(record(AvroEventSerializer.encode(partial), 2), NOW)
                                .getPayload())
                .isEqualTo(partial);

        assertThat(
                        reasonFor(
                                attributes,
                                io.p13n.model.CustomerAttributesEvent.newBuilder(stated)
                                        .setBirthday("31-12")
                                        .build()))
                .isEqualTo("birthday must be MM-DD or YYYY-MM-DD, was '31-12'");
        assertThat(
                        reasonFor(
                                attributes,
                                io.p13n.model.CustomerAttributesEvent.newBuilder(stated)
                                        .setBirthday("02-30")
                                        .build()))
                .isEqualTo("birthday must be MM-DD or YYYY-MM-DD, was '02-30'");
        assertThat(
                        reasonFor(
                                attributes,
                                io.p13n.model.CustomerAttributesEvent.newBuilder(stated)
                                        .setTimeZone("Mars/Olympus")
                                        .build()))
                .startsWith("timeZone must be an IANA time zone id");
        assertThat(
                        reasonFor(
                                attributes,
                                io.p13n.model.CustomerAttributesEvent.newBuilder(stated)
                                        .setSignupDate("2024/05/01")
                                        .build()))
                .isEqualTo("signupDate must be YYYY-MM-DD, was '2024/05/01'");
        assertThat(
                        reasonFor(
                                attributes,
                                io.p13n.model.CustomerAttributesEvent.newBuilder(stated)
                                        .setSignupDate("2999-01-01")
                                        .build()))
                .isEqualTo("signupDate 2999-01-01 is after the event's time");
    }

    private static String reasonFor(
            SourceRecordDeserializer deserializer,
            org.apache.avro.specific.SpecificRecordBase event) {
        DeadLetter letter =
                deadLetterOf(
                        deserializer.toSourceRecord(
                                record(AvroEventSerializer.encode(event), 9), NOW));
        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.INVALID);
        return letter.getReason();
    }

    @Test
    void shouldRouteAnOverlongIdToDeadLetterSoNoKeyIsUnbounded() {
        ClickEvent click = TestEvents.productView("c".repeat(200_000), T0);

        DeadLetter letter =
                deadLetterOf(
                        clicks.toSourceRecord(record(AvroEventSerializer.encode(click), 9), NOW));

        assertThat(letter.getKind()).isEqualTo(DeadLetterKind.INVALID);
        assertThat(letter.getReason()).startsWith("id of 200000 characters (at most 256)");
        click.setCustomerId("c".repeat(EventValidator.MAX_ID_LENGTH));
        assertThat(
                        clicks.toSourceRecord(record(AvroEventSerializer.encode(click), 10), NOW)
                                .getPayload())
                .isInstanceOf(ClickEvent.class);
    }
}
