package io.p13n.cli.campaign;

import picocli.CommandLine.Option;

/** Where campaigns are published: a picocli mixin of the campaign commands. */
public final class CampaignTopicOptions {
    @Option(
            names = "--bootstrap-servers",
            required = true,
            description = "Kafka bootstrap servers, host:port[,host:port].")
    String bootstrapServers;

    @Option(
            names = "--campaigns-topic",
            defaultValue = "campaigns",
            description = "kafka.topic.campaigns of the engine (default: ${DEFAULT-VALUE}).")
    String topic;

    CampaignTopic campaignTopic() {
        return new CampaignTopic(bootstrapServers, topic);
    }
}
