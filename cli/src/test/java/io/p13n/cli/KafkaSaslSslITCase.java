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
import io.p13n.model.Campaign;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
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
 * {@code kafka.ssl.truststore.*}), and the StandardAuthorizer with no access without an ACL. Every
 * principal gets exactly the ACLs the README lists: the engine's {@link #engineAcls}, the
 * storefront's (the CLI's {@code replay} and {@code generate}) WRITE on the two input topics,
 * marketing's ({@code campaign}) {@link #campaignAcls} and support's ({@code show dead-letters})
 * {@link #deadLetterAcls}. Each CLI command is given the engine's configuration with its own
 * principal's credentials ({@code --config}).
 */
class KafkaSaslSslITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.redisOnly();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final String ENGINE = "engine";
    private static final String ENGINE_PASSWORD = "engine-pw-" + UUID.randomUUID();
    private static final String STOREFRONT = "storefront";
    private static final String STOREFRONT_PASSWORD = "storefront-pw-" + UUID.randomUUID();
    private static final String MARKETING = "marketing";
    private static final String MARKETING_PASSWORD = "marketing-pw-" + UUID.randomUUID();
    private static final String SUPPORT = "support";
    private static final String SUPPORT_PASSWORD = "support-pw-" + UUID.randomUUID();
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
        kafka.upsertUser(MARKETING, MARKETING_PASSWORD);
        kafka.upsertUser(SUPPORT, SUPPORT_PASSWORD);
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
     * the exactly-once offers sink and identity hand-off loop WRITE on their transactional ids and
     * READ on their marker groups (prefixed {@code JOB_NAME-GROUP_ID-offers-} and {@code
     * -identity-}), READ and WRITE on the hand-off topic, and READ on the offers topic (a marker is
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
                        EngineOptions.KAFKA_TOPIC_CAMPAIGNS,
                        EngineOptions.KAFKA_TOPIC_CATALOG,
                        EngineOptions.KAFKA_TOPIC_IDENTITIES,
                        EngineOptions.KAFKA_TOPIC_IDENTITY_HAND_OFFS)) {
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
                        EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS,
                        EngineOptions.KAFKA_TOPIC_IDENTITY_HAND_OFFS)) {
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
        for (String suffix : List.of("-campaigns", "-identity")) {
            allow(
                    acls,
                    principal,
                    ResourceType.GROUP,
                    group + suffix,
                    PatternType.LITERAL,
                    AclOperation.READ,
                    AclOperation.DESCRIBE);
        }
        // the two checkpoint-committed sinks: offers, and the identity hand-off loop
        for (String loop : List.of("-offers-", "-identity-")) {
            String prefix = config.get(EngineOptions.JOB_NAME) + "-" + group + loop;
            allow(
                    acls,
                    principal,
                    ResourceType.TRANSACTIONAL_ID,
                    prefix,
                    PatternType.PREFIXED,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE);
            allow(
                    acls,
                    principal,
                    ResourceType.GROUP,
                    prefix,
                    PatternType.PREFIXED,
                    AclOperation.READ,
                    AclOperation.DESCRIBE);
        }
        allow(
                acls,
                principal,
                ResourceType.TOPIC,
                config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS),
                PatternType.LITERAL,
                AclOperation.READ);
        return acls;
    }

    /**
     * What {@code campaign create|list|pause|resume|end} need, as the README lists it: READ (the
     * latest version of each campaign), WRITE (a new version) and DESCRIBE on the campaigns topic.
     * No group: the CLI reads without one. (CREATE only for a CLI that should create the topic.)
     */
    static List<AclBinding> campaignAcls(String principal, EngineConfig config) {
        List<AclBinding> acls = new ArrayList<>();
        allow(
                acls,
                principal,
                ResourceType.TOPIC,
                config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS),
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.DESCRIBE);
        return acls;
    }

    /** What {@code show dead-letters} needs: READ and DESCRIBE on the dead-letter topic. */
    static List<AclBinding> deadLetterAcls(String principal, EngineConfig config) {
        List<AclBinding> acls = new ArrayList<>();
        allow(
                acls,
                principal,
                ResourceType.TOPIC,
                config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS),
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.DESCRIBE);
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
    void shouldRunTheEngineAndTheCliWithScramOverTlsAndOnlyTheirAcls(@TempDir Path work)
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
                config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS),
                config.get(EngineOptions.KAFKA_TOPIC_CATALOG),
                config.get(EngineOptions.KAFKA_TOPIC_IDENTITIES),
                // internal, but created by the operator: the engine's principal may not create
                config.get(EngineOptions.KAFKA_TOPIC_IDENTITY_HAND_OFFS));
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
        kafka.grant(campaignAcls(MARKETING, config));
        kafka.grant(deadLetterAcls(SUPPORT, config));
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        String campaign = "milestone-" + run;
        String campaigns = config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS);
        String deadLetters = config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS);
        Path marketingFile =
                writeProperties(
                        work.resolve("marketing.properties"),
                        settings(run, checkpoints, MARKETING, MARKETING_PASSWORD));
        Path supportFile =
                writeProperties(
                        work.resolve("support.properties"),
                        settings(run, checkpoints, SUPPORT, SUPPORT_PASSWORD));
        List<String[]> cliRuns = new ArrayList<>();

        JobClient job = TestJobs.startEngine(config, "kafka-sasl-ssl-" + run);
        try (RedisClient redis =
                RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            // Marketing's campaign, created with the CLI as marketing's principal...
            String[] create =
                    CliRuns.execute(
                            "campaign",
                            "create",
                            "--config",
                            marketingFile.toString(),
                            "--id",
                            campaign,
                            "--trigger",
                            "POINTS_MILESTONE",
                            "--percent-off",
                            "10");
            cliRuns.add(create);
            assertThat(create[0]).as(create[1] + create[2]).isEqualTo("0");
            assertThat(create[1])
                    .contains(
                            "Created campaign '"
                                    + campaign
                                    + "' (version 1, ACTIVE) on "
                                    + campaigns);
            // ...is on the campaigns topic, as the engine's principal reads it...
            List<Campaign> published = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record :
                    TopicReader.readAll(
                            new HashMap<>(kafka.clientProperties(ENGINE, ENGINE_PASSWORD)),
                            campaigns)) {
                assertThat(record.key()).isEqualTo(campaign);
                published.add(Campaign.getDecoder().decode(record.value()));
            }
            assertThat(published)
                    .extracting(
                            c ->
                                    c.getId()
                                            + "@"
                                            + c.getVersion()
                                            + ":"
                                            + c.getStatus()
                                            + ":"
                                            + c.getTrigger()
                                            + ":"
                                            + c.getReward().getValue())
                    .containsExactly(campaign + "@1:ACTIVE:POINTS_MILESTONE:10.0");
            // ...and campaign list shows it.
            String[] list =
                    CliRuns.execute("campaign", "list", "--config", marketingFile.toString());
            cliRuns.add(list);
            assertThat(list[0]).as(list[1] + list[2]).isEqualTo("0");
            assertThat(list[1].lines().filter(l -> l.startsWith(campaign + " ")))
                    .singleElement()
                    .asString()
                    .contains("ACTIVE", "POINTS_MILESTONE", "10% off");

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
            // Two records the engine cannot use, for its dead-letter topic.
            String[] garbage =
                    CliRuns.execute(
                            "generate",
                            "--config",
                            storefrontFile.toString(),
                            "--max-events",
                            "2",
                            "--bad-record-rate",
                            "1",
                            "--rate",
                            "0");
            assertThat(garbage[0]).as(garbage[1] + garbage[2]).isEqualTo("0");
            assertThat(garbage[1]).contains("Done: 2 records sent").contains("2 bad), 0 failed.");
            cliRuns.addAll(List.of(replay, generate, garbage));

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
                            TopicReader.offerDecisions(kafka.internalBootstrapServers(), offers)
                                    .stream()
                                    .anyMatch(
                                            d ->
                                                    d.getCustomerId().equals("cdnow-00007")
                                                            && d.getCampaignId().equals(campaign)));

            // campaign stats reads the campaign's results from Redis as the engine wrote them
            // (its host, port and key prefix from the file).
            String[][] stats = new String[1][];
            TestJobs.awaitTrue(
                    "the campaign's stats with at least one offer sent",
                    TIMEOUT,
                    () -> {
                        stats[0] =
                                CliRuns.execute(
                                        "campaign",
                                        "stats",
                                        "--config",
                                        marketingFile.toString(),
                                        campaign);
                        return stats[0][0].equals("0")
                                && stats[0][1].matches(
                                        "(?s).*treated conversion \\S+ \\(\\d+/[1-9]\\d*\\).*");
                    });
            assertThat(stats[0][1]).contains("Campaign " + campaign);
            cliRuns.add(stats[0]);

            // show dead-letters reads what the engine routed there, as support's principal.
            String[][] shown = new String[1][];
            TestJobs.awaitTrue(
                    "the bad records on the dead-letter topic",
                    TIMEOUT,
                    () -> {
                        shown[0] =
                                CliRuns.execute(
                                        "show", "dead-letters", "--config", supportFile.toString());
                        return shown[0][0].equals("0")
                                && shown[0][1]
                                                .lines()
                                                .filter(l -> l.contains("  from " + clicks + "-0@"))
                                                .count()
                                        >= 2;
                    });
            assertThat(shown[0][1]).contains(" dead letter(s) on " + deadLetters);
            cliRuns.add(shown[0]);

            for (String[] result : cliRuns) {
                assertThat(result[1] + result[2])
                        .doesNotContain(
                                STOREFRONT_PASSWORD,
                                MARKETING_PASSWORD,
                                SUPPORT_PASSWORD,
                                ENGINE_PASSWORD,
                                STORE_PASSWORD);
            }
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

        // campaign and show dead-letters, as marketing and support with a wrong password: one
        // line naming the authentication failure, exit code 1, no stack trace, no password.
        Path marketing =
                writeProperties(
                        work.resolve("wrong-marketing.properties"),
                        settings("wrong", work, MARKETING, wrong));
        Path support =
                writeProperties(
                        work.resolve("wrong-support.properties"),
                        settings("wrong", work, SUPPORT, wrong));
        String[] create =
                CliRuns.execute(
                        "campaign",
                        "create",
                        "--config",
                        marketing.toString(),
                        "--id",
                        "refused",
                        "--trigger",
                        "WIN_BACK",
                        "--percent-off",
                        "10");
        String[] list = CliRuns.execute("campaign", "list", "--config", marketing.toString());
        String[] deadLetters =
                CliRuns.execute("show", "dead-letters", "--config", support.toString());

        for (String[] refused : List.of(create, list, deadLetters)) {
            assertThat(refused[0]).as(refused[2]).isEqualTo("1");
            assertThat(refused[2])
                    .contains(kafka.bootstrapServers())
                    .contains("Authentication failed")
                    .contains("invalid credentials with SASL mechanism SCRAM-SHA-512")
                    .doesNotContain("\tat ", "Exception in thread");
            assertThat(refused[2].lines()).hasSize(1);
            assertThat(refused[1] + refused[2])
                    .doesNotContain(wrong, MARKETING_PASSWORD, SUPPORT_PASSWORD, STORE_PASSWORD);
        }
        assertThat(create[2]).startsWith("personalize campaign: cannot read campaigns-wrong on ");
        assertThat(deadLetters[2]).startsWith("Cannot read dead-letters-wrong on ");
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
