package io.p13n.cli.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in this JVM: one combined KRaft broker and controller, the same code as a
 * production broker, started in about two seconds. Used by {@code personalize demo} and the
 * integration tests.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final Path dataDir;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path dataDir) {
        this.cluster = cluster;
        this.dataDir = dataDir;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        this.admin = Admin.create(props);
    }

    public static EmbeddedKafka start() throws Exception {
        // Our own data directory: the test kit's default one is deleted by a JVM shutdown hook that
        // runs
        // concurrently with ours, so on Ctrl-C the broker would fail writing its last checkpoints.
        Path dataDir = Files.createTempDirectory("p13n-kafka-");
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dataDir)
                        .build();
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(nodes)
                        // One broker: every internal topic must make do with one replica.
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .setDeleteOnClose(false)
                        .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            FileUtils.deleteDirectory(dataDir.toFile());
            throw e;
        }
        return new EmbeddedKafka(cluster, dataDir);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates the topics if they do not exist yet. */
    public void createTopics(int partitions, String... topics)
            throws InterruptedException, ExecutionException {
        for (String topic : topics) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** Records written to a topic so far (sum of end offsets; the topics are never compacted). */
    public long recordCount(String topic) throws InterruptedException, ExecutionException {
        Set<TopicPartition> partitions =
                admin
                        .describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .collect(java.util.stream.Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(r -> r.offset())
                .sum();
    }

    @Override
    public void close() throws Exception {
        admin.close();
        cluster.close();
        FileUtils.deleteDirectory(dataDir.toFile());
    }
}
