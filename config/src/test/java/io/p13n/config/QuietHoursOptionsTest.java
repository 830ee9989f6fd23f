package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The quiet-hours options: push and SMS quiet at night by default, email never; a bad window is
 * refused at start with its key, value and what is valid.
 */
class QuietHoursOptionsTest {

    private static EngineConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap-servers", "localhost:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return EngineConfig.fromMap(values, Map.of());
    }

    @Test
    void shouldKeepPushAndSmsQuietAtNightAndEmailNeverByDefault() {
        EngineConfig config = config();
        DailyWindow night = new DailyWindow(LocalTime.of(21, 0), LocalTime.of(8, 0));
        assertThat(config.get(EngineOptions.OFFERS_QUIET_HOURS_PUSH)).contains(night);
        assertThat(config.get(EngineOptions.OFFERS_QUIET_HOURS_SMS)).contains(night);
        assertThat(config.get(EngineOptions.OFFERS_QUIET_HOURS_EMAIL)).isEmpty();
    }

    @Test
    void shouldReadAWindowWithinADayAndAnEmptyOneAsNone() {
        EngineConfig config =
                config("offers.quiet-hours.email", "12:30-14:00", "offers.quiet-hours.push", " ");
        assertThat(config.get(EngineOptions.OFFERS_QUIET_HOURS_EMAIL))
                .contains(new DailyWindow(LocalTime.of(12, 30), LocalTime.of(14, 0)));
        assertThat(config.get(EngineOptions.OFFERS_QUIET_HOURS_PUSH)).isEqualTo(Optional.empty());
    }

    @Test
    void shouldRefuseAWindowThatIsNotOne() {
        for (String bad :
                new String[] {
                    "21:00", "9pm-8am", "21:00-08:00,12:00-13:00", "08:00-08:00", "24:00-06:00"
                }) {
            assertThatThrownBy(() -> config("offers.quiet-hours.sms", bad))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("offers.quiet-hours.sms")
                    .hasMessageContaining(bad)
                    .hasMessageContaining("HH:mm-HH:mm");
        }
    }
}
