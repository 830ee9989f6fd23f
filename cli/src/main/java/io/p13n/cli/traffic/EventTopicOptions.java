package io.p13n.cli.traffic;

import picocli.CommandLine.Option;

/** Where commands that produce events send them: a picocli mixin shared by generate and replay. */
public final class EventTopicOptions {
    @Option(
            names = "--bootstrap-servers",
            required = true,
            description = "Kafka bootstrap servers, host:port[,host:port].")
    public String bootstrapServers;

    @Option(
            names = "--clicks-topic",
            defaultValue = "clicks",
            description = "Topic for click events (default: ${DEFAULT-VALUE}).")
    public String clicksTopic;

    @Option(
            names = "--orders-topic",
            defaultValue = "orders",
            description = "Topic for order events (default: ${DEFAULT-VALUE}).")
    public String ordersTopic;

    public EventTopics topics() {
        return new EventTopics(clicksTopic, ordersTopic);
    }
}
