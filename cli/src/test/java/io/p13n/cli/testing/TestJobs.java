package io.p13n.cli.testing;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Configuration and waiting for tests that run the real job against {@link LocalServices}. */
public final class TestJobs {
    private TestJobs() {}

    /**
     * An engine configuration isolated by {@code run}: its own topics ({@code clicks-RUN}, {@code
     * orders-RUN}, {@code dead-letters-RUN}, {@code segment-changes-RUN}, {@code
     * churn-signals-RUN}, {@code offer-triggers-RUN}, {@code campaigns-RUN}, created here),
     * consumer group ({@code consents-RUN} and {@code erasures-RUN} are not created: the engine
     * runs without them) and Redis key prefix ({@code itRUN}); RocksDB with a checkpoint every
     * second. {@code overrides} replace any of it.
     */
    public static EngineConfig engineConfig(
            LocalServices services, String run, Path checkpoints, Map<String, String> overrides)
            throws Exception {
        EngineConfig config =
                EngineConfig.fromMap(
                        engineSettings(services, run, checkpoints, overrides), Map.of());
        createTopics(services, config);
        return config;
    }

    /**
     * The configuration of a failure-free reference run beside a run configured by {@link
     * #engineConfig} with the same {@code run} and {@code overrides}: it reads the same input
     * topics (clicks, orders, consents, erasures, campaigns) with its own consumer group ({@code
     * reference-RUN}), and writes to its own Redis key prefix ({@code refRUN}) and output topics
     * ({@code ref-offer-triggers-RUN}, ...; created here), under its own job name ({@code
     * JOB_NAME-reference}, so its transactional ids are its own) and checkpoint directory.
     */
    public static EngineConfig referenceConfig(
            LocalServices services, String run, Path checkpoints, Map<String, String> overrides)
            throws Exception {
        EngineConfig config =
                EngineConfig.fromMap(
                        referenceSettings(services, run, checkpoints, overrides), Map.of());
        createTopics(services, config);
        return config;
    }

    /** The settings behind {@link #referenceConfig}, e.g. to write a configuration file. */
    public static Map<String, String> referenceSettings(
            LocalServices services, String run, Path checkpoints, Map<String, String> overrides) {
        Map<String, String> settings =
                new HashMap<>(engineSettings(services, run, checkpoints, overrides));
        settings.put(EngineOptions.KAFKA_GROUP_ID.key(), "reference-" + run);
        settings.put(EngineOptions.REDIS_KEY_PREFIX.key(), "ref" + run);
        settings.put(
                EngineOptions.JOB_NAME.key(),
                EngineConfig.fromMap(settings, Map.of()).get(EngineOptions.JOB_NAME)
                        + "-reference");
        for (var output :
                java.util.List.of(
                        EngineOptions.KAFKA_TOPIC_DEAD_LETTERS,
                        EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES,
                        EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS,
                        EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS)) {
            settings.put(output.key(), "ref-" + settings.get(output.key()));
        }
        return settings;
    }

