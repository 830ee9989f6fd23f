package io.p13n.cli.traffic;

import io.p13n.model.CatalogEvent;
import io.p13n.model.ClickEvent;
import io.p13n.model.CustomerAttributesEvent;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.OrderEvent;
import io.p13n.model.ReviewEvent;
import io.p13n.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where events go in Kafka and how they are keyed: clicks to one topic, orders to another, key =
 * customer id (so one customer's events stay in order on one partition), value = Avro single-object
 * encoding.
 *
 * <p>Records carry no explicit timestamp, so Kafka stamps them with the send time. Using the event
 * time instead would make replayed historical data (CDNOW is from 1997) older than the topic's
 * retention, and the broker would delete it right away; the engine reads event time from the value.
 *
 * @param clicks topic for {@link ClickEvent}s
 * @param orders topic for {@link OrderEvent}s
 * @param catalog topic for {@link CatalogEvent}s (keyed by product id)
 * @param identities topic for {@link IdentifyEvent}s (keyed by the anonymous id)
 * @param customerAttributes topic for {@link CustomerAttributesEvent}s (keyed by customer id)
 * @param reviews topic for {@link ReviewEvent}s (keyed by customer id)
 */
public record EventTopics(
        String clicks,
        String orders,
        String catalog,
        String identities,
        String customerAttributes,
        String reviews) {

    /** Reviews, if any, to the engine's default topic. */
    public EventTopics(
            String clicks,
            String orders,
            String catalog,
            String identities,
            String customerAttributes) {
        this(clicks, orders, catalog, identities, customerAttributes, "reviews");
    }

    /** Customer attributes, if any, to the engine's default topic. */
    public EventTopics(String clicks, String orders, String catalog, String identities) {
        this(clicks, orders, catalog, identities, "customer-attributes");
    }

    /** Catalog changes and identifications, if any, to the engine's default topics. */
    public EventTopics(String clicks, String orders) {
        this(clicks, orders, "catalog", "identities");
    }

    public ProducerRecord<String, byte[]> recordFor(SpecificRecordBase event) {
        if (event instanceof ReviewEvent review) {
            return new ProducerRecord<>(
                    reviews, review.getCustomerId(), AvroEventSerializer.encode(event));
        }
        if (event instanceof CustomerAttributesEvent attributes) {
            return new ProducerRecord<>(
                    customerAttributes,
                    attributes.getCustomerId(),
                    AvroEventSerializer.encode(event));
        }
        if (event instanceof IdentifyEvent identify) {
            // keyed by the anonymous id, where the engine merges it away
            return new ProducerRecord<>(
                    identities, identify.getAnonymousId(), AvroEventSerializer.encode(event));
        }
        if (event instanceof CatalogEvent change) {
            // keyed by product, as the product system would: one product's changes stay in order
            return new ProducerRecord<>(
                    catalog, change.getProductId(), AvroEventSerializer.encode(event));
        }
        String topic = event instanceof OrderEvent ? orders : clicks;
        return new ProducerRecord<>(
                topic, EventFields.customerId(event), AvroEventSerializer.encode(event));
    }

    /**
     * Bad records of the dead-letter demo all go to the clicks topic, where the engine reads them.
     */
    public ProducerRecord<String, byte[]> recordFor(BadRecord bad) {
        return new ProducerRecord<>(clicks, bad.key(), bad.value());
    }
}
