package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalog options: defaults, and a bad value refused with its key, value and what is valid. */
class CatalogOptionsTest {

    private static EngineConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap-servers", "localhost:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return EngineConfig.fromMap(values, Map.of());
    }

    @Test
    void shouldDefaultToTwoWeeksOfTwoHundredWatchersAndFivePercentDrops() {
        EngineConfig config = config();
        assertThat(config.get(EngineOptions.KAFKA_TOPIC_CATALOG)).isEqualTo("catalog");
        assertThat(config.get(EngineOptions.CATALOG_WATCH_PERIOD)).isEqualTo(Duration.ofDays(14));
        assertThat(config.get(EngineOptions.CATALOG_MAX_WATCHERS)).isEqualTo(200);
        assertThat(config.get(EngineOptions.CATALOG_MIN_PRICE_DROP)).isEqualTo(0.05);
        assertThat(config.get(EngineOptions.CATALOG_MAX_UNAVAILABLE)).isEqualTo(200_000);
    }

    @Test
    void shouldRefuseAPriceDropOfAHundredPercentOrMore() {
        assertThatThrownBy(() -> config("catalog.min-price-drop", "1.5"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("catalog.min-price-drop")
                .hasMessageContaining("1.5");
    }

    @Test
    void shouldRefuseAWatchPeriodShorterThanAnHour() {
        assertThatThrownBy(() -> config("catalog.watch-period", "5m"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("catalog.watch-period")
                .hasMessageContaining("5m");
    }
}
