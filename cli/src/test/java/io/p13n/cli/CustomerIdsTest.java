package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Which id {@code show} and {@code privacy} look a customer up under. */
class CustomerIdsTest {
    private static final String KEY = "a-pseudonymization-key-of-42-characters-xx";
    private static final String OTHER_KEY = "another-pseudonymization-key-of-44-characters";
    private static final String ENV = EngineOptions.PRIVACY_PSEUDONYMIZATION_KEY.envName();

    @TempDir Path dir;

    /** What a storefront computes, with the JDK alone. */
    private static String hmac(String key, String id) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] full = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 16));
    }

    @Test
    void shouldLookARawIdUpUnderItsPseudonymWhenTheEnginePseudonymizes() throws Exception {
        String id = CustomerIds.engineId("alice", false, Optional.of(Secret.of(KEY)));

        assertThat(id).isEqualTo(hmac(KEY, "alice")).hasSize(22);
    }

    @Test
    void shouldTakeAnIdGivenAsPseudonymizedAsIs() throws Exception {
        String pseudonym = hmac(KEY, "alice");

        assertThat(CustomerIds.engineId(pseudonym, true, Optional.of(Secret.of(KEY))))
                .isEqualTo(pseudonym);
    }

    @Test
    void shouldTakeTheIdAsIsWithoutAKey() {
        assertThat(CustomerIds.engineId("alice", false, Optional.empty())).isEqualTo("alice");
    }

    @Test
    void shouldReadTheKeyFromTheEnvironmentAloneAsTheEngineDoes() throws Exception {
        assertThat(CustomerIds.keyFromEnvironment(Map.of(ENV, KEY))).contains(Secret.of(KEY));
        assertThat(CustomerIds.keyFromEnvironment(Map.of())).isEmpty();
        assertThat(CustomerIds.keyFromEnvironment(Map.of(ENV, "  ")))
                .as("blank is unset")
                .isEmpty();
        assertThat(
                        CustomerIds.keyFromEnvironment(
                                Map.of(ENV, KEY, "P13N_REDIS_PORT", "not a port")))
                .as("no other variable is read")
                .contains(Secret.of(KEY));
        assertThatThrownBy(() -> CustomerIds.keyFromEnvironment(Map.of(ENV, "too-short")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ENV)
                .hasMessageNotContaining("too-short");
    }

    @Test
    void privacyCommandsShouldUseTheSameResolution() throws Exception {
        EngineConfig config =
                EngineConfig.fromMap(
                        Map.of(
                                EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(),
                                "localhost:9092",
                                EngineOptions.PRIVACY_PSEUDONYMIZATION_KEY.key(),
                                KEY),
                        Map.of(ENV, OTHER_KEY));

        assertThat(PrivacyCommand.engineId(config, "alice"))
                .as("the environment overrides the file")
                .isEqualTo(hmac(OTHER_KEY, "alice"));
    }

    private Path engineFile(String key) throws Exception {
        Path file = dir.resolve("engine.properties");
        Files.writeString(
                file,
                "kafka.bootstrap-servers=localhost:9092\n"
                        + (key == null ? "" : "privacy.pseudonymization-key=" + key + "\n"));
        return file;
    }

    private static ShowCommand.Customer parse(String... args) {
        ShowCommand.Customer command = new ShowCommand.Customer();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void showShouldComputeThePseudonymFromItsConfigFile() throws Exception {
        ShowCommand.Customer show = parse("alice", "--config", engineFile(KEY).toString());

        assertThat(show.redis.engineId(show.customer, Map.of())).isEqualTo(hmac(KEY, "alice"));
        assertThat(show.customer.label(hmac(KEY, "alice")))
                .isEqualTo("alice (pseudonym " + hmac(KEY, "alice") + ")");
    }

    @Test
    void showShouldTakeAPseudonymizedIdAsIs() throws Exception {
        String pseudonym = hmac(KEY, "alice");
        ShowCommand.Customer show =
                parse(pseudonym, "--pseudonymized", "--config", engineFile(KEY).toString());

        assertThat(show.redis.engineId(show.customer, Map.of())).isEqualTo(pseudonym);
        assertThat(show.customer.label(pseudonym)).isEqualTo(pseudonym);
    }

    @Test
    void showWithoutConfigShouldTakeTheKeyFromTheEnvironment() throws Exception {
        ShowCommand.Customer show = parse("alice", "--redis-port", "6380");

        assertThat(show.redis.engineId(show.customer, Map.of(ENV, KEY)))
                .isEqualTo(hmac(KEY, "alice"));
        assertThat(show.redis.engineId(show.customer, Map.of())).isEqualTo("alice");
    }

    @Test
    void showShouldLookUpTheRawIdWhenTheEngineDoesNotPseudonymize() throws Exception {
        ShowCommand.Customer show = parse("alice", "--config", engineFile(null).toString());

        assertThat(show.redis.engineId(show.customer, Map.of())).isEqualTo("alice");
    }

    @Test
    void everyShowCommandOfACustomerTakesThePseudonymizedOption() {
        for (Object command :
                new Object[] {
                    new ShowCommand.Customer(),
                    new ShowCommand.Profile(),
                    new ShowCommand.Recommendations()
                }) {
            CommandLine line = new CommandLine(command);
            line.parseArgs("x", "--pseudonymized");
            assertThat(line.getCommandSpec().findOption("--pseudonymized"))
                    .as(line.getCommandName())
                    .isNotNull();
        }
    }
}
