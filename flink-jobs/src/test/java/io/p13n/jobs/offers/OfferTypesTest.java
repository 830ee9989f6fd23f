package io.p13n.jobs.offers;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.ActiveOffers;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignBudgetState;
import io.p13n.model.CampaignStats;
import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.CampaignStatsState;
import io.p13n.model.OfferCustomerState;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferLedgerInput;
import io.p13n.model.OfferLedgerState;
import io.p13n.model.OfferOutcome;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * Every offer type on a stream or in state is Avro to Flink (never Kryo, which the job forbids) and
 * survives its serializer, unions and timestamp logical types included.
 */
class OfferTypesTest {
    private static final List<Class<?>> TYPES =
            List.of(
                    Campaign.class,
                    OfferInput.class,
                    OfferDecision.class,
                    OfferLedgerInput.class,
                    ActiveOffers.class,
                    CampaignStatsDelta.class,
                    CampaignStats.class,
                    OfferCustomerState.class,
                    CampaignBudgetState.class,
                    OfferLedgerState.class,
                    CampaignStatsState.class);

    @Test
    void shouldBeAvroTypesWithGenericTypesDisabled() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        for (Class<?> type : TYPES) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(AvroTypeInfo.class);
            assertThat(info.createSerializer(config)).as(type.getSimpleName()).isNotNull();
        }
    }

    @Test
    void shouldRoundTripUnionsThroughFlinksSerializer() throws Exception {
        OfferInput profile =
                TestOffers.in(
                        TestOffers.profile("c1", Segment.ACTIVE, T0)
                                .setCategories(TestOffers.categories("shoes", 0.4))
                                .build());
        OfferInput order = TestOffers.in(TestEvents.placed("c1", T0, 12.5));
        OfferDecision decision =
                CampaignBudgetFunctionTest.decision(
                        new io.p13n.model.Budget(5L, null), OfferOutcome.SENT, 0, 1);

        assertThat(roundTrip(profile)).isEqualTo(profile);
        assertThat(roundTrip(order)).isEqualTo(order);
        assertThat(roundTrip(new OfferLedgerInput(decision)))
                .isEqualTo(new OfferLedgerInput(decision));
        assertThat(roundTrip(TestOffers.campaign("x", TriggerType.WIN_BACK).build()).getTrigger())
                .isEqualTo(TriggerType.WIN_BACK);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer =
                (TypeSerializer<T>) TypeInformation.of(value.getClass()).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
