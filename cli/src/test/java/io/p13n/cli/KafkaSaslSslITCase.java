package io.p13n.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.p13n.cli.testing.CliRuns;
import io.p13n.cli.testing.LocalSecureKafka;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TestCertificates;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.testing.TopicReader;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.TriggerType;
import io.p13n.serde.AvroEventSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;

/**
 * The engine and the CLI against a Kafka broker that requires what a managed one does: SASL_SSL
 * with SCRAM-SHA-512 on its client listener, a certificate from a private CA (trusted through
 * {@code kafka.ssl.truststore.*}), and the StandardAuthorizer with no access without an ACL. The
 * engine's principal gets exactly the ACLs the README lists ({@link #engineAcls}), the storefront's
 * (the CLI's {@code replay} and {@code generate}) WRITE on the two input topics.
 */
class KafkaSaslSslITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.redisOnly();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final String ENGINE = "engine";
    private static final String ENGINE_PASSWORD = "engine-pw-" + UUID.randomUUID();
    private static final String STOREFRONT = "storefront";
    private static final String STOREFRONT_PASSWORD = "storefront-pw-" + UUID.randomUUID();
    private static final String STORE_PASSWORD = "store-pw-" + UUID.randomUUID();

    /** Kept when a test fails: the broker's data and the certificates. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static TestCertificates certs;
    private static LocalSecureKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"), STORE_PASSWORD, "dns:localhost");
        kafka = LocalSecureKafka.start(dir.resolve("kafka"), certs);
        kafka.upsertUser(ENGINE, ENGINE_PASSWORD);
        kafka.upsertUser(STOREFRONT, STOREFRONT_PASSWORD);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The engine's settings for the secure broker as {@code user}, with {@code overrides}. */
    private static Map<String, String> settings(
            String run, Path checkpoints, String user, String password) {
        Map<String, String> security = new HashMap<>();
        security.put(EngineOptions.KAFKA_SECURITY_PROTOCOL.key(), "SASL_SSL");
        security.put(EngineOptions.KAFKA_SASL_MECHANISM.key(), LocalSecureKafka.MECHANISM);
        security.put(
                EngineOptions.KAFKA_SASL_JAAS_CONFIG.key(),
                LocalSecureKafka.jaasConfig(user, password));
        security.put(
                EngineOptions.KAFKA_SSL_TRUSTSTORE_LOCATION.key(),
                certs.trustStore().toAbsolutePath().toString());
        security.put(EngineOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD.key(), STORE_PASSWORD);
        return TestJobs.engineSettings(
                kafka.bootstrapServers(),
                SERVICES.redis().host(),
                SERVICES.redis().port(),
                run,
                checkpoints,
                security);
    }

    /**
     * The ACLs the README lists for the engine's principal, for the topics and groups of {@code
     * config}: READ on its input topics and consumer groups, WRITE on its output topics, and for
     * the exactly-once offers sink WRITE on its transactional ids and READ on its marker groups
     * (both prefixed {@code JOB_NAME-GROUP_ID-offers-}) and READ on the offers topic (a marker is
     * an offset committed in the batch's transaction). DESCRIBE alongside each: READ and WRITE
     * imply it, but listing it keeps the grant readable for an operator who checks.
     */
    static List<AclBinding> engineAcls(String principal, EngineConfig config) {
        List<AclBinding> acls = new ArrayList<>();
        for (var topic :
                List.of(
                        EngineOptions.KAFKA_TOPIC_CLICKS,
                        EngineOptions.KAFKA_TOPIC_ORDERS,
                        EngineOptions.KAFKA_TOPIC_CONSENTS,
                        EngineOptions.KAFKA_TOPIC_CAMPAIGNS)) {
            allow(
                    acls,
                    principal,
                    ResourceType.TOPIC,
                    config.get(topic),
                    PatternType.LITERAL,
                    AclOperation.READ,
                    AclOperation.DESCRIBE);
        }
        for (var topic :
                List.of(
                        EngineOptions.KAFKA_TOPIC_DEAD_LETTERS,
                        EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES,
                        EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS,
                        EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS)) {
            allow(
                    acls,
                    principal,
                    ResourceType.TOPIC,
                    config.get(topic),
                    PatternType.LITERAL,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE);
        }
        String group = config.get(EngineOptions.KAFKA_GROUP_ID);
        allow(
                acls,
                principal,
                ResourceType.GROUP,
                group,
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.DESCRIBE);
        allow(
                acls,
                principal,
                ResourceType.GROUP,
                group + "-campaigns",
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.DESCRIBE);
        String offers = config.get(EngineOptions.JOB_NAME) + "-" + group + "-offers-";
        allow(
                acls,
                principal,
                ResourceType.TRANSACTIONAL_ID,
                offers,
                PatternType.PREFIXED,
                AclOperation.WRITE,
                AclOperation.DESCRIBE);
        allow(
                acls,
                principal,
                ResourceType.GROUP,
                offers,
                PatternType.PREFIXED,
                AclOperation.READ,
                AclOperation.DESCRIBE);
        allow(
                acls,
                principal,
                ResourceType.TOPIC,
                config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS),
                PatternType.LITERAL,
                AclOperation.READ);
        return acls;
    }

    private static void allow(
            List<AclBinding> acls,
            String principal,
            ResourceType type,
            String name,
            PatternType pattern,
            AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(
                    new AclBinding(
                            new ResourcePattern(type, name, pattern),
                            new AccessControlEntry(
                                    "User:" + principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }

    @Test
    void shouldRunTheEngineReplayAndGenerateWithScramOverTlsAndOnlyTheirAcls(@TempDir Path work)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path checkpoints = work.resolve("checkpoints");
        Map<String, String> engineSettings = settings(run, checkpoints, ENGINE, ENGINE_PASSWORD);
        engineSettings.put(EngineOptions.OFFERS_CONTROL_SHARE.key(), "0");
        engineSettings.put(EngineOptions.OFFERS_POINTS_MILESTONE_STEP.key(), "100");
        EngineConfig config = EngineConfig.fromMap(engineSettings, Map.of());
        String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
        String orders = config.get(EngineOptions.KAFKA_TOPIC_ORDERS);
        String offers = config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS);
        kafka.createTopics(
                1,
                clicks,
                orders,
                config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS),
                config.get(EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES),
                config.get(EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS),
                offers,
                config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS));
        kafka.grant(engineAcls(ENGINE, config));
        List<AclBinding> storefront = new ArrayList<>();
        for (String topic : List.of(clicks, orders)) {
            allow(
                    storefront,
                    STOREFRONT,
                    ResourceType.TOPIC,
                    topic,
                    PatternType.LITERAL,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE);
        }
        kafka.grant(storefront);
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));

        JobClient job = TestJobs.startEngine(config, "kafka-sasl-ssl-" + run);
        try (RedisClient redis =
                RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            // Marketing's campaign, published by the operator (not a principal of this test).
            try (KafkaProducer<String, byte[]> operator = operatorProducer()) {
                operator.send(
                                new ProducerRecord<>(
                                        config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS),
                                        "milestone-" + run,
                                        AvroEventSerializer.encode(
                                                TestOffers.campaign(
                                                                "milestone-" + run,
                                                                TriggerType.POINTS_MILESTONE)
                                                        .build())))
                        .get();
            }

            // The storefront's CLI, from a configuration with its own credentials.
            Map<String, String> storefrontSettings =
                    settings(run, checkpoints, STOREFRONT, STOREFRONT_PASSWORD);
            Path storefrontFile =
                    writeProperties(work.resolve("storefront.properties"), storefrontSettings);
            // Two orders of 150 on the same day: 300 points pass a 100-point milestone.
            Path history =
                    Files.write(
                            work.resolve("CDNOW_sample.txt"),
                            List.of(
                                    " 00007 0001 19970301  1  150.00",
                                    " 00007 0001 19970302  1  150.00"));
            String[] replay =
                    CliRuns.execute(
                            "replay",
                            "--config",
                            storefrontFile.toString(),
                            "--shift-to-now",
                            history.toString());
            assertThat(replay[0]).as(replay[1] + replay[2]).isEqualTo("0");
            assertThat(replay[1]).contains("Sent 2 events").contains("0 failed");

            String[] generate =
                    CliRuns.execute(
                            "generate",
                            "--config",
                            storefrontFile.toString(),
                            "--max-events",
                            "30",
                            "--customers",
                            "3",
                            "--rate",
                            "0");
            assertThat(generate[0]).as(generate[1] + generate[2]).isEqualTo("0");
            assertThat(generate[1]).contains("Done: 30 records sent").contains(", 0 failed.");
            for (String[] result : List.of(replay, generate)) {
                assertThat(result[1] + result[2])
                        .doesNotContain(STOREFRONT_PASSWORD, STORE_PASSWORD);
            }

            // The engine read them as its own principal, with only its ACLs...
            TestJobs.awaitTrue(
                    "cdnow-00007's two orders in Redis",
                    TIMEOUT,
                    () ->
                            Integer.valueOf(2)
                                    .equals(
                                            TestJobs.ordersInRedis(
                                                            redis, keys, List.of("cdnow-00007"))
                                                    .get("cdnow-00007")));
            TestJobs.awaitTrue(
                    "the generated customers' profiles in Redis",
                    TIMEOUT,
                    () -> profileCount(redis, keys) >= 2);
            // ...and its exactly-once offers sink committed the coupon in a transaction.
            TestJobs.awaitTrue(
                    "cdnow-00007's coupon on the offers topic (read committed)",
                    TIMEOUT,
                    () ->
                            TopicReader.customersWithOffers(
                                            kafka.internalBootstrapServers(), offers)
                                    .contains("cdnow-00007"));
        } finally {
            TestJobs.cancel(job);
        }
    }

    @Test
    void shouldRefuseAWrongPasswordAndNotShowIt(@TempDir Path work) throws Exception {
        String wrong = "wrong-pw-" + UUID.randomUUID();
        Map<String, String> wrongSettings = settings("wrong", work, ENGINE, wrong);
        EngineConfig config = EngineConfig.fromMap(wrongSettings, Map.of());

        // The engine's client settings, as its sources and sinks get them.
        Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
        props.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Throwable refused =
                    catchThrowable(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));

            assertThat(refused)
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
            assertThat(refused.getCause().getMessage()).doesNotContain(wrong, ENGINE_PASSWORD);
        }

        // The CLI says why on stderr, without the password.
        Path file = writeProperties(work.resolve("wrong.properties"), wrongSettings);
        String[] result =
                CliRuns.execute(
                        "generate",
                        "--config",
                        file.toString(),
                        "--max-events",
                        "1",
                        "--rate",
                        "0");

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[1]).contains("Done: 0 records sent").contains(", 1 failed.");
        assertThat(result[2])
                .contains(
                        "First failure: org.apache.kafka.common.errors.SaslAuthenticationException")
                .contains("invalid credentials with SASL mechanism SCRAM-SHA-512");
        assertThat(result[1] + result[2]).doesNotContain(wrong, ENGINE_PASSWORD, STORE_PASSWORD);
    }

    @Test
    void shouldRefuseAPlaintextClient() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("security.protocol", "PLAINTEXT");
        props.put("default.api.timeout.ms", "5000");
        props.put("request.timeout.ms", "4000");
        try (Admin plaintext = Admin.create(props)) {
            Throwable refused =
                    catchThrowable(
                            () -> plaintext.describeCluster().nodes().get(30, TimeUnit.SECONDS));

            // The TLS listener never answers a plaintext request: the call times out.
            assertThat(refused)
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        // The same call with the engine's credentials over SASL_SSL answers, so the refusal above
        // was the protocol's.
        try (Admin engine = Admin.create(kafka.clientProperties(ENGINE, ENGINE_PASSWORD))) {
            assertThat(engine.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    private static KafkaProducer<String, byte[]> operatorProducer() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.internalBootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static long profileCount(RedisClient redis, RedisKeys keys) {
        long count = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(keys.profilePattern()).count(1000);
        do {
            var page = redis.scan(cursor, params);
            count += page.getResult().size();
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return count;
    }

    private static Path writeProperties(Path file, Map<String, String> settings)
            throws IOException {
        Properties properties = new Properties();
        properties.putAll(settings);
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, null);
        }
        return file;
    }
}
