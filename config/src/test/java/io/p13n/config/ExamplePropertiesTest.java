package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped example must stay a correct, complete, copyable configuration. */
class ExamplePropertiesTest {
    @TempDir Path dir;

    private static String example() throws IOException {
        try (InputStream in =
                ExamplePropertiesTest.class.getResourceAsStream("example.properties")) {
            assertThat(in).as("example.properties on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void mentionsEveryOption() throws IOException {
        List<String> lines = example().lines().toList();

        for (ConfigOption<?> option : EngineOptions.ALL) {
            assertThat(lines)
                    .as(option.key())
                    .anyMatch(
                            line ->
                                    line.startsWith(option.key() + "=")
                                            || line.startsWith("#" + option.key() + "="));
        }
        assertThat(lines).anyMatch(line -> line.startsWith("#kafka.client."));
    }

    @Test
    void loadsAsIsWithoutErrors() throws IOException {
        Path copy = dir.resolve("engine.properties");
        Files.writeString(copy, example());

        EngineConfig config = EngineConfig.load(copy, Map.of());

        assertThat(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
    }

    @Test
    void secretsAreCommentedOut() throws IOException {
        Properties active = new Properties();
        active.load(new StringReader(example()));

        for (ConfigOption<?> option : EngineOptions.ALL) {
            if (option.isSecret()) {
                assertThat(active.stringPropertyNames())
                        .as(option.key())
                        .doesNotContain(option.key());
            }
        }
    }

    @Test
    void activeValuesAreTheDefaults() throws IOException {
        Properties active = new Properties();
        active.load(new StringReader(example()));

        for (String key : active.stringPropertyNames()) {
            ConfigOption<?> option = EngineOptions.find(key).orElseThrow();
            if (!option.isRequired()) {
                assertThat(active.getProperty(key))
                        .as(key)
                        .isEqualTo(option.defaultValueText().get());
            }
        }
    }

    @Test
    void commentedExamplesAreValidWhenUncommented() throws IOException {
        for (String line : example().lines().toList()) {
            // "#key=value" is a commented-out setting; "# text" is prose.
            if (!line.matches("#[a-z][a-z.-]*=.*")) {
                continue;
            }
            Properties one = new Properties();
            one.load(new StringReader(line.substring(1)));
            String key = one.stringPropertyNames().iterator().next();
            // Cluster mode and TLS with a trust store, so that the commented cluster nodes and
            // trust store settings are checked in the mode that uses them.
            Map<String, String> values = new HashMap<>();
            values.put("kafka.bootstrap-servers", "localhost:9092");
            values.put("redis.mode", "cluster");
            values.put("redis.cluster.nodes", "redis-1:6379");
            values.put("redis.tls", "true");
            values.put("redis.tls.truststore.location", "/etc/p13n/redis.truststore.p12");
            // The console's login and proxy settings are pairs: each is checked beside its partner.
            values.put("console.user", "marketing");
            values.put("console.password", "change-me-please");
            values.put("console.proxy.user-header", "X-Forwarded-User");
            values.put("console.proxy.addresses", "10.0.0.5");
            values.put(key, one.getProperty(key));

            assertThat(EngineConfig.fromMap(values, Map.of())).as(line).isNotNull();
        }
    }
}
