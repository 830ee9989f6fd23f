package io.p13n.cli.campaign;

import io.p13n.model.Campaign;
import io.p13n.serde.AvroEventSerializer;
import io.p13n.serde.CampaignDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The campaigns topic: Campaign records in Avro single-object encoding, keyed by campaign id, the
 * latest version of each id winning. Created compacted (one partition: campaigns are few and their
 * order per id must hold) when missing. Every client connects with the same client settings (the
 * engine's security settings under {@code --config}); reading needs no consumer group.
 */
public final class CampaignTopic {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Map<String, String> clientProperties;
    private final String topic;

    /**
     * @param clientProperties added to every client's settings, such as the engine's security
     *     settings ({@link io.p13n.config.EngineConfig#kafkaClientProperties()})
     */
    public CampaignTopic(
            String bootstrapServers, Map<String, String> clientProperties, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = Map.copyOf(clientProperties);
        this.topic = topic;
    }

    /** The client settings, then {@code bootstrapServers}: the base of every client's. */
    private Properties clientConfig() {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    public String name() {
        return topic;
    }

    /** Publishes one campaign version and waits for the broker's acknowledgement. */
    public void publish(Campaign campaign) throws IOException {
        ensureExists();
        Properties props = clientConfig();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "p13n-campaign-cli");
        try (KafkaProducer<String, Campaign> producer =
                new KafkaProducer<>(props, new StringSerializer(), new AvroEventSerializer<>())) {
            producer.send(new ProducerRecord<>(topic, campaign.getId(), campaign)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException e) {
            throw new IOException(
                    "cannot publish to "
                            + topic
                            + " on "
                            + bootstrapServers
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * The latest version of every campaign on the topic, by id (empty when the topic does not
     * exist).
     */
    public Map<String, Campaign> latest() throws IOException {
        Map<String, Campaign> latest = new TreeMap<>();
        for (Campaign c : readAll()) {
            Campaign held = latest.get(c.getId());
            if (held == null || c.getVersion() >= held.getVersion()) {
                latest.put(c.getId(), c);
            }
        }
        return latest;
    }

    public Optional<Campaign> latest(String id) throws IOException {
        return Optional.ofNullable(latest().get(id));
    }

    private List<Campaign> readAll() throws IOException {
        // No group: partitions are assigned, nothing is committed (and no group ACL is needed).
        Properties props = clientConfig();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        List<Campaign> campaigns = new ArrayList<>();
        try {
            readInto(props, campaigns);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException(
                    "cannot read " + topic + " on " + bootstrapServers + ": " + e.getMessage(), e);
        }
        return campaigns;
    }

    private void readInto(Properties props, List<Campaign> campaigns) throws IOException {
        CampaignDeserializer decoder = new CampaignDeserializer();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<String, List<PartitionInfo>> topics = consumer.listTopics(TIMEOUT);
            if (!topics.containsKey(topic)) {
                return;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : topics.get(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("timed out reading " + topic + " on " + bootstrapServers);
                }
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        continue; // a tombstone
                    }
                    // Decoded as the engine decodes it: older schemas too; garbage is skipped.
                    Campaign campaign = decoder.decode(record.value());
                    if (campaign != null) {
                        campaigns.add(campaign);
                    }
                }
            }
        }
    }

    private void ensureExists() throws IOException {
        try (Admin admin = Admin.create(clientConfig())) {
            if (admin.listTopics().names().get().contains(topic)) {
                return;
            }
            NewTopic compacted =
                    new NewTopic(topic, Optional.of(1), Optional.empty())
                            .configs(Map.of("cleanup.policy", "compact"));
            admin.createTopics(List.of(compacted)).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IOException(
                        "cannot create topic "
                                + topic
                                + " on "
                                + bootstrapServers
                                + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        }
    }
}
