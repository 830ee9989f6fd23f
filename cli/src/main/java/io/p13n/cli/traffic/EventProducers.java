package io.p13n.cli.traffic;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka producer that the traffic generator and the replay share: durable (all in-sync replicas
 * acknowledge) and idempotent (a retried batch is not written twice), with a short linger and lz4
 * so that small events still travel in batches. Values are bytes already encoded by {@link
 * EventTopics}, which lets deliberately bad records go through the same producer.
 */
public final class EventProducers {
    private EventProducers() {}

    public static Producer<String, byte[]> create(String bootstrapServers, String clientId) {
        return create(bootstrapServers, clientId, Map.of());
    }

    /**
     * The same producer with {@code clientProperties} on top, such as the engine's security
     * settings and {@code kafka.client.*} ({@link
     * io.p13n.config.EngineConfig#kafkaClientProperties}).
     */
    public static Producer<String, byte[]> create(
            String bootstrapServers, String clientId, Map<String, String> clientProperties) {
        Map<String, Object> config = new java.util.HashMap<>();
        config.putAll(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        clientId,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4"));
        config.putAll(clientProperties);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
