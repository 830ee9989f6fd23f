package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The marketing console's options: typed, paired, and its password a secret. */
class ConsoleOptionsTest {
    private static final String PASSWORD = "correct-horse-battery";

    private static EngineConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap-servers", "localhost:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return EngineConfig.fromMap(values, Map.of());
    }

    @Test
    void shouldDefaultToLoopbackWithoutLogin() {
        EngineConfig config = config();

        assertThat(config.get(EngineOptions.CONSOLE_BIND)).isEqualTo("127.0.0.1");
        assertThat(config.get(EngineOptions.CONSOLE_PORT)).isEqualTo(8070);
        assertThat(config.get(EngineOptions.CONSOLE_USER)).isEmpty();
        assertThat(config.get(EngineOptions.CONSOLE_PASSWORD)).isEmpty();
        assertThat(config.get(EngineOptions.CONSOLE_PROXY_ADDRESSES)).isEmpty();
    }

    @Test
    void shouldRefuseHalfALogin() {
        assertThatThrownBy(() -> config("console.user", "marketing"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.user and console.password go together");
        assertThatThrownBy(() -> config("console.password", PASSWORD))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.user and console.password go together")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void shouldRefuseAShortPasswordWithoutQuotingIt() {
        assertThatThrownBy(() -> config("console.user", "m", "console.password", "short-pw"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.password")
                .hasMessageContaining("at least 12 characters")
                .hasMessageNotContaining("short-pw");
    }

    @Test
    void shouldTrustAProxyHeaderOnlyFromNamedAddresses() {
        assertThatThrownBy(() -> config("console.proxy.user-header", "X-Forwarded-User"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.proxy.addresses");

        EngineConfig config =
                config(
                        "console.proxy.user-header", "X-Forwarded-User",
                        "console.proxy.addresses", " 10.0.0.5, ::1 ,");

        assertThat(config.get(EngineOptions.CONSOLE_PROXY_ADDRESSES))
                .isEqualTo(List.of("10.0.0.5", "0:0:0:0:0:0:0:1"));
    }

    @Test
    void shouldRefuseHostNamesAsProxyAddresses() {
        assertThatThrownBy(
                        () ->
                                config(
                                        "console.proxy.user-header", "X-Forwarded-User",
                                        "console.proxy.addresses", "proxy.internal"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.proxy.addresses = 'proxy.internal'");
        assertThatThrownBy(() -> config("console.proxy.addresses", "10.0.0.256"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldTakeThePasswordFromTheEnvironmentAndMaskIt() {
        EngineConfig config =
                EngineConfig.fromMap(
                        Map.of(
                                "kafka.bootstrap-servers", "localhost:9092",
                                "console.user", "marketing"),
                        Map.of("P13N_CONSOLE_PASSWORD", PASSWORD));

        assertThat(config.get(EngineOptions.CONSOLE_PASSWORD).orElseThrow().reveal())
                .isEqualTo(PASSWORD);
        assertThat(config.describe()).doesNotContain(PASSWORD);
    }
}
