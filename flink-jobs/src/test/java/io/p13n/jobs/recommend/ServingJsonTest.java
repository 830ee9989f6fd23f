package io.p13n.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.CustomerRecommendations;
import io.p13n.model.ScoredItem;
import io.p13n.model.SimilarItems;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingJsonTest {
    private static final long T = 1_764_000_000_000L;

    @Test
    void shouldReadBackWhatTheStorefrontReads() {
        SimilarItems similar =
                new SimilarItems(
                        "P1",
                        List.of(
                                new ScoredItem("P2", "C1", 0.5123456789, "viewed together with P1"),
                                new ScoredItem("P3", null, 0.25, null)),
                        T);

        String json = ServingJson.of(similar);
        SimilarItems back = ServingJson.similarItems("P1", json);

        assertThat(json)
                .contains(
                        "\"id\":\"P2\"",
                        "\"reason\":\"viewed together with P1\"",
                        "\"updatedAt\":\"2025-11-24T");
        assertThat(back.getItems()).extracting(ScoredItem::getItemId).containsExactly("P2", "P3");
        assertThat(back.getItems().get(0).getScore()).isEqualTo(0.512346);
        assertThat(back.getItems().get(1).getCategoryId()).isNull();
        assertThat(back.getUpdatedAt()).isEqualTo(T);
    }

    @Test
    void shouldCarryTheStrategyOfARecommendationList() {
        String json =
                ServingJson.of(
                        new CustomerRecommendations(
                                "c1",
                                List.of(new ScoredItem("P9", "C3", 1.0, "trending now")),
                                "trending",
                                T,
                                false));

        assertThat(ServingJson.strategy(json)).isEqualTo("trending");
        assertThat(ServingJson.items(json))
                .extracting(ScoredItem::getReason)
                .containsExactly("trending now");
    }

    @Test
    void shouldTreatAForeignValueAsNoList() {
        assertThat(ServingJson.items("not json")).isEmpty();
        assertThat(ServingJson.items(null)).isEmpty();
        assertThat(ServingJson.updatedAt("{}")).isZero();
    }

    @Test
    void anErasedCustomersListIsDeleted() {
        io.p13n.jobs.redis.RedisKeys keys = new io.p13n.jobs.redis.RedisKeys("p13n");
        var mapper = RecommendationRedisMappers.recommendations(keys, 60_000);
        CustomerRecommendations erased =
                CustomerRecommendations.newBuilder().setCustomerId("c1").setErased(true).build();

        assertThat(mapper.toWrite(erased))
                .isEqualTo(new io.p13n.jobs.redis.RedisDelete(keys.recommendations("c1")));
        erased.setErased(false);
        assertThat(mapper.toWrite(erased)).isInstanceOf(io.p13n.jobs.redis.RedisValueWrite.class);
    }
}
