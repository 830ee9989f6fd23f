package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS =
            List.of("redis.port", "redis.host", "kafka.bootstrap-servers", "job.name");

    @Test
    void distanceCountsASwapOfNeighboursAsOneEdit() {
        assertThat(Suggestions.distance("redis.prot", "redis.port")).isEqualTo(1);
        assertThat(Suggestions.distance("abc", "abc")).isZero();
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void suggestsTheClosestKey() {
        assertThat(Suggestions.closest("kafka.bootstrap.servers", KEYS))
                .contains("kafka.bootstrap-servers");
        assertThat(Suggestions.closest("REDIS.HOST", KEYS)).contains("redis.host");
    }

    @Test
    void suggestsNothingWhenNoKeyIsClose() {
        assertThat(Suggestions.closest("metrics.port", KEYS)).isEmpty();
        assertThat(Suggestions.closest("x", KEYS)).isEmpty();
    }
}
