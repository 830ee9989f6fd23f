package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity-merge options: their defaults, and bad values failing at start. */
class IdentityOptionsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    private static Map<String, String> minimalWith(String... keysAndValues) {
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap-servers", "kafka:9092"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    private static List<String> problemsOf(String... keysAndValues) {
        return catchThrowableOfType(
                        ConfigException.class,
                        () -> EngineConfig.fromMap(minimalWith(keysAndValues), NO_ENV))
                .problems();
    }

    @Test
    void shouldDefaultToTheKnownIdWinningTrustedLoginsAndACapOfTwenty() {
        EngineConfig config = EngineConfig.fromMap(minimalWith(), NO_ENV);

        assertThat(config.get(EngineOptions.KAFKA_TOPIC_IDENTITIES)).isEqualTo("identities");
        assertThat(config.get(EngineOptions.KAFKA_TOPIC_IDENTITY_HAND_OFFS))
                .isEqualTo("identity-hand-offs");
        assertThat(config.get(EngineOptions.IDENTITY_SURVIVING_ID))
                .isEqualTo(IdentitySurvivor.KNOWN);
        assertThat(config.get(EngineOptions.IDENTITY_JUNK_IDS))
                .containsExactly("0", "anonymous", "null", "undefined", "guest", "unknown");
        assertThat(config.get(EngineOptions.IDENTITY_TRUSTED_SOURCES))
                .containsExactly("login", "checkout", "pos");
        assertThat(config.get(EngineOptions.IDENTITY_MAX_ANONYMOUS_IDS)).isEqualTo(20);
    }

    @Test
    void shouldReadListsTrimmedAndTheSurvivorIgnoringCase() {
        EngineConfig config =
                EngineConfig.fromMap(
                        minimalWith(
                                "identity.junk-ids", " nobody , -1,",
                                "identity.trusted-sources", "sso",
                                "identity.surviving-id", "ANONYMOUS",
                                "identity.max-anonymous-ids", "5"),
                        NO_ENV);

        assertThat(config.get(EngineOptions.IDENTITY_JUNK_IDS)).containsExactly("nobody", "-1");
        assertThat(config.get(EngineOptions.IDENTITY_TRUSTED_SOURCES)).containsExactly("sso");
        assertThat(config.get(EngineOptions.IDENTITY_SURVIVING_ID))
                .isEqualTo(IdentitySurvivor.ANONYMOUS);
        assertThat(config.get(EngineOptions.IDENTITY_MAX_ANONYMOUS_IDS)).isEqualTo(5);
    }

    @Test
    void shouldAcceptAnEmptyJunkList() {
        EngineConfig config = EngineConfig.fromMap(minimalWith("identity.junk-ids", ""), NO_ENV);

        assertThat(config.get(EngineOptions.IDENTITY_JUNK_IDS)).isEmpty();
    }

    @Test
    void shouldRefuseAnEmptyTrustedSourceListNamingKeyValueAndExpectation() {
        assertThat(problemsOf("identity.trusted-sources", " , "))
                .containsExactly(
                        "identity.trusted-sources = ' , ' (from provided values): expected a"
                                + " comma-separated list of at least one source");
    }

    @Test
    void shouldRefuseAnIdWithSpacesInTheJunkList() {
        assertThat(problemsOf("identity.junk-ids", "0,no one"))
                .containsExactly(
                        "identity.junk-ids = '0,no one' (from provided values): expected a"
                                + " comma-separated list of ids without spaces");
    }

    @Test
    void shouldRefuseACapOutsideItsRange() {
        assertThat(problemsOf("identity.max-anonymous-ids", "0"))
                .containsExactly(
                        "identity.max-anonymous-ids = '0' (from provided values): expected an"
                                + " integer between 1 and 1000");
        assertThat(problemsOf("identity.max-anonymous-ids", "many")).hasSize(1);
    }

    @Test
    void shouldRefuseAnUnknownSurvivor() {
        assertThat(problemsOf("identity.surviving-id", "oldest"))
                .containsExactly(
                        "identity.surviving-id = 'oldest' (from provided values): expected one of:"
                                + " known, anonymous");
    }
}