    /** Creates the topics of {@code config} that do not exist yet. */
    private static void createTopics(LocalServices services, EngineConfig config) throws Exception {
        services.kafka()
                .createTopics(
                        2,
                        config.get(EngineOptions.KAFKA_TOPIC_CLICKS),
                        config.get(EngineOptions.KAFKA_TOPIC_ORDERS),
                        config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS),
                        config.get(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES),
                        config.get(EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS),
                        config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS));
        services.kafka().createTopics(1, config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS));
    }

    /** The settings behind {@link #engineConfig}, e.g. to write a configuration file. */
    public static Map<String, String> engineSettings(
            LocalServices services, String run, Path checkpoints, Map<String, String> overrides) {
        return engineSettings(
                services.kafka().bootstrapServers(),
                services.redis().host(),
                services.redis().port(),
                run,
                checkpoints,
                overrides);
    }

    /**
     * The same settings for a Kafka and a Redis of the test's own (e.g. one that requires
     * authentication); the caller creates the topics.
     */
    public static Map<String, String> engineSettings(
            String bootstrapServers,
            String redisHost,
            int redisPort,
            String run,
            Path checkpoints,
            Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), bootstrapServers);
        settings.put(EngineOptions.KAFKA_TOPIC_CLICKS.key(), "clicks-" + run);
        settings.put(EngineOptions.KAFKA_TOPIC_ORDERS.key(), "orders-" + run);
        // Not created here: the engine must run without it (a store that sends no consents).
        settings.put(EngineOptions.KAFKA_TOPIC_CONSENTS.key(), "consents-" + run);
        settings.put(EngineOptions.KAFKA_TOPIC_ERASURES.key(), "erasures-" + run);
        settings.put(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS.key(), "dead-letters-" + run);
        settings.put(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES.key(), "segment-changes-" + run);
        settings.put(EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS.key(), "churn-signals-" + run);
        settings.put(EngineOptions.KAFKA_TOPIC_CAMPAIGNS.key(), "campaigns-" + run);
        settings.put(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS.key(), "offer-triggers-" + run);
        settings.put(EngineOptions.KAFKA_GROUP_ID.key(), "group-" + run);
        settings.put(EngineOptions.KAFKA_STARTING_OFFSETS.key(), "earliest");
        settings.put(EngineOptions.REDIS_HOST.key(), redisHost);
        settings.put(EngineOptions.REDIS_PORT.key(), Integer.toString(redisPort));
        settings.put(EngineOptions.REDIS_KEY_PREFIX.key(), "it" + run);
        settings.put(EngineOptions.CHECKPOINT_DIR.key(), checkpoints.toUri().toString());
        settings.put(EngineOptions.CHECKPOINT_INTERVAL.key(), "1s");
        settings.put(EngineOptions.STATE_BACKEND.key(), "rocksdb");
        // No global control group unless a test asks for one: its 5 % would hold a test's few
        // customers out of every campaign by chance.
        settings.put(EngineOptions.OFFERS_GLOBAL_CONTROL_SHARE.key(), "0");
        settings.putAll(overrides);
        return settings;
    }

    /**
     * The {@code orders} field of each customer's profile hash that exists; empty while Redis does
     * not answer (a test that takes Redis away polls through it). A standalone or a cluster client.
     */
    public static Map<String, Integer> ordersInRedis(
            redis.clients.jedis.UnifiedJedis redis,
            io.p13n.jobs.redis.RedisKeys keys,
            java.util.Collection<String> customers) {
        Map<String, Integer> found = new java.util.TreeMap<>();
        try {
            for (String customer : customers) {
                String orders = redis.hget(keys.profile(customer), "orders");
                if (orders != null) {
                    found.put(customer, Integer.parseInt(orders));
                }
            }
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            return Map.of();
        }
        return found;
    }

    /** Publishes {@code campaign} on the engine's campaigns topic and waits for the broker. */
    public static void publishCampaign(
            org.apache.kafka.clients.producer.Producer<String, byte[]> producer,
            EngineConfig config,
            io.p13n.model.Campaign campaign)
            throws Exception {
        producer.send(
                        new org.apache.kafka.clients.producer.ProducerRecord<>(
                                config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS),
                                campaign.getId(),
                                io.p13n.serde.AvroEventSerializer.encode(campaign)))
                .get();
    }

    /** The Flink cluster the job tests run on: one TaskManager with two slots (parallelism 2). */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /**
     * Index of each cluster's live TaskManager: the MiniCluster keeps terminated ones in its list.
     */
    private static final Map<org.apache.flink.runtime.minicluster.MiniCluster, Integer>
            LIVE_TASK_MANAGER =
                    java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * Kills the cluster's live TaskManager (its tasks fail, the job restarts from the latest
     * checkpoint) and starts a fresh one. {@code terminateTaskManager(0)} alone would hit the same,
     * already dead, TaskManager from the second call on: the cluster appends new ones to its list
     * and never removes old ones, so such a "kill" silently does nothing.
     */
    public static void replaceTaskManager(org.apache.flink.runtime.minicluster.MiniCluster cluster)
            throws Exception {
        int live = LIVE_TASK_MANAGER.getOrDefault(cluster, 0);
        cluster.terminateTaskManager(live).get();
        cluster.startTaskManager();
        LIVE_TASK_MANAGER.put(cluster, live + 1);
    }

    /**
     * Starts the real engine ({@link io.p13n.jobs.PersonalizationJob#defineWorkflow} with its Kafka
     * and Redis ends) on the test cluster at parallelism 2, with the engine's own Flink settings.
     */
    public static org.apache.flink.core.execution.JobClient startEngine(
            EngineConfig config, String jobName) throws Exception {
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment(
                                io.p13n.jobs.PersonalizationJob.flinkConfiguration(config));
        env.setParallelism(2);
        io.p13n.jobs.PersonalizationJob.defineWorkflow(env, config);
        return env.executeAsync(jobName);
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after {@code timeout}. */
    public static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** Id of the newest completed checkpoint under a job's checkpoint directory, 0 if none yet. */
    public static long latestCompletedCheckpoint(Path jobCheckpoints) {
        if (!java.nio.file.Files.isDirectory(jobCheckpoints)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(jobCheckpoints)) {
            return entries.filter(
                            p ->
                                    p.getFileName().toString().startsWith("chk-")
                                            && java.nio.file.Files.exists(p.resolve("_metadata")))
                    .mapToLong(p -> Long.parseLong(p.getFileName().toString().substring(4)))
                    .max()
                    .orElse(0);
        } catch (java.io.IOException | NumberFormatException e) {
            return 0; // a checkpoint directory being written or deleted as we look
        }
    }

    /**
     * Cancels a job and waits until it has stopped: {@code cancel()} returns once the cancellation
     * is accepted, while tasks may still write checkpoint files into a temporary directory the test
     * is about to delete.
     */
    public static void cancel(org.apache.flink.core.execution.JobClient job) throws Exception {
        job.cancel().get();
        awaitTrue(
                "the job to stop",
                Duration.ofSeconds(60),
                () -> {
                    try {
                        return job.getJobStatus().get().isGloballyTerminalState();
                    } catch (Exception e) {
                        return true; // the cluster no longer knows the job: it is gone
                    }
                });
    }
}
