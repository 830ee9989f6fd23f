package io.p13n.serde;

import io.p13n.model.CatalogEvent;
import io.p13n.model.ClickEvent;
import io.p13n.model.ConsentEvent;
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.DeadLetter;
import io.p13n.model.DeadLetterKind;
import io.p13n.model.ErasureRequest;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.ReviewEvent;
import io.p13n.model.SourceRecord;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns every Kafka record of an event topic (clicks, orders, consents, identities, erasures,
 * catalog, reviews, customer attributes) into a {@link SourceRecord}: the decoded, validated event,
 * or a {@link DeadLetter} with the original bytes, coordinates and the reason. It never throws, so
 * a poison record cannot fail (and endlessly restart) the job.
 *
 * <p>Values are Avro single-object encoded. The header's fingerprint selects the writer schema
 * among the current one and those in {@link SchemaHistory}; Avro then resolves it to the current
 * reader schema, so events written by older producers still decode.
 */
public final class SourceRecordDeserializer
        implements KafkaRecordDeserializationSchema<SourceRecord> {
    private static final long serialVersionUID = 1L;

    /** Which topic this instance reads, and so which event type its values hold. */
    public enum EventKind {
        CLICKS,
        ORDERS,
        IDENTITIES,
        CONSENTS,
        ERASURES,
        CATALOG,
        REVIEWS,
        CUSTOMER_ATTRIBUTES
    }

    private final EventKind kind;
    private final EventValidator validator;

    // Built in open(), not serialized with the job graph: decoders hold thread-local buffers and a
    // schema cache, and would otherwise be Java-serialized into every task deployment.
    private transient BinaryMessageDecoder<ClickEvent> clickDecoder;
    private transient BinaryMessageDecoder<OrderEvent> orderDecoder;
    private transient BinaryMessageDecoder<ConsentEvent> consentDecoder;
    private transient BinaryMessageDecoder<ErasureRequest> erasureDecoder;
    private transient BinaryMessageDecoder<IdentifyEvent> identifyDecoder;
    private transient BinaryMessageDecoder<CatalogEvent> catalogDecoder;
    private transient BinaryMessageDecoder<ReviewEvent> reviewDecoder;
    private transient BinaryMessageDecoder<CustomerAttributesEvent> attributesDecoder;

    public SourceRecordDeserializer(EventKind kind, long maxFutureSkewMillis) {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        this.kind = kind;
        this.validator = new EventValidator(maxFutureSkewMillis);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        ensureDecoders();
    }

    private void ensureDecoders() {
        if (kind == EventKind.IDENTITIES) {
            if (identifyDecoder == null) {
                identifyDecoder =
                        IdentifyEvent.createDecoder(historyOf(IdentifyEvent.getClassSchema()));
                SchemaHistory.writerSchemasOf(IdentifyEvent.getClassSchema().getFullName())
                        .forEach(identifyDecoder::addSchema);
            }
            return;
        }
        if (kind == EventKind.REVIEWS) {
            if (reviewDecoder == null) {
                reviewDecoder = ReviewEvent.createDecoder(historyOf(ReviewEvent.getClassSchema()));
                SchemaHistory.writerSchemasOf(ReviewEvent.getClassSchema().getFullName())
                        .forEach(reviewDecoder::addSchema);
            }
            return;
        }
        if (kind == EventKind.CUSTOMER_ATTRIBUTES) {
            if (attributesDecoder == null) {
                attributesDecoder =
                        CustomerAttributesEvent.createDecoder(
                                historyOf(CustomerAttributesEvent.getClassSchema()));
                SchemaHistory.writerSchemasOf(
                                CustomerAttributesEvent.getClassSchema().getFullName())
                        .forEach(attributesDecoder::addSchema);
            }
            return;
        }
        if (clickDecoder != null
                || orderDecoder != null
                || consentDecoder != null
                || erasureDecoder != null
                || catalogDecoder != null) {
            return;
        }
        if (kind == EventKind.CATALOG) {
            catalogDecoder = CatalogEvent.createDecoder(historyOf(CatalogEvent.getClassSchema()));
            SchemaHistory.writerSchemasOf(CatalogEvent.getClassSchema().getFullName())
                    .forEach(catalogDecoder::addSchema);
        } else if (kind == EventKind.ERASURES) {
            erasureDecoder =
                    ErasureRequest.createDecoder(historyOf(ErasureRequest.getClassSchema()));
            SchemaHistory.writerSchemasOf(ErasureRequest.getClassSchema().getFullName())
                    .forEach(erasureDecoder::addSchema);
        } else if (kind == EventKind.CONSENTS) {
            consentDecoder = ConsentEvent.createDecoder(historyOf(ConsentEvent.getClassSchema()));
            SchemaHistory.writerSchemasOf(ConsentEvent.getClassSchema().getFullName())
                    .forEach(consentDecoder::addSchema);
        } else if (kind == EventKind.CLICKS) {
            clickDecoder = ClickEvent.createDecoder(historyOf(ClickEvent.getClassSchema()));
            SchemaHistory.writerSchemasOf(ClickEvent.getClassSchema().getFullName())
                    .forEach(clickDecoder::addSchema);
        } else {
            orderDecoder = OrderEvent.createDecoder(historyOf(OrderEvent.getClassSchema()));
            SchemaHistory.writerSchemasOf(OrderEvent.getClassSchema().getFullName())
                    .forEach(orderDecoder::addSchema);
        }
    }

    private static SchemaStore historyOf(Schema current) {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        cache.addSchema(current);
        return cache;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        out.collect(toSourceRecord(record, System.currentTimeMillis()));
    }

    /** The outcome for one record, judged against {@code nowMillis} (visible for tests). */
    public SourceRecord toSourceRecord(ConsumerRecord<byte[], byte[]> record, long nowMillis) {
        ensureDecoders();
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            return deadLetter(
                    record, DeadLetterKind.UNDECODABLE, "empty value (tombstone or null)");
        }
        Object event;
        try {
            event =
                    switch (kind) {
                        case CLICKS -> clickDecoder.decode(value);
                        case ORDERS -> orderDecoder.decode(value);
                        case CONSENTS -> consentDecoder.decode(value);
                        case ERASURES -> erasureDecoder.decode(value);
                        case IDENTITIES -> identifyDecoder.decode(value);
                        case CATALOG -> catalogDecoder.decode(value);
                        case REVIEWS -> reviewDecoder.decode(value);
                        case CUSTOMER_ATTRIBUTES -> attributesDecoder.decode(value);
                    };
        } catch (MissingSchemaException e) {
            return deadLetter(
                    record,
                    DeadLetterKind.UNKNOWN_SCHEMA,
                    "unknown schema fingerprint: " + e.getMessage());
        } catch (BadHeaderException e) {
            return deadLetter(
                    record,
                    DeadLetterKind.UNDECODABLE,
                    "not Avro single-object encoded: " + e.getMessage());
        } catch (java.io.IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException e) {
            return deadLetter(
                    record, DeadLetterKind.UNDECODABLE, "cannot decode " + kind + " value: " + e);
        } catch (RuntimeException e) {
            // Avro reports some corrupt bodies with unchecked JDK exceptions; none of them may stop
            // the job.
            return deadLetter(
                    record, DeadLetterKind.UNDECODABLE, "cannot decode " + kind + " value: " + e);
        }
        String problem;
        if (event instanceof ClickEvent click) {
            problem = validator.problemWith(click, nowMillis);
        } else if (event instanceof OrderEvent order) {
            problem = validator.problemWith(order, nowMillis);
        } else if (event instanceof ConsentEvent consent) {
            problem = validator.problemWith(consent, nowMillis);
        } else if (event instanceof IdentifyEvent identify) {
            problem = validator.problemWith(identify, nowMillis);
        } else if (event instanceof CatalogEvent change) {
            problem = validator.problemWith(change, nowMillis);
        } else if (event instanceof ReviewEvent review) {
            problem = validator.problemWith(review, nowMillis);
        } else if (event instanceof CustomerAttributesEvent attributes) {
            problem = validator.problemWith(attributes, nowMillis);
        } else {
            problem = validator.problemWith((ErasureRequest) event);
        }
        if (problem != null) {
            return deadLetter(record, DeadLetterKind.INVALID, problem);
        }
        return new SourceRecord(event);
    }

    private static SourceRecord deadLetter(
            ConsumerRecord<byte[], byte[]> record, DeadLetterKind kind, String reason) {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setTopic(record.topic())
                        .setPartition(record.partition())
                        .setOffset(record.offset())
                        .setRecordTimestamp(record.timestamp())
                        .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                        .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                        .setKind(kind)
                        .setReason(reason)
                        .build();
        return new SourceRecord(letter);
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return new AvroTypeInfo<>(SourceRecord.class);
    }
}
