package io.p13n.cli.traffic;

import io.p13n.cli.KafkaOptions;
import io.p13n.config.EngineOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Option;

/**
 * Where commands that produce events send them: a picocli mixin shared by generate and replay.
 * Either a broker and topic names on the command line (no authentication), or the engine's
 * configuration file, for a Kafka that requires SASL or TLS.
 */
public final class EventTopicOptions extends KafkaOptions {
    @Option(names = "--clicks-topic", description = "Topic for click events (default: clicks).")
    String clicksTopic;

    @Option(names = "--orders-topic", description = "Topic for order events (default: orders).")
    String ordersTopic;

    @Option(
            names = "--catalog-topic",
            description = "Topic for catalog changes, keyed by product (default: catalog).")
    String catalogTopic;

    @Option(
            names = "--identities-topic",
            description =
                    "Topic for identifications (guests logging in), keyed by the anonymous id (default: identities).")
    String identitiesTopic;

    @Option(
            names = "--customer-attributes-topic",
            description =
                    "Topic for the customers' stated attributes (birthday, time zone, signup date), keyed by customer (default: customer-attributes).")
    String customerAttributesTopic;

    @Option(
            names = "--reviews-topic",
            description =
                    "Topic for product reviews and ratings, keyed by customer (default: reviews).")
    String reviewsTopic;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The engine's configuration (.properties), P13N_* environment variables overriding it: send to its kafka.bootstrap-servers and kafka.topic.clicks / .orders / .catalog / .identities / .customer-attributes / .reviews with its security settings (kafka.security.protocol, kafka.sasl.*, kafka.ssl.truststore.*) and kafka.client.* settings. Not with --bootstrap-servers or the --*-topic options.")
    Path configFile;

    @Override
    protected Path configFile() {
        return configFile;
    }

    @Override
    protected Map<String, String> topicOptions() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("--clicks-topic", clicksTopic);
        given.put("--orders-topic", ordersTopic);
        given.put("--catalog-topic", catalogTopic);
        given.put("--identities-topic", identitiesTopic);
        given.put("--customer-attributes-topic", customerAttributesTopic);
        given.put("--reviews-topic", reviewsTopic);
        return given;
    }

    public String clicksTopic() {
        return topic(EngineOptions.KAFKA_TOPIC_CLICKS, clicksTopic, "clicks");
    }

    public String ordersTopic() {
        return topic(EngineOptions.KAFKA_TOPIC_ORDERS, ordersTopic, "orders");
    }

    public String catalogTopic() {
        return topic(EngineOptions.KAFKA_TOPIC_CATALOG, catalogTopic, "catalog");
    }

    public String identitiesTopic() {
        return topic(EngineOptions.KAFKA_TOPIC_IDENTITIES, identitiesTopic, "identities");
    }

    public String customerAttributesTopic() {
        return topic(
                EngineOptions.KAFKA_TOPIC_CUSTOMER_ATTRIBUTES,
                customerAttributesTopic,
                "customer-attributes");
    }

    public EventTopics topics() {
        return new EventTopics(
                clicksTopic(),
                ordersTopic(),
                catalogTopic(),
                identitiesTopic(),
                customerAttributesTopic(),
                reviewsTopic());
    }

    public String reviewsTopic() {
        return topic(EngineOptions.KAFKA_TOPIC_REVIEWS, reviewsTopic, "reviews");
    }

    /** The producer to send with; with --config, authenticated and encrypted as the engine is. */
    public Producer<String, byte[]> producer(String clientId) {
        return EventProducers.create(bootstrapServers(), clientId, clientProperties());
    }
}
