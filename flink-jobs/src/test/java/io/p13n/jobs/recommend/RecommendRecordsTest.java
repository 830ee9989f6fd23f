package io.p13n.jobs.recommend;

import static io.p13n.jobs.recommend.RecommendFixtures.T0;
import static io.p13n.jobs.recommend.RecommendFixtures.transition;
import static io.p13n.jobs.recommend.RecommendFixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.ItemNeighboursState;
import io.p13n.model.ItemPopularityState;
import io.p13n.model.ItemPopularityUpdate;
import io.p13n.model.SessionTrailState;
import io.p13n.model.TrendingState;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * The keyed-state records go through Flink's Avro serializer (never Kryo) and survive a round trip.
 */
class RecommendRecordsTest {
    private final RecommendationSettings s = RecommendationSettings.defaults();

    @Test
    void shouldRoundTripEveryStateRecordThroughFlinksAvroSerializer() throws Exception {
        SessionTrailState trail = SessionTrail.empty();
        SessionTrail.onClick(trail, view("c", "s", "A", T0), s);
        SessionTrail.onClick(trail, view("c", "s", "B", T0 + 1), s);
        ItemNeighboursState neighbours = ItemNeighbours.empty("A");
        ItemNeighbours.apply(neighbours, transition("A", "B", 1.0, 2.0, T0), s);
        TrendingState trending = Trending.empty("x");
        Trending.apply(trending, new ItemPopularityUpdate("A", "x", 3.0, T0), s);

        assertThat(roundTrip(trail, SessionTrailState.class)).isEqualTo(trail);
        assertThat(roundTrip(neighbours, ItemNeighboursState.class)).isEqualTo(neighbours);
        assertThat(roundTrip(trending, TrendingState.class)).isEqualTo(trending);
        assertThat(roundTrip(ItemPopularity.empty("A"), ItemPopularityState.class))
                .isEqualTo(ItemPopularity.empty("A"));
    }

    private static <T extends SpecificRecordBase> T roundTrip(T record, Class<T> type)
            throws Exception {
        TypeSerializer<T> serializer =
                new AvroTypeInfo<>(type).createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(AvroSerializer.class);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
