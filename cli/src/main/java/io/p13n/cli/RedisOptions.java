package io.p13n.cli;

import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.Secret;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.redis.RedisEndpoint;
import io.p13n.jobs.redis.RedisKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where the engine's Redis is and how to reach it, a picocli mixin of {@code show} and {@code
 * campaign stats}: a host, port and key prefix on the command line, or the engine's own
 * configuration file, so that a Redis with an ACL user, a password or TLS is read exactly the way
 * the engine writes it, and a customer is looked up under the id the engine keeps (the pseudonym,
 * when it pseudonymizes).
 */
public final class RedisOptions {
    @Option(names = "--redis-host", description = "Redis host (default: localhost).")
    String host;

    @Option(names = "--redis-port", description = "Redis port (default: 6379).")
    Integer port;

    @Option(names = "--key-prefix", description = "redis.key-prefix of the engine (default: p13n).")
    String prefix;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The engine's configuration (.properties), P13N_* environment variables overriding it: connect as the engine does (redis.host and redis.port or the cluster nodes, redis.user, redis.password, redis.tls and its trust store), read its redis.key-prefix and, for a customer, its privacy.pseudonymization-key. Not with --redis-host, --redis-port or --key-prefix.")
    Path configFile;

    private EngineConfig config;

    /** The engine's configuration, or null without --config; exit code 2 when invalid. */
    private EngineConfig config() {
        if (configFile != null && config == null) {
            if (host != null || port != null || prefix != null) {
                throw new ConfigException(
                        List.of(
                                "--config takes the Redis settings from the file: leave out"
                                        + " --redis-host, --redis-port and --key-prefix"));
            }
            config = EngineConfig.load(configFile, System.getenv());
        }
        return config;
    }

    /** The {@code --config} file, or null. */
    public Path configFile() {
        return configFile;
    }

    /** The engine's {@code redis.key-prefix}. */
    public String prefix() {
        EngineConfig engine = config();
        if (engine != null) {
            return engine.get(EngineOptions.REDIS_KEY_PREFIX);
        }
        return prefix == null ? "p13n" : prefix;
    }

    /** Where the engine's Redis is and how to authenticate to it. */
    public RedisEndpoint endpoint() {
        EngineConfig engine = config();
        if (engine != null) {
            return PersonalizationJob.redisEndpoint(engine);
        }
        return RedisEndpoint.standalone(
                host == null ? "localhost" : host, port == null ? 6379 : port);
    }

    /**
     * The engine's configuration from {@code --config} (P13N_* environment overriding it), empty
     * without it.
     *
     * @throws ConfigException when the file is invalid or mixed with --redis-host and the like
     */
    public Optional<EngineConfig> engineConfig() {
        return Optional.ofNullable(config());
    }

    /**
     * The id the engine keeps a customer under, from the id the store knows them by: its pseudonym
     * when the engine pseudonymizes (the key from {@code --config} or the environment), exactly as
     * {@code show customer} looks them up.
     *
     * @throws ConfigException when the configuration or the key is invalid
     */
    public String engineId(String customerId) {
        return CustomerIds.engineId(customerId, false, pseudonymizationKey(System.getenv()));
    }

    /**
     * Runs {@code reading} with a client; a Redis that refuses or cannot be reached (a wrong
     * password, an untrusted certificate, a missing ACL permission) is reported in one line naming
     * the endpoint and Redis's reason, exit code 1.
     */
    public int read(Reading reading) {
        try {
            config();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        RedisEndpoint endpoint = endpoint();
        try (UnifiedJedis client = endpoint.connect()) {
            return reading.read(client, new RedisKeys(prefix()));
        } catch (JedisException | java.io.UncheckedIOException | IllegalStateException e) {
            System.err.println("Cannot read " + endpoint + ": " + ShowCommand.reason(e));
            return 1;
        }
    }

    /**
     * The engine's {@code privacy.pseudonymization-key}: from {@code --config} (loaded with the
     * process's P13N_* environment overriding it), else from {@code
     * P13N_PRIVACY_PSEUDONYMIZATION_KEY} in {@code env} alone, as {@code privacy erase} and {@code
     * privacy export} read it.
     */
    Optional<Secret> pseudonymizationKey(Map<String, String> env) {
        EngineConfig engine = config();
        return engine != null ? CustomerIds.key(engine) : CustomerIds.keyFromEnvironment(env);
    }

    /**
     * The id the engine keeps the customer under (its pseudonym when the engine pseudonymizes and
     * the id was not given as one).
     *
     * @throws ConfigException when the configuration or the key is invalid
     */
    String engineId(ShowCommand.CustomerArgument customer, Map<String, String> env) {
        return customer.pseudonymized
                ? customer.id
                : CustomerIds.engineId(customer.id, false, pseudonymizationKey(env));
    }

    /**
     * Runs {@code reading} for one customer, under the id the engine keeps them by; exit code 2
     * when the configuration is invalid.
     */
    int readCustomer(ShowCommand.CustomerArgument customer, ShowCommand.CustomerReading reading) {
        String id;
        try {
            id = engineId(customer, System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return read((client, keys) -> reading.read(client, keys, id));
    }

    /** Prints the customer's profile with {@code printer}, or says there is none (exit code 1). */
    int withProfile(ShowCommand.CustomerArgument customer, ShowCommand.ProfilePrinter printer) {
        return readCustomer(
                customer,
                (client, keys, id) -> {
                    String key = keys.profile(id);
                    if (!client.exists(key)) {
                        System.err.println(
                                "No profile for customer '"
                                        + customer.label(id)
                                        + "' (key "
                                        + key
                                        + ").");
                        return 1;
                    }
                    printer.print(customer.label(id), key, client);
                    return 0;
                });
    }

    /**
     * What a command ({@code show}, {@code campaign stats}) does with a client and the engine's key
     * layout; returns the exit code.
     */
    @FunctionalInterface
    public interface Reading {
        int read(UnifiedJedis client, RedisKeys keys);
    }
}
