package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineOptionsTest {
    @Test
    void everyDeclaredConstantIsInAll() throws IllegalAccessException {
        // Reflection only here, in the test: it catches a constant that was declared but not added
        // to ALL, which would make the option silently unreadable and undocumented.
        List<ConfigOption<?>> declared = new ArrayList<>();
        for (Field field : EngineOptions.class.getDeclaredFields()) {
            if (field.getType() == ConfigOption.class && Modifier.isStatic(field.getModifiers())) {
                assertThat(Modifier.isPublic(field.getModifiers())).as(field.getName()).isTrue();
                declared.add((ConfigOption<?>) field.get(null));
            }
        }

        assertThat(EngineOptions.ALL).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void keysAndEnvNamesAreUnique() {
        assertThat(EngineOptions.ALL).extracting(ConfigOption::key).doesNotHaveDuplicates();
        assertThat(EngineOptions.ALL).extracting(ConfigOption::envName).doesNotHaveDuplicates();
    }

    @Test
    void envNameIsThePrefixedUpperCaseKey() {
        assertThat(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.envName())
                .isEqualTo("P13N_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(EngineOptions.REDIS_BATCH_MAX_DELAY.envName())
                .isEqualTo("P13N_REDIS_BATCH_MAX_DELAY");
        assertThat(EngineOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD.envName())
                .isEqualTo("P13N_KAFKA_SSL_TRUSTSTORE_PASSWORD");
    }

    @Test
    void everyDefaultIsAcceptedByItsOwnType() {
        for (ConfigOption<?> option : EngineOptions.ALL) {
            option.defaultValueText()
                    .ifPresent(text -> assertThat(option.parse(text)).as(option.key()).isNotNull());
        }
    }

    @Test
    void everyOptionIsDescribed() {
        for (ConfigOption<?> option : EngineOptions.ALL) {
            assertThat(option.description()).as(option.key()).isNotBlank().endsWith(".");
            assertThat(option.expected()).as(option.key()).isNotBlank();
        }
    }

    @Test
    void onlyTheBootstrapServersAreRequired() {
        assertThat(EngineOptions.ALL)
                .filteredOn(ConfigOption::isRequired)
                .containsExactly(EngineOptions.KAFKA_BOOTSTRAP_SERVERS);
        assertThat(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.defaultValueText()).isEmpty();
    }

    @Test
    void credentialsAreTheSecrets() {
        assertThat(EngineOptions.ALL)
                .filteredOn(ConfigOption::isSecret)
                .containsExactlyInAnyOrder(
                        EngineOptions.KAFKA_SASL_JAAS_CONFIG,
                        EngineOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD,
                        EngineOptions.REDIS_PASSWORD,
                        EngineOptions.REDIS_TLS_TRUSTSTORE_PASSWORD,
                        EngineOptions.PRIVACY_PSEUDONYMIZATION_KEY,
                        EngineOptions.CONSOLE_PASSWORD);
    }

    @Test
    void findLooksUpByExactKey() {
        assertThat(EngineOptions.find("redis.port")).contains(EngineOptions.REDIS_PORT);
        assertThat(EngineOptions.find("REDIS.PORT")).isEmpty();
    }
}
