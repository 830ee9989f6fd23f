package io.p13n.cli.campaign;

import io.p13n.cli.KafkaOptions;
import io.p13n.config.EngineOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where campaigns are published: a picocli mixin of the campaign commands. A broker and topic name
 * on the command line (no authentication), or the engine's configuration file, for a Kafka that
 * requires SASL or TLS.
 */
public final class CampaignTopicOptions extends KafkaOptions {
    @Option(
            names = "--campaigns-topic",
            description = "kafka.topic.campaigns of the engine (default: campaigns).")
    String topic;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The engine's configuration (.properties), P13N_* environment variables overriding it: use its kafka.bootstrap-servers and kafka.topic.campaigns with its security settings (kafka.security.protocol, kafka.sasl.*, kafka.ssl.truststore.*) and kafka.client.* settings; give it the credentials of a principal that may read and write the campaigns topic. Not with --bootstrap-servers or --campaigns-topic (neither wins: the command refuses the mix).")
    Path configFile;

    @Override
    protected Path configFile() {
        return configFile;
    }

    @Override
    protected Map<String, String> topicOptions() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("--campaigns-topic", topic);
        return given;
    }

    CampaignTopic campaignTopic() {
        return new CampaignTopic(
                bootstrapServers(),
                clientProperties(),
                topic(EngineOptions.KAFKA_TOPIC_CAMPAIGNS, topic, "campaigns"));
    }
}
