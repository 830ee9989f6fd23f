package io.p13n.cli.traffic;

import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.OrderEvent;
import io.p13n.serde.AvroEventSerializer;
import java.util.Random;
import java.util.Set;
import org.apache.avro.SchemaNormalization;

/**
 * Makes the {@link BadRecord}s of the dead-letter demo. It has its own random stream and id
 * namespace, so turning bad records on or off does not change the good traffic of a seed.
 */
final class BadRecordFactory {
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    /**
     * Fingerprints the engine can decode; an "unknown schema" record must not hit one by chance.
     */
    private static final Set<Long> KNOWN_FINGERPRINTS =
            Set.of(
                    SchemaNormalization.parsingFingerprint64(ClickEvent.getClassSchema()),
                    SchemaNormalization.parsingFingerprint64(OrderEvent.getClassSchema()));

    private final Random random;
    private final CustomerPopulation customers;
    private final ProductCatalog catalog;
    private final EventStamper stamper;

    BadRecordFactory(
            Random random,
            CustomerPopulation customers,
            ProductCatalog catalog,
            EventStamper stamper) {
        this.random = random;
        this.customers = customers;
        this.catalog = catalog;
        this.stamper = stamper;
    }

    /** A bad record of a kind chosen uniformly at random. */
    BadRecord next() {
        BadRecord.Kind[] kinds = BadRecord.Kind.values();
        return create(kinds[random.nextInt(kinds.length)]);
    }

    BadRecord create(BadRecord.Kind kind) {
        String customerId = customers.id(random.nextInt(customers.size()));
        return switch (kind) {
            case GARBAGE -> new BadRecord(kind, customerId, garbage());
            case UNKNOWN_SCHEMA -> new BadRecord(kind, customerId, unknownSchema());
            case INVALID_EVENT -> invalidEvent(customerId);
        };
    }

    private byte[] garbage() {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        if (bytes[0] == MARKER_0) {
            // Never start like single-object encoding: garbage must fail on the header, not later.
            bytes[0] = 0x00;
        }
        return bytes;
    }

    private byte[] unknownSchema() {
        byte[] bytes = new byte[10 + 4 + random.nextInt(37)];
        random.nextBytes(bytes);
        bytes[0] = MARKER_0;
        bytes[1] = MARKER_1;
        while (KNOWN_FINGERPRINTS.contains(fingerprintOf(bytes))) {
            bytes[2]++;
        }
        return bytes;
    }

    private BadRecord invalidEvent(String customerId) {
        Product product = catalog.popular(random);
        boolean emptyCustomer = random.nextBoolean();
        ClickEvent event =
                stamper.click(
                                emptyCustomer ? "" : customerId,
                                "",
                                ClickType.PRODUCT_VIEW,
                                random.nextBoolean() ? Channel.WEB : Channel.APP)
                        .setProductId(product.id())
                        .setCategoryId(product.categoryId())
                        .setPrice(emptyCustomer ? product.price() : -product.price())
                        .build();
        return new BadRecord(
                BadRecord.Kind.INVALID_EVENT,
                event.getCustomerId(),
                AvroEventSerializer.encode(event));
    }

    /**
     * The fingerprint field of single-object encoding: 8 bytes, little-endian, after the marker.
     */
    static long fingerprintOf(byte[] singleObject) {
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (singleObject[i] & 0xFF);
        }
        return fingerprint;
    }
}
