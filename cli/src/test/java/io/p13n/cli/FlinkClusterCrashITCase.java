package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.RunComparison;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.OrderStatus;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The engine on a real Flink standalone cluster, its TaskManager killed with SIGKILL mid-stream: a
 * JobManager ({@code StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code
 * TaskManagerRunner}) run as JVMs of their own, started from the Flink artifacts on this test's
 * classpath; the job graph is built here from {@link PersonalizationJob#defineWorkflow} and
 * submitted with the engine's shaded job jar over the REST API by {@link RestClusterClient}, as
 * {@code flink run} does. While the second half of the orders flows, the TaskManager process is
 * killed (no shutdown, no final checkpoint) and a new one is started; the job restarts on it from
 * its latest checkpoint.
 *
 * <p>Then a failure-free reference run: the same job graph, submitted to the same cluster (a real
 * cluster run, on the second TaskManager, after the first job is cancelled), reads the same topics
 * from the beginning with its own consumer group, Redis key prefix and output topics, and nothing
 * is killed. The run that lost its TaskManager must have left exactly what the reference left
 * ({@link RunComparison}): for every customer the whole profile hash, field by field, the coupons
 * on the offer-triggers topic read committed (none twice, none missing, none extra) and the offers
 * in the Redis active-offers document. The reference also has to show what the data implies (every
 * order counted, one coupon per customer for passing the points milestone), so two runs that both
 * do nothing cannot agree; and the crashed job is running with at least one restart. The figures
 * (events in, customers compared, differences) are logged.
 *
 * <p>The cluster resolves classes parent-first: its JVMs already hold the engine's classes (this
 * test's classpath), and the job jar also bundles Avro and the Kafka connector, which child-first
 * loading would load a second time beside flink-avro's on the parent classpath (not tried here). So
 * the jar is uploaded and registered as a user jar, but the classes that run come from the
 * cluster's own classpath, unlike a cluster whose lib/ holds only Flink.
 */
class FlinkClusterCrashITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int CUSTOMERS = 200;
    private static final List<String> CUSTOMER_IDS =
            IntStream.range(0, CUSTOMERS).mapToObj(FlinkClusterCrashITCase::customer).toList();
    private static final Path JOB_JAR =
            Path.of("..", "flink-jobs", "target", "flink-jobs-0.1.0-SNAPSHOT-job.jar")
                    .toAbsolutePath()
                    .normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path work;

    private final List<Process> processes = new ArrayList<>();
    private RestClusterClient<StandaloneClusterId> client;

    /** The job running on the cluster: the one that loses its TaskManager, then the reference. */
    private JobID jobId;

    /** Orders produced, the events both runs read (besides the one campaign). */
    private long sent;

    private int restPort;

    @AfterEach
    void stopCluster() throws Exception {
        try {
            if (client != null && jobId != null) {
                try {
                    cancel(jobId);
                } catch (Exception e) {
                    // the cluster is killed below either way
                }
            }
            if (client != null) {
                client.close();
            }
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            for (Process p : processes) {
                p.waitFor(30, TimeUnit.SECONDS);
            }
            // The cluster's logs outlive the temporary directory, for a failure's diagnosis.
            Path logs = Files.createDirectories(Path.of("target", getClass().getSimpleName()));
            try (var files = Files.list(work)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                    Files.copy(
                            f,
                            logs.resolve(f.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void aKilledTaskManagerReplacedLeavesWhatAFailureFreeRunLeaves() throws Exception {
        assertThat(JOB_JAR).as("the job jar (mvn package builds it)").isRegularFile();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings =
                Map.of(
                        EngineOptions.OFFERS_CONTROL_SHARE.key(),
                        "0",
                        EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(),
                        "100",
                        EngineOptions.JOB_NAME.key(),
                        "cluster-crash-" + run);
        EngineConfig config =
                TestJobs.engineConfig(SERVICES, run, work.resolve("checkpoints"), settings);
        EngineConfig reference =
                TestJobs.referenceConfig(
                        SERVICES, run, work.resolve("reference-checkpoints"), settings);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String offers = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
        String bootstrap = SERVICES.kafka().bootstrapServers();
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        Instant start = Instant.now().minus(Duration.ofDays(5));
        Map<String, Integer> expected = new TreeMap<>();

        Path conf = writeClusterConfig();
        processes.add(startFlinkProcess(JOBMANAGER, conf, "jobmanager.log"));
        processes.add(startFlinkProcess(TASKMANAGER, conf, "taskmanager-1.log"));
        Process firstTaskManager = processes.get(1);
        Configuration clientConf = new Configuration();
        clientConf.set(JobManagerOptions.ADDRESS, "localhost");
        clientConf.set(RestOptions.ADDRESS, "localhost");
        clientConf.set(RestOptions.PORT, restPort);
        client = new RestClusterClient<>(clientConf, StandaloneClusterId.getInstance());
        TestJobs.awaitTrue(
                "a TaskManager registered with the JobManager",
                TIMEOUT,
                () -> {
                    JsonNode overview = rest("/overview");
                    return overview != null && overview.path("taskmanagers").asInt() == 1;
                });

        try (Producer<String, byte[]> producer = EventProducers.create(bootstrap, "fc-" + run);
                RedisClient redis =
                        RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            TestJobs.publishCampaign(
                    producer,
                    config,
                    TestOffers.campaign("milestone-" + run, TriggerType.POINTS_MILESTONE).build());
            jobId = client.submitJob(jobGraph(config)).get(60, TimeUnit.SECONDS);

            // First half: one order of 60 per customer, below the 100-point milestone; all in
            // Redis and covered by a completed checkpoint before the crash.
            send(producer, orders, 0, start, expected);
            TestJobs.awaitTrue(
                    "the first half in Redis",
                    TIMEOUT,
                    () -> TestJobs.ordersInRedis(redis, keys, CUSTOMER_IDS).equals(expected));
            long covering = latestCheckpoint(jobId) + 1;
            TestJobs.awaitTrue(
                    "a checkpoint after the first half",
                    TIMEOUT,
                    () -> completedCheckpoint(jobId) >= covering);

            // Second half: two more orders each. The first of them passes the milestone; another
            // thread sends it, spread over about four seconds, and the TaskManager is killed once
            // a checkpoint has committed the first coupons: some customers' coupons are then on
            // the topic, others in an open transaction or not yet made. The second order arrives
            // while no TaskManager runs.
            Map<String, Integer> secondHalf = new TreeMap<>(expected);
            CompletableFuture<Void> sending =
                    CompletableFuture.runAsync(
                            () -> sendPaced(producer, orders, 1, start, secondHalf));
            TestJobs.awaitTrue(
                    "the first coupons committed",
                    TIMEOUT,
                    () -> !TopicReader.offersPerCustomer(bootstrap, offers).isEmpty());
            firstTaskManager.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
            assertThat(firstTaskManager.waitFor(30, TimeUnit.SECONDS)).isTrue();
            sending.get(60, TimeUnit.SECONDS);
            expected.putAll(secondHalf);
            send(producer, orders, 2, start, expected);
            processes.add(startFlinkProcess(TASKMANAGER, conf, "taskmanager-2.log"));

            RunComparison.Outcome recovered =
                    outcome(jobId, redis, keys, offers, expected, "after the restart");
            assertThat(jobState(jobId)).isEqualTo("RUNNING");
            assertThat(numRestarts(jobId)).as("restarts after the kill").isGreaterThanOrEqualTo(1);
            cancel(jobId);

            // The reference: the same job graph on the same cluster (now on the second
            // TaskManager) reads the same topics from the beginning with a group, Redis prefix
            // and output topics of its own, and nothing fails.
            jobId = client.submitJob(jobGraph(reference)).get(60, TimeUnit.SECONDS);
            RunComparison.Outcome failureFree =
                    outcome(
                            jobId,
                            redis,
                            new RedisKeys(reference.get(EngineOptions.REDIS_KEY_PREFIX)),
                            reference.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS),
                            expected,
                            "in the reference run");
            RunComparison.assertOneCouponEach(failureFree, CUSTOMERS);

            RunComparison.compare(
                            getClass().getSimpleName(), sent, failureFree, recovered, CUSTOMER_IDS)
                    .assertAgrees();
        }
    }

    /** What a job left once it has settled ({@link RunComparison#readAfterCheckpoints}). */
    private RunComparison.Outcome outcome(
            JobID job,
            RedisClient redis,
            RedisKeys keys,
            String offerTriggers,
            Map<String, Integer> expected,
            String when)
            throws Exception {
        return RunComparison.readAfterCheckpoints(
                redis,
                keys,
                SERVICES.kafka().bootstrapServers(),
                offerTriggers,
                CUSTOMER_IDS,
                expected,
                () -> completedCheckpoint(job),
                TIMEOUT,
                when);
    }

    /** Cancels a job and waits until the cluster reports it stopped. */
    private void cancel(JobID job) throws Exception {
        client.cancel(job).get(30, TimeUnit.SECONDS);
        TestJobs.awaitTrue(
                "the job to stop",
                Duration.ofSeconds(30),
                () -> {
                    String state = jobState(job);
                    return state == null
                            || state.equals("CANCELED")
                            || state.equals("FAILED")
                            || state.equals("FINISHED");
                });
    }

    private static final String JOBMANAGER =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASKMANAGER =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /** The standalone cluster's {@code config.yaml}: local, free ports, small memory. */
    private Path writeClusterConfig() throws IOException {
        restPort = freePort();
        Path dir = Files.createDirectories(work.resolve("flink-conf"));
        String yaml =
                String.join(
                        "\n",
                        "jobmanager.rpc.address: localhost",
                        "jobmanager.bind-host: localhost",
                        "jobmanager.rpc.port: " + freePort(),
                        "rest.address: localhost",
                        "rest.bind-address: localhost",
                        "rest.port: " + restPort,
                        "blob.server.port: " + freePort(),
                        "jobmanager.memory.heap.size: 384m",
                        "taskmanager.host: localhost",
                        "taskmanager.bind-host: localhost",
                        "taskmanager.numberOfTaskSlots: 2",
                        "taskmanager.memory.process.size: 1200m",
                        "taskmanager.memory.managed.size: 100m",
                        "taskmanager.memory.network.min: 64m",
                        "taskmanager.memory.network.max: 64m",
                        // A lost TaskManager is noticed in seconds, not Flink's default 50 s.
                        "heartbeat.interval: 1000",
                        "heartbeat.timeout: 5000",
                        "classloader.resolve-order: parent-first",
                        "io.tmp.dirs: " + Files.createDirectories(work.resolve("flink-tmp")),
                        "");
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return dir;
    }

    /**
     * A JobManager or TaskManager JVM, with the JVM memory flags and the derived memory settings
     * ({@code -D key=value}) that {@code jobmanager.sh} and {@code taskmanager.sh} compute from the
     * configuration (their {@code BashJavaUtils} step); a TaskManager refuses to start without
     * them.
     */
    private Process startFlinkProcess(String mainClass, Path conf, String log) throws IOException {
        Configuration flinkConf = GlobalConfiguration.loadConfiguration(conf.toString());
        String jvmParameters;
        String dynamicConfigs;
        if (mainClass.equals(TASKMANAGER)) {
            TaskExecutorProcessSpec spec =
                    TaskExecutorProcessUtils.processSpecFromConfig(flinkConf);
            jvmParameters = ProcessMemoryUtils.generateJvmParametersStr(spec);
            dynamicConfigs = TaskExecutorProcessUtils.generateDynamicConfigsStr(spec);
        } else {
            JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(flinkConf);
            jvmParameters = JobManagerProcessUtils.generateJvmParametersStr(spec, flinkConf);
            dynamicConfigs = JobManagerProcessUtils.generateDynamicConfigsStr(spec);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(words(jvmParameters));
        command.add("-Dorg.apache.avro.specific.use_custom_coders=true");
        command.add("-Djava.io.tmpdir=" + work.resolve("flink-tmp"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.add("--configDir");
        command.add(conf.toString());
        command.addAll(words(dynamicConfigs));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(log).toFile())
                .start();
    }

    private static List<String> words(String s) {
        return java.util.Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** The engine's job graph with its job jar attached, as {@code flink run JAR} builds it. */
    private static JobGraph jobGraph(EngineConfig config) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PersonalizationJob.flinkConfiguration(config));
        env.setParallelism(2);
        PersonalizationJob.defineWorkflow(env, config);
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(config.get(EngineOptions.JOB_NAME));
        JobGraph graph =
                streamGraph.getJobGraph(FlinkClusterCrashITCase.class.getClassLoader(), null);
        graph.addJar(new org.apache.flink.core.fs.Path(JOB_JAR.toUri()));
        return graph;
    }

    /** GET on the cluster's REST API; null while it does not answer. */
    private JsonNode rest(String path) {
        try {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + restPort + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String jobState(JobID job) {
        JsonNode state = rest("/jobs/" + job);
        return state == null ? null : state.path("state").asText();
    }

    /** Id of the job's latest completed checkpoint, 0 if none, -1 while REST does not answer. */
    private long completedCheckpoint(JobID job) {
        JsonNode checkpoints = rest("/jobs/" + job + "/checkpoints");
        return checkpoints == null
                ? -1
                : checkpoints.path("latest").path("completed").path("id").asLong(0);
    }

    /** {@link #completedCheckpoint}, waiting for an answer. */
    private long latestCheckpoint(JobID job) throws InterruptedException {
        long[] id = {-1};
        TestJobs.awaitTrue(
                "the checkpoint statistics",
                TIMEOUT,
                () -> (id[0] = completedCheckpoint(job)) >= 0);
        return id[0];
    }

    /**
     * The job's numRestarts metric, waiting for the REST API to list it: the JobManager's metric
     * store is filled by a fetcher every few seconds, so right after a restart the list can still
     * be empty (seen once on a loaded run).
     */
    private long numRestarts(JobID job) throws InterruptedException {
        JsonNode[] metrics = {null};
        TestJobs.awaitTrue(
                "the numRestarts metric",
                TIMEOUT,
                () -> {
                    metrics[0] = rest("/jobs/" + job + "/metrics?get=numRestarts");
                    return metrics[0] != null && metrics[0].size() == 1;
                });
        return metrics[0].get(0).path("value").asLong();
    }

    private static String customer(int c) {
        return "cluster-" + c;
    }

    /** One order of 60 per customer, {@code n} hours after {@code start}. */
    private void send(
            Producer<String, byte[]> producer,
            String topic,
            int n,
            Instant start,
            Map<String, Integer> expected) {
        for (String c : CUSTOMER_IDS) {
            producer.send(new ProducerRecord<>(topic, c, order(c, n, start)));
            expected.merge(c, 1, Integer::sum);
            sent++;
        }
        producer.flush();
    }

    /** As {@link #send}, in batches of 10 customers spread over about four seconds. */
    private void sendPaced(
            Producer<String, byte[]> producer,
            String topic,
            int n,
            Instant start,
            Map<String, Integer> expected) {
        for (int i = 0; i < CUSTOMERS; i++) {
            String c = customer(i);
            producer.send(new ProducerRecord<>(topic, c, order(c, n, start)));
            expected.merge(c, 1, Integer::sum);
            sent++;
            if (i % 10 == 9) {
                producer.flush();
                try {
                    Thread.sleep(200); // shapes the stream; nothing is waited for here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        producer.flush();
    }

    private static byte[] order(String customer, int n, Instant start) {
        return AvroEventSerializer.encode(
                TestEvents.order(customer, OrderStatus.PLACED, start.plus(Duration.ofHours(n)), 60)
                        .build());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
