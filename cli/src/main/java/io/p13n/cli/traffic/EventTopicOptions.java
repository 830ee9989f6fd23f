package io.p13n.cli.traffic;

import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where commands that produce events send them: a picocli mixin shared by generate and replay.
 * Either a broker and topic names on the command line (no authentication), or the engine's
 * configuration file, for a Kafka that requires SASL or TLS.
 */
public final class EventTopicOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Kafka bootstrap servers, host:port[,host:port]. Required unless --config is given.")
    String bootstrapServers;

    @Option(names = "--clicks-topic", description = "Topic for click events (default: clicks).")
    String clicksTopic;

    @Option(names = "--orders-topic", description = "Topic for order events (default: orders).")
    String ordersTopic;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The engine's configuration (.properties), P13N_* environment variables overriding it: send to its kafka.bootstrap-servers and kafka.topic.clicks / kafka.topic.orders with its security settings (kafka.security.protocol, kafka.sasl.*, kafka.ssl.truststore.*) and kafka.client.* settings. Not with --bootstrap-servers, --clicks-topic or --orders-topic.")
    Path configFile;

    private EngineConfig config;

    /** The engine's configuration, or null without --config; refuses a mix of both ways. */
    private EngineConfig config() {
        if (configFile == null) {
            if (bootstrapServers == null) {
                throw new ParameterException(
                        command.commandLine(), "Missing --bootstrap-servers (or --config FILE)");
            }
            return null;
        }
        if (config == null) {
            if (bootstrapServers != null || clicksTopic != null || ordersTopic != null) {
                throw new ParameterException(
                        command.commandLine(),
                        "--config takes Kafka's address, security and topics from the file: leave"
                                + " out --bootstrap-servers, --clicks-topic and --orders-topic");
            }
            try {
                config = EngineConfig.load(configFile, System.getenv());
            } catch (ConfigException e) {
                throw new ParameterException(command.commandLine(), e.getMessage());
            }
        }
        return config;
    }

    public String bootstrapServers() {
        EngineConfig engine = config();
        return engine == null
                ? bootstrapServers
                : engine.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS);
    }

    public String clicksTopic() {
        EngineConfig engine = config();
        if (engine != null) {
            return engine.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        }
        return clicksTopic == null ? "clicks" : clicksTopic;
    }

    public String ordersTopic() {
        EngineConfig engine = config();
        if (engine != null) {
            return engine.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        }
        return ordersTopic == null ? "orders" : ordersTopic;
    }

    public EventTopics topics() {
        return new EventTopics(clicksTopic(), ordersTopic());
    }

    /** The producer to send with; with --config, authenticated and encrypted as the engine is. */
    public Producer<String, byte[]> producer(String clientId) {
        EngineConfig engine = config();
        return EventProducers.create(
                bootstrapServers(),
                clientId,
                engine == null ? Map.of() : engine.kafkaClientProperties());
    }
}
