package io.p13n.cli;

import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.Secret;
import io.p13n.jobs.privacy.Pseudonyms;
import java.util.Map;
import java.util.Optional;

/**
 * The id the engine keeps a customer under, from the id an operator types: with {@code
 * privacy.pseudonymization-key} set, its pseudonym (the HMAC the entrance stage computes, {@link
 * Pseudonyms}), else the id itself; an id given as already pseudonymized is taken as is.
 */
public final class CustomerIds {
    /**
     * A syntactically valid {@code kafka.bootstrap-servers} for reading the key alone: a whole
     * configuration requires one, and looking a customer up in Redis never connects to Kafka.
     */
    private static final String UNUSED_BOOTSTRAP = "unused:9092";

    private CustomerIds() {}

    /**
     * The id the engine keeps {@code customerId} under: as given when {@code pseudonymized}, else
     * its pseudonym under {@code key} when there is one, else as given.
     */
    public static String engineId(String customerId, boolean pseudonymized, Optional<Secret> key) {
        if (pseudonymized) {
            return customerId;
        }
        return key.map(k -> new Pseudonyms(k.reveal()).of(customerId)).orElse(customerId);
    }

    /** The engine's {@code privacy.pseudonymization-key} (from its file, P13N_* overriding it). */
    public static Optional<Secret> key(EngineConfig config) {
        return config.get(EngineOptions.PRIVACY_PSEUDONYMIZATION_KEY);
    }

    /**
     * {@code privacy.pseudonymization-key} from the environment alone ({@code
     * P13N_PRIVACY_PSEUDONYMIZATION_KEY}), for a command given no {@code --config}; read through
     * {@link EngineConfig}, so exactly as the engine reads it (blank is unset, taken verbatim, at
     * least 32 characters). No other variable is looked at.
     *
     * @throws ConfigException when it is set but invalid (naming the variable, never the value)
     */
    static Optional<Secret> keyFromEnvironment(Map<String, String> env) {
        String name = EngineOptions.PRIVACY_PSEUDONYMIZATION_KEY.envName();
        String value = env.get(name);
        if (value == null) {
            return Optional.empty();
        }
        return key(
                EngineConfig.fromMap(
                        Map.of(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), UNUSED_BOOTSTRAP),
                        Map.of(name, value)));
    }
}
