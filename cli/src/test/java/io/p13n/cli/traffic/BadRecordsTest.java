package io.p13n.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.model.ClickEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The dead-letter demo's bad records, checked by decoding them the way the engine does. */
class BadRecordsTest {
    private static final Clock FIXED =
            Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void garbageIsNotSingleObjectEncoding() {
        StorefrontSimulator simulator = new StorefrontSimulator(3, 100, 100, 5, FIXED);
        for (int i = 0; i < 200; i++) {
            byte[] value = simulator.badRecord(BadRecord.Kind.GARBAGE).value();
            assertThat(value.length >= 2 && value[0] == (byte) 0xC3 && value[1] == 0x01).isFalse();
            assertThatThrownBy(() -> ClickEvent.getDecoder().decode(value))
                    .isNotInstanceOf(MissingSchemaException.class);
        }
    }

    @Test
    void unknownSchemaHasTheHeaderButAFingerprintNoReaderKnows() {
        StorefrontSimulator simulator = new StorefrontSimulator(3, 100, 100, 5, FIXED);
        for (int i = 0; i < 200; i++) {
            byte[] value = simulator.badRecord(BadRecord.Kind.UNKNOWN_SCHEMA).value();
            assertThat(value).startsWith((byte) 0xC3, (byte) 0x01).hasSizeGreaterThan(10);
            assertThatThrownBy(() -> ClickEvent.getDecoder().decode(value))
                    .isInstanceOf(MissingSchemaException.class);
        }
    }

    @Test
    void invalidEventsDecodeButBreakTheRules() throws Exception {
        StorefrontSimulator simulator = new StorefrontSimulator(3, 100, 100, 5, FIXED);
        boolean sawEmptyCustomer = false;
        boolean sawNegativePrice = false;
        for (int i = 0; i < 200; i++) {
            BadRecord bad = simulator.badRecord(BadRecord.Kind.INVALID_EVENT);
            ClickEvent event = ClickEvent.getDecoder().decode(bad.value());
            boolean emptyCustomer = event.getCustomerId().isEmpty();
            boolean negativePrice = event.getPrice() != null && event.getPrice() < 0;
            assertThat(emptyCustomer || negativePrice).as("%s", event).isTrue();
            assertThat(bad.key()).isEqualTo(event.getCustomerId());
            sawEmptyCustomer |= emptyCustomer;
            sawNegativePrice |= negativePrice;
        }
        assertThat(sawEmptyCustomer).isTrue();
        assertThat(sawNegativePrice).isTrue();
    }

    @Test
    void theRateSetsTheShareOfBadRecordsAndYieldsAllKinds() {
        StorefrontSimulator simulator = new StorefrontSimulator(3, 100, 100, 5, FIXED);
        Map<BadRecord.Kind, Integer> kinds = new EnumMap<>(BadRecord.Kind.class);
        for (int i = 0; i < 10_000; i++) {
            simulator.nextBadRecord(0.1).ifPresent(bad -> kinds.merge(bad.kind(), 1, Integer::sum));
        }
        int total = kinds.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isBetween(850, 1_150);
        assertThat(kinds).containsOnlyKeys(BadRecord.Kind.values());
        assertThat(simulator.nextBadRecord(0)).isEmpty();
    }

    @Test
    void badRecordsDoNotChangeTheGoodTraffic() {
        StorefrontSimulator plain = new StorefrontSimulator(5, 500, 300, 10, FIXED);
        StorefrontSimulator mixed = new StorefrontSimulator(5, 500, 300, 10, FIXED);
        List<SpecificRecordBase> expected = new ArrayList<>();
        List<SpecificRecordBase> actual = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            expected.add(plain.next());
            Optional<BadRecord> bad = mixed.nextBadRecord(0.3);
            if (bad.isEmpty()) {
                actual.add(mixed.next());
            }
        }
        assertThat(actual).isEqualTo(expected.subList(0, actual.size()));
    }
}
