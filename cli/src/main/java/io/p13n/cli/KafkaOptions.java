package io.p13n.cli;

import io.p13n.config.ConfigException;
import io.p13n.config.ConfigOption;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where a command's Kafka is and how to reach it, the base of the picocli mixins of the commands
 * that talk to Kafka ({@code generate}, {@code replay}, {@code campaign}, {@code show
 * dead-letters}): either {@code --bootstrap-servers} and topic names on the command line, for a
 * broker without authentication, or the engine's configuration file ({@code --config}, the P13N_*
 * environment overriding it, as {@code run} reads it), for a Kafka that requires SASL or TLS: its
 * address, topic names and client settings ({@link EngineConfig#kafkaClientProperties()}, exactly
 * what the engine's own clients get). The two ways are not mixed.
 *
 * <p>A subclass declares its {@code --config} option (its help names the topics it takes from the
 * file) and its topic options.
 */
public abstract class KafkaOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Kafka bootstrap servers, host:port[,host:port]. Required unless --config is given.")
    String bootstrapServers;

    private EngineConfig config;

    /** The {@code --config} file, or null. */
    protected abstract Path configFile();

    /**
     * The subclass's topic options, by name (e.g. {@code --campaigns-topic}), each with its value
     * on the command line, null when not given: {@code --config} replaces them.
     */
    protected abstract Map<String, String> topicOptions();

    /**
     * The engine's configuration, or null without {@code --config}; a usage error (exit code 2)
     * without either way, with both, or with an invalid file.
     */
    protected final EngineConfig config() {
        if (configFile() == null) {
            if (bootstrapServers == null) {
                throw new ParameterException(
                        command.commandLine(), "Missing --bootstrap-servers (or --config FILE)");
            }
            return null;
        }
        if (config == null) {
            List<String> replaced = new ArrayList<>();
            replaced.add("--bootstrap-servers");
            replaced.addAll(topicOptions().keySet());
            boolean given =
                    bootstrapServers != null
                            || topicOptions().values().stream().anyMatch(v -> v != null);
            if (given) {
                throw new ParameterException(
                        command.commandLine(),
                        "--config takes Kafka's address, security and topics from the file: leave"
                                + " out "
                                + names(replaced));
            }
            try {
                config = EngineConfig.load(configFile(), System.getenv());
            } catch (ConfigException e) {
                throw new ParameterException(command.commandLine(), e.getMessage());
            }
        }
        return config;
    }

    /** "--a", "--a and --b", "--a, --b and --c". */
    private static String names(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1))
                + " and "
                + names.get(names.size() - 1);
    }

    public final String bootstrapServers() {
        EngineConfig engine = config();
        return engine == null
                ? bootstrapServers
                : engine.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS);
    }

    /**
     * The client settings to add to a command's own (bootstrap servers, serializers, ...): with
     * {@code --config} the engine's security settings and {@code kafka.client.*}; none without.
     */
    public final Map<String, String> clientProperties() {
        EngineConfig engine = config();
        return engine == null ? Map.of() : engine.kafkaClientProperties();
    }

    /**
     * A topic: the engine's {@code option} with {@code --config}, else {@code given} on the command
     * line, else {@code defaultName}.
     */
    protected final String topic(ConfigOption<String> option, String given, String defaultName) {
        EngineConfig engine = config();
        if (engine != null) {
            return engine.get(option);
        }
        return given == null ? defaultName : given;
    }
}
